"""Resolving ``timeline diff OLD NEW`` arguments to two package snapshots and diffing them."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from .diff import DiffResult, diff_packages
from .errors import RevisionError
from .package import find_package
from .revisions import latest_release, require_repo, snapshot


def diff_revisions(path: str | Path | None, old: str | None, new: str | None) -> DiffResult:
    """OLD and NEW: versions, revisions or folders. Default OLD: the latest release; NEW: the working tree."""
    root = find_package(path).parent
    if old is None:
        release = latest_release(require_repo(root))
        if release is None:
            raise RevisionError("no release yet to compare with: pass OLD (a folder or git revision)")
        old = release.version
    with ExitStack() as stack:
        before = stack.enter_context(snapshot(old, root))
        after = stack.enter_context(snapshot(new, root))
        return diff_packages(before.root, after.root, before.label, after.label)
