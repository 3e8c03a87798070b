"""Planning a release: the version the data diff requires, the files it would write, what blocks it.

The plan is pure: it reads the package and git, and says what would be written.
Validation is passed in (a ``Validator``), so this layer does not depend on ``validation``.
"""

from __future__ import annotations

import datetime
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..citation import citation_cff, citation_from, render_citation, zenodo_json
from ..errors import PackageFileError, ReleaseError, TimelineError
from ..package import find_package
from ..package.descriptor import detect_indent, dump_descriptor
from ..package.safeio import read_text
from ..stamp import plan_stamp
from ..versioning import DiffResult, bump_version, diff_packages, level_rank
from ..versioning.render import diff_summary
from .archive import ARCHIVE_CONTENT, unportable
from .changelog import release_changelog
from .dist import dist_folder
from .git import current_branch, git, head, is_clean, is_shallow, tag_exists
from .history import Release, latest_release, require_repo, snapshot
from .journal import read_journal

# Problems that block a release, one line each; empty when the package is valid.
# The caller passes ``timeline.validation.problems`` (release does not import validation).
Validator = Callable[[Path], list[str]]

FIRST_RELEASE = "1.0.0"
README_CITE = re.compile(r"(<!-- timeline-cite:start -->\n)(.*?)(<!-- timeline-cite:end -->)", re.DOTALL)


@dataclass
class ReleasePlan:
    root: Path
    previous: Release | None
    new_version: str
    date: str
    required_bump: str
    bump: str
    diff: DiffResult
    files: dict[str, str] = field(default_factory=dict)  # path -> new text
    blockers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    base: str | None = None  # the commit the release is made on (HEAD when planned)
    branch: str | None = None  # the branch it moves (refs/heads/...); None: HEAD is detached

    @property
    def tag(self) -> str:
        return f"v{self.new_version}"

    def diff_manifest(self) -> dict[str, Any]:
        return {
            "previous_version": self.previous.version if self.previous else None,
            "required_bump": self.diff.required_bump,
            "resources": {
                r.name: {
                    "status": r.status,
                    "added": r.rows_added,
                    "removed": r.rows_removed,
                    "changed": [c.key for c in r.rows_changed],
                }
                for r in self.diff.resources
            },
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "previous_version": self.previous.version if self.previous else None,
            "previous_commit": self.previous.commit if self.previous else None,
            "base": self.base,
            "branch": self.branch,
            "new_version": self.new_version,
            "tag": self.tag,
            "date": self.date,
            "required_bump": self.required_bump,
            "bump": self.bump,
            "files": sorted(self.files),
            "blockers": self.blockers,
            "notes": self.notes,
            "diff": self.diff.to_dict(),
        }


def release_date(date: str | None) -> str:
    if date:
        try:
            return datetime.date.fromisoformat(date).isoformat()
        except ValueError:
            raise ReleaseError(f"--date {date!r} is not a YYYY-MM-DD date") from None
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        epoch = int(os.environ["SOURCE_DATE_EPOCH"])
        return datetime.datetime.fromtimestamp(epoch, datetime.UTC).date().isoformat()
    return datetime.datetime.now(datetime.UTC).date().isoformat()


def _empty_package(folder: Path) -> Path:
    (folder / "datapackage.json").write_text('{"resources": []}\n', encoding="utf-8")
    return folder


def plan_release(
    path: str | Path | None, validate: Validator, *, bump: str | None = None, date: str | None = None
) -> ReleasePlan:
    """What a release would do, and what (if anything) blocks it. Reads; never writes."""
    descriptor_path = find_package(path)
    root = descriptor_path.parent
    repo = require_repo(root)
    blockers: list[str] = []
    previous = latest_release(repo)
    with ExitStack() as stack, ThreadPoolExecutor(1) as pool:
        # git writes the previous release out (its own process, mostly) while validation runs
        exporting = pool.submit(stack.enter_context, release_base(root, previous))
        problems = validate(descriptor_path)
        if problems:
            blockers.append(f"`timeline validate` finds {len(problems)} problem(s); fix them first")
        clean, status = is_clean(repo)
        if not clean:
            blockers.append("the git work tree is not clean; commit or stash first:\n" + status.rstrip())
        blockers += repository_blockers(repo)
        notes = []
        pending = read_journal(repo)
        if pending is not None and not pending.published(repo):
            notes.append(
                f"release {pending.version} was interrupted before it was published (nothing changed); "
                "`timeline release` discards what it left"
            )
        old_root, old_label = exporting.result()
        diff = _diff_with(old_root, old_label, previous, root, "working tree")

    required = diff.required_bump
    if previous is None:
        new_version = FIRST_RELEASE
        chosen = bump or "major"
        notes.append(f"first release: version {FIRST_RELEASE} whatever the bump")
    else:
        chosen = bump or (required if required != "none" else "patch")
        if required == "none":
            notes.append("the data did not change since the last release; a patch release records other changes")
        if level_rank(chosen) < level_rank(required):
            blockers.append(
                f"--bump {chosen} is smaller than the {required} bump the changes require:\n  "
                + "\n  ".join(r for r in diff.reasons if r.startswith(required))
            )
        new_version = bump_version(previous.version, chosen)
    if tag_exists(repo, f"v{new_version}"):
        blockers.append(f"tag v{new_version} already exists")
    day = release_date(date)
    plan = ReleasePlan(root, previous, new_version, day, required, chosen, diff, blockers=blockers, notes=notes)
    plan.base, plan.branch = head(repo), current_branch(repo)
    plan.files = planned_files(plan)
    dist = root / "dist"
    if dist.is_dir() and not dist.is_symlink():
        existing = [f"dist/{p.name}" for p in sorted(dist.glob(f"*-{new_version}.*"))]
        if existing:
            blockers.append(f"{', '.join(existing)} already exist(s) but v{new_version} is not released: remove them")
        if previous and not any(dist.glob(f"*-{previous.version}.zip")):
            notes.append(
                f"dist/ has no archives of {previous.version} (a fresh clone?): "
                f"`timeline build --version {previous.version}` makes them"
            )
    return plan


def repository_blockers(repo: Path) -> list[str]:
    """What about the repository itself forbids a release: its HEAD, history, dist/, file names, a pending release."""
    blockers = []
    if current_branch(repo) is None:
        blockers.append("HEAD is detached (on no branch): check out the branch to release on (`git switch main`)")
    if is_shallow(repo):
        blockers.append(
            "this clone has shallow history, so earlier releases cannot be read: run `git fetch --unshallow`"
        )
    try:
        dist_folder(repo)
    except TimelineError as error:
        blockers.append(str(error).replace("; nothing was written", ""))
    if head(repo):
        tracked = git(repo, "ls-tree", "-r", "-z", "--name-only", "HEAD", "--", *ARCHIVE_CONTENT).split("\0")
        for name in filter(None, tracked):
            reason = unportable(name)
            if reason:
                blockers.append(f"file name {name!r} {reason}: rename it (`git mv`) and commit")
    journal = read_journal(repo)
    if journal is not None and journal.published(repo):
        blockers.append(
            f"release {journal.version} was published ({journal.short_branch} at {journal.commit[:12]}, tag "
            f"{journal.tag}) but interrupted before the work tree and dist/ were updated: run `timeline release` "
            "to finish it"
        )
    return blockers


@contextmanager
def release_base(root: Path, previous: Release | None) -> Iterator[tuple[Path, str]]:
    """What a release is compared with, as a folder and its label: the previous release, or nothing."""
    with tempfile.TemporaryDirectory(prefix="timeline-empty-") as empty, ExitStack() as stack:
        if previous is None:
            yield _empty_package(Path(empty)), "(nothing)"
        else:
            yield stack.enter_context(snapshot(previous.commit, root)).root, previous.version


def release_diff(root: Path, previous: Release | None, new_label: str, new_root: Path | None = None) -> DiffResult:
    """The diff a release is judged by: the previous release (or nothing) against NEW_ROOT (default ROOT)."""
    with release_base(root, previous) as (old_root, old_label):
        return _diff_with(old_root, old_label, previous, new_root or root, new_label)


def _diff_with(old_root: Path, old_label: str, previous: Release | None, new_root: Path, new_label: str) -> DiffResult:
    diff = diff_packages(old_root, new_root, old_label, new_label)
    if previous is None:
        diff.metadata_changes = []  # against nothing, every key is "new": not a change worth listing
    return diff


def planned_files(plan: ReleasePlan) -> dict[str, str]:
    root = plan.root
    stamped = _restamped(root, plan.new_version)
    files = {
        "datapackage.json": dump_descriptor(
            stamped, detect_indent((root / "datapackage.json").read_text(encoding="utf-8"))
        ),
        "CITATION.cff": citation_cff(stamped, plan.new_version, plan.date),
        ".zenodo.json": zenodo_json(stamped, plan.new_version, plan.date),
    }
    changelog = _package_text(plan, "CHANGELOG.md")
    try:
        files["CHANGELOG.md"] = release_changelog(
            changelog,
            plan.new_version,
            plan.date,
            diff_summary(plan.diff, plan.previous.version if plan.previous else None),
        )
    except ReleaseError as error:
        plan.blockers.append(str(error))
    readme = _package_text(plan, "README.md")
    if readme:
        citation = citation_from(stamped, files["CITATION.cff"], plan.new_version, plan.date)
        block = "```\n" + render_citation(citation, "text") + "```\n"
        if README_CITE.search(readme):
            files["README.md"] = README_CITE.sub(lambda m: m.group(1) + block + m.group(3), readme)
    return files


def _package_text(plan: ReleasePlan, name: str) -> str:
    """NAME's text, "" when absent; one that cannot be read safely (outside, not a file, not UTF-8) blocks."""
    try:
        return read_text(plan.root, name, "changelog")
    except PackageFileError as error:
        if error.problem != "missing":
            plan.blockers.append(str(error))
        return ""


def _restamped(root: Path, version: str) -> dict[str, Any]:
    """datapackage.json with the new version and hashes recomputed from disk, as `timeline stamp` does."""
    stamped, _ = plan_stamp(root / "datapackage.json")
    stamped["version"] = version
    return stamped
