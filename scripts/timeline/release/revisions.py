"""``timeline diff OLD NEW``: resolving versions, git revisions and folders to package snapshots, then diffing."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from ..errors import RevisionError
from ..package import DESCRIPTOR, find_package
from ..versioning import DiffResult, diff_packages
from .history import COMPARE_FOLDERS, latest_release, require_repo, snapshot


def _as_folder(spec: str | None) -> Path | None:
    """SPEC as a package folder when it is one (or names a datapackage.json); None otherwise."""
    if not spec:
        return None
    path = Path(spec)
    if path.name == DESCRIPTOR and path.is_file():
        return path.parent
    if path.is_dir() and (path / DESCRIPTOR).is_file():
        return path
    return None


def diff_revisions(path: str | Path | None, old: str | None, new: str | None) -> DiffResult:
    """OLD and NEW: versions, revisions or folders. Default OLD: the latest release; NEW: the working tree.

    Two package folders (or datapackage.json paths) are compared from anywhere, no git needed.
    """
    old_folder, new_folder = _as_folder(old), _as_folder(new)
    if old_folder is not None and new_folder is not None:
        return diff_packages(old_folder, new_folder, str(old), str(new))
    root = find_package(path).parent
    if old is None:
        release = latest_release(require_repo(root, COMPARE_FOLDERS))
        if release is None:
            raise RevisionError("no release yet to compare with: pass OLD (a folder or git revision)")
        old = release.version
    with ExitStack() as stack:
        before = stack.enter_context(snapshot(str(old_folder) if old_folder else old, root))
        after = stack.enter_context(snapshot(str(new_folder) if new_folder else new, root))
        return diff_packages(before.root, after.root, before.label, after.label)
