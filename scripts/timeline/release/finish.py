"""After the ref transaction: bring the work tree, the index and dist/ up to the published release.

Used twice: by ``apply_release`` right after it publishes, and by ``finish_interrupted``
when a journal shows that a process died after publishing (kill -9, power loss, a full
disk). Both do the same idempotent steps, so finishing twice is harmless.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import GitError, ReleaseError, ReleaseRefusedError
from ..package import find_package
from ..package.atomic import atomic_write_bytes
from . import steps
from .archive import BuiltArchive
from .build import build_release_archives
from .dist import dist_folder, publish_archives, remove_staging_folders, staging_folder, verify_archives
from .git import current_branch, git, git_dir, head, ref_value
from .history import require_repo
from .journal import Journal, read_journal, remove_journal
from .lock import ReleaseLock
from .objects import TEMP_INDEX_PREFIX


@dataclass
class Recovery:
    """What ``finish_interrupted`` found and did."""

    action: str  # "finished" (published, now complete), "discarded" (never published), "cleaned" (leftovers only)
    journal: Journal | None = None
    published: list[Path] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    taken_over: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "version": self.journal.version if self.journal else None,
            "commit": self.journal.commit if self.journal else None,
            "published": [str(p) for p in self.published],
            "removed": self.removed,
            "stale_lock_of": self.taken_over,
        }


def stage_archives(
    root: Path, dist: Path, commit: str, version: str, date: str, manifest: dict[str, Any]
) -> BuiltArchive:
    """The release archives of COMMIT, built into a new staging folder inside DIST and verified."""
    staging = staging_folder(dist, ".release-")
    built = build_release_archives(root, commit, staging, version, date, manifest)
    verify_archives(built)
    return built


def complete_release(root: Path, journal: Journal, staged: BuiltArchive | None) -> list[Path]:
    """Work tree and index to the release commit, archives into dist/, then forget the journal."""
    steps.checkpoint("published")
    sync_worktree(root, journal)
    steps.checkpoint("worktree")
    dist = dist_folder(root)
    if staged is None:
        staged = stage_archives(root, dist, journal.commit, journal.version, journal.date, journal.diff_manifest)
    published = publish_archives(staged, dist)
    staged.zip_path.parent.rmdir()
    steps.checkpoint("dist")
    remove_journal(root)
    return published


def _blobs(root: Path, tree: str | None, paths: list[str]) -> dict[str, tuple[str, str]]:
    """path -> (mode, blob) in TREE (a commit) or in the index (None)."""
    if tree is None:
        listing = git(root, "ls-files", "-s", "-z", "--", *paths)
    else:
        listing = git(root, "ls-tree", "-z", tree, "--", *paths)
    entries = {}
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        fields = meta.split()
        entries[path] = (fields[0], fields[2] if tree is not None else fields[1])
    return entries


def _worktree_blobs(root: Path, paths: list[str]) -> dict[str, str | None]:
    """The blob id each work-tree file would get (after git's filters); None when it is missing."""
    present = [p for p in paths if (root / p).is_file() and not (root / p).is_symlink()]
    blobs = git(root, "hash-object", "--", *present).split() if present else []
    return {path: dict(zip(present, blobs, strict=True)).get(path) for path in paths}


def _blob_contents(root: Path, blobs: list[str]) -> list[bytes]:
    """The bytes of BLOBS, in one `git cat-file --batch`."""
    out = subprocess.run(
        ["git", "cat-file", "--batch"], cwd=root, input="".join(b + "\n" for b in blobs).encode(), capture_output=True
    ).stdout
    contents = []
    for _ in blobs:
        header, out = out.split(b"\n", 1)
        size = int(header.split()[2])
        contents.append(out[:size])
        out = out[size + 1 :]
    return contents


def sync_worktree(root: Path, journal: Journal) -> None:
    """Each released file, in the work tree and the index, from its old content to the release's.

    Refused (nothing written) when a file is neither the old nor the new content: someone
    changed it since, and their change is not ours to overwrite.
    """
    old = _blobs(root, journal.old, journal.files) if journal.old else {}
    new = _blobs(root, journal.commit, journal.files)
    staged = _blobs(root, None, journal.files)
    current = _worktree_blobs(root, journal.files)
    foreign = [path for path in journal.files if path not in new]
    if foreign:
        raise GitError(
            f"the journal of release {journal.version} names {', '.join(foreign)}, which its commit "
            f"{journal.commit[:12]} does not have; remove {git_dir(root) / 'timeline-release.json'}"
        )
    changed = []
    for path in journal.files:
        allowed = {old.get(path, (None, None))[1], new[path][1]}
        if current[path] not in allowed or staged.get(path, (None, None))[1] not in allowed:
            changed.append(path)
    if changed:
        raise ReleaseRefusedError(
            f"release {journal.version} is published ({journal.short_branch} at {journal.commit[:12]}, "
            f"tag {journal.tag}) but {', '.join(changed)} changed since it was interrupted, so it was not "
            f"finished. Keep a copy of your changes, run `git checkout {journal.tag} -- {' '.join(changed)}`, "
            "then `timeline release` to finish it"
        )
    stale = [path for path in journal.files if current[path] != new[path][1]]
    for path, data in zip(stale, _blob_contents(root, [new[p][1] for p in stale]), strict=True):
        atomic_write_bytes(root / path, data)
    info = "".join(f"{new[p][0]} {new[p][1]}\t{p}\n" for p in journal.files)
    git(root, "update-index", "--index-info", input_bytes=info.encode("utf-8"))
    git(root, "update-index", "-q", "--refresh", check=False)


def remove_leftovers(root: Path) -> list[str]:
    """Staging folders and temporary indexes of killed processes. Only under the release lock."""
    removed = (
        remove_staging_folders(root / "dist") if (root / "dist").is_dir() and not (root / "dist").is_symlink() else []
    )
    for index in sorted(git_dir(root).glob(TEMP_INDEX_PREFIX + "*")):
        index.unlink(missing_ok=True)
        removed.append(f".git/{index.name}")
    return removed


def _has_leftovers(root: Path) -> bool:
    dist = root / "dist"
    staging = dist.is_dir() and any(p.name.startswith((".release-", ".rebuild-")) for p in dist.iterdir())
    return staging or any(git_dir(root).glob(TEMP_INDEX_PREFIX + "*"))


def _complete_refs(root: Path, journal: Journal) -> None:
    """A transaction git committed only halfway (a crash inside git): put the missing ref in place."""
    tag_ref = f"refs/tags/{journal.tag}"
    tag_now, branch_now = ref_value(root, tag_ref), ref_value(root, journal.branch)
    if tag_now is None:
        git(root, "update-ref", tag_ref, journal.tag_object, "")
    elif tag_now != journal.tag_object:
        raise ReleaseRefusedError(
            f"release {journal.version} is published ({journal.short_branch} at {journal.commit[:12]}) but tag "
            f"{journal.tag} now names another object; check it (`git show {journal.tag}`), then run "
            f"`git tag -f -a {journal.tag} {journal.commit}` and `timeline release` to finish"
        )
    if branch_now == journal.old:
        git(root, "update-ref", journal.branch, journal.commit, journal.old or "")
    elif branch_now != journal.commit:
        raise ReleaseRefusedError(
            f"release {journal.version} ({journal.commit[:12]}, tag {journal.tag}) was interrupted and "
            f"{journal.short_branch} has moved since to {(branch_now or 'nothing')[:12]}: finish it by hand "
            f"(`git checkout {journal.tag} -- {' '.join(journal.files)}`, then `timeline build --version "
            f"{journal.version}`) and remove {git_dir(root) / 'timeline-release.json'}"
        )
    if current_branch(root) != journal.branch or head(root) != journal.commit:
        raise ReleaseRefusedError(
            f"release {journal.version} is published on {journal.short_branch} but not finished, and HEAD is "
            f"elsewhere: run `git switch {journal.short_branch}`, then `timeline release` to finish it"
        )


def finish_interrupted(path: str | Path | None) -> Recovery | None:
    """Finish a release that was published but not completed, or clear what an unpublished one left.

    None when there is nothing to do (the usual case, decided without taking the lock).
    """
    root = find_package(path).parent
    repo = require_repo(root)
    if read_journal(repo) is None and not _has_leftovers(repo):
        return None
    with ReleaseLock(git_dir(repo, common=True)) as lock, steps.Interrupts() as interrupts:
        interrupts.defer()  # finishing is short and idempotent: a SIGTERM waits for it
        journal = read_journal(repo)
        removed = remove_leftovers(repo)
        if journal is None:
            return Recovery("cleaned", removed=removed, taken_over=lock.taken_over)
        if not journal.published(repo):
            remove_journal(repo)
            return Recovery("discarded", journal, removed=removed, taken_over=lock.taken_over)
        _complete_refs(repo, journal)
        try:
            published = complete_release(repo, journal, None)
        except (OSError, GitError, ReleaseError) as error:
            if isinstance(error, ReleaseRefusedError):
                raise
            raise ReleaseError(
                f"release {journal.version} is published but finishing it failed: {error}. "
                "Fix the cause and run `timeline release` again to finish it"
            ) from None
        return Recovery("finished", journal, published, removed, lock.taken_over)
