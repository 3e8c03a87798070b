"""``timeline release``: plan a release from the data diff, then apply it atomically.

The plan is pure: it reads the package and git, and says what would be written.
Applying it writes every file, commits, tags and publishes the archives; if any
step fails or the process is interrupted (Ctrl-C, SIGTERM), every file, the
commit and the tag are put back as they were.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import signal
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .archive import ARCHIVE_CONTENT, BuiltArchive, build_archives
from .bump import bump_version, level_rank
from .changelog import diff_summary, release_changelog
from .citation_files import citation_cff, zenodo_json
from .cite import citation_from, render_citation
from .diff import DiffResult, diff_packages
from .errors import ReleaseError
from .gitutil import export_tree, git, head, is_clean, tag_exists
from .package import detect_indent, dump_descriptor, find_package, load_descriptor
from .revisions import Release, find_releases, latest_release, require_repo, snapshot, version_key
from .stamp import plan_stamp
from .validate import validate_package

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


def plan_release(path: str | Path | None = None, *, bump: str | None = None, date: str | None = None) -> ReleasePlan:
    """What a release would do, and what (if anything) blocks it. Reads; never writes."""
    descriptor_path = find_package(path)
    root = descriptor_path.parent
    repo = require_repo(root)
    blockers: list[str] = []
    report = validate_package(descriptor_path)
    if not report.valid:
        blockers.append(f"`timeline validate` finds {len(report.findings)} problem(s); fix them first")
    clean, status = is_clean(repo)
    if not clean:
        blockers.append("the git work tree is not clean; commit or stash first:\n" + status.rstrip())

    previous = latest_release(repo)
    diff = release_diff(root, previous, "working tree")

    required = diff.required_bump
    notes = []
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
    plan.files = planned_files(plan)
    return plan


def release_diff(root: Path, previous: Release | None, new_label: str, new_root: Path | None = None) -> DiffResult:
    """The diff a release is judged by: the previous release (or nothing) against NEW_ROOT (default ROOT)."""
    with tempfile.TemporaryDirectory(prefix="timeline-empty-") as empty, ExitStack() as stack:
        if previous is None:
            old_root, old_label = _empty_package(Path(empty)), "(nothing)"
        else:
            old_root, old_label = stack.enter_context(snapshot(previous.commit, root)).root, previous.version
        diff = diff_packages(old_root, new_root or root, old_label, new_label)
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
    changelog_path = root / "CHANGELOG.md"
    changelog = changelog_path.read_text(encoding="utf-8") if changelog_path.is_file() else ""
    try:
        files["CHANGELOG.md"] = release_changelog(
            changelog,
            plan.new_version,
            plan.date,
            diff_summary(plan.diff, plan.previous.version if plan.previous else None),
        )
    except ReleaseError as error:
        plan.blockers.append(str(error))
    readme_path = root / "README.md"
    if readme_path.is_file():
        readme = readme_path.read_text(encoding="utf-8")
        citation = citation_from(stamped, files["CITATION.cff"], plan.new_version, plan.date)
        block = "```\n" + render_citation(citation, "text") + "```\n"
        if README_CITE.search(readme):
            files["README.md"] = README_CITE.sub(lambda m: m.group(1) + block + m.group(3), readme)
    return files


def _restamped(root: Path, version: str) -> dict[str, Any]:
    """datapackage.json with the new version and hashes recomputed from disk, as `timeline stamp` does."""
    stamped, _ = plan_stamp(root / "datapackage.json")
    stamped["version"] = version
    return stamped


# --- applying a plan -------------------------------------------------------------------------------------


def _checkpoint(step: str) -> None:
    """A seam for tests: they replace this to inject a failure after a named step."""


class _Rollback:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.originals: dict[str, bytes | None] = {}
        self.head: str | None = head(root)
        self.tag: str | None = None
        self.published: list[Path] = []
        self.temp_dirs: list[Path] = []

    def remember(self, relative: str) -> None:
        path = self.root / relative
        self.originals[relative] = path.read_bytes() if path.exists() else None

    def undo(self) -> None:
        for path in self.published:
            path.unlink(missing_ok=True)
        if self.tag:
            git(self.root, "tag", "-d", self.tag, check=False)
        if self.head and head(self.root) != self.head:
            git(self.root, "reset", "-q", "--mixed", self.head, check=False)
        else:
            git(self.root, "reset", "-q", check=False)
        for relative, data in self.originals.items():
            path = self.root / relative
            if data is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(data)
        for folder in self.temp_dirs:
            shutil.rmtree(folder, ignore_errors=True)


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def apply_release(plan: ReleasePlan) -> list[Path]:
    """Write, validate, archive, commit, tag, publish; on any failure undo everything. Returns dist files."""
    from .atomic import atomic_write_text

    if plan.blockers:
        raise ReleaseError("release refused:\n- " + "\n- ".join(plan.blockers))
    root = plan.root
    rollback = _Rollback(root)
    previous_handler = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        for relative in plan.files:
            rollback.remember(relative)
        for relative, text in plan.files.items():
            atomic_write_text(root / relative, text)
        _checkpoint("write")
        report = validate_package(root / "datapackage.json")
        if not report.valid:
            first = report.findings[0]
            raise ReleaseError(f"the released files do not validate: {first.file}: {first.message}")
        _checkpoint("validate")
        git(root, "add", "--", *plan.files)
        git(
            root,
            "commit",
            "-q",
            "-m",
            f"Release {plan.new_version}\n\nRequired bump: {plan.required_bump}; "
            f"chosen: {plan.bump}.\n\n" + "\n".join(plan.diff.reasons),
        )
        _checkpoint("commit")
        dist = root / "dist"
        dist.mkdir(exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".release-", dir=dist))
        rollback.temp_dirs.append(staging)
        built = build_release_archives(
            root, head(root) or "HEAD", staging, plan.new_version, plan.date, plan.diff_manifest()
        )
        _checkpoint("archive")
        name = built.manifest["name"]
        git(root, "tag", "-a", plan.tag, "-m", f"{name} {plan.new_version}")
        rollback.tag = plan.tag
        _checkpoint("tag")
        for source in (built.zip_path, built.tar_path, built.manifest_path):
            target = dist / source.name
            if target.exists():
                raise ReleaseError(f"{target} already exists; remove it and release again")
            os.replace(source, target)
            rollback.published.append(target)
        _checkpoint("publish")
    except BaseException as error:
        rollback.undo()
        signal.signal(signal.SIGTERM, previous_handler)
        if isinstance(error, KeyboardInterrupt):
            raise ReleaseError("release interrupted; every file, the commit and the tag were rolled back") from None
        if isinstance(error, ReleaseError):
            raise
        raise ReleaseError(f"release failed and was rolled back: {type(error).__name__}: {error}") from None
    shutil.rmtree(staging, ignore_errors=True)
    signal.signal(signal.SIGTERM, previous_handler)
    return rollback.published


def build_release_archives(
    root: Path, commit: str, out_dir: Path, version: str, date: str, diff_manifest: dict[str, Any]
) -> BuiltArchive:
    """Archives of COMMIT's tracked files: the same bytes at release time and on any rebuild."""
    with tempfile.TemporaryDirectory(prefix="timeline-build-") as temp:
        tree = Path(temp)
        export_tree(root, commit, tree, tracked_archive_content(root, commit))
        name = load_descriptor(tree / "datapackage.json")["name"]
        return build_archives(tree, out_dir, name, version, date, diff_manifest)


def tracked_archive_content(root: Path, commit: str) -> tuple[str, ...]:
    tracked = set(git(root, "ls-tree", "--name-only", commit).split("\n"))
    return tuple(entry for entry in ARCHIVE_CONTENT if entry in tracked)


def rebuild_release(path: str | Path | None, version: str | None, out_dir: Path | None = None) -> BuiltArchive:
    """Rebuild the archives of release VERSION (default: latest) from git history alone."""
    root = find_package(path).parent
    repo = require_repo(root)
    releases = find_releases(repo)
    if not releases:
        raise ReleaseError("no release yet: make one with `timeline release`")
    wanted = version.lstrip("v") if version else max(releases, key=lambda r: version_key(r.version)).version
    index = next((i for i, r in enumerate(releases) if r.version == wanted), None)
    if index is None:
        raise ReleaseError(f"no release {wanted} in the history of HEAD")
    release = releases[index]
    previous = max(
        (r for r in releases if version_key(r.version) < version_key(wanted)),
        key=lambda r: version_key(r.version),
        default=None,
    )
    with snapshot(release.commit, root) as current:
        diff = release_diff(root, previous, "release", current.root)
    plan = ReleasePlan(root, previous, release.version, release.date, diff.required_bump, "", diff)
    target = out_dir or root / "dist"
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".rebuild-", dir=target) as staging:
        built = build_release_archives(
            root, release.commit, Path(staging), release.version, release.date, plan.diff_manifest()
        )
        moved = []
        for source in (built.zip_path, built.tar_path, built.manifest_path):
            os.replace(source, target / source.name)
            moved.append(target / source.name)
    return BuiltArchive(moved[0], moved[1], moved[2], built.manifest)
