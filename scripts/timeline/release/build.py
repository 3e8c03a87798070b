"""``timeline build``: a release's archives from git history, the same bytes at release time and on any rebuild."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from ..errors import ReleaseError, ReleaseRefusedError
from ..package import find_package, load_descriptor
from ..versioning import version_key
from .archive import ARCHIVE_CONTENT, BuiltArchive, build_archives, release_layout
from .dist import dist_folder
from .git import export_tree, git, git_dir, is_shallow
from .history import find_releases, require_repo, snapshot
from .lock import ReleaseLock
from .plan import ReleasePlan, release_diff


def build_release_archives(
    root: Path, commit: str, out_dir: Path, version: str, date: str, diff_manifest: dict[str, Any]
) -> BuiltArchive:
    """Archives of COMMIT's tracked files: the same bytes at release time and on any rebuild."""
    with tempfile.TemporaryDirectory(prefix="timeline-build-") as temp:
        tree = Path(temp)
        export_tree(root, commit, tree, tracked_archive_content(root, commit))
        name = load_descriptor(tree / "datapackage.json")["name"]
        return build_archives(tree, out_dir, name, version, date, diff_manifest, release_layout(tree))


def tracked_archive_content(root: Path, commit: str) -> tuple[str, ...]:
    tracked = set(git(root, "ls-tree", "--name-only", commit).split("\n"))
    return tuple(entry for entry in ARCHIVE_CONTENT if entry in tracked)


def rebuild_release(path: str | Path | None, version: str | None, out_dir: Path | None = None) -> BuiltArchive:
    """Rebuild the archives of release VERSION (default: latest) from git history alone."""
    root = find_package(path).parent
    repo = require_repo(root)
    if is_shallow(repo):
        raise ReleaseRefusedError(
            "this clone has shallow history: the previous release, which the archives' manifest describes, "
            "is not in it, so the bytes would differ. Run `git fetch --unshallow` and build again"
        )
    target = out_dir or dist_folder(root)
    with ReleaseLock(git_dir(repo, common=True)):
        return _rebuild(root, repo, version, target)


def _rebuild(root: Path, repo: Path, version: str | None, target: Path) -> BuiltArchive:
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
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".rebuild-", dir=target) as staging:
        built = build_release_archives(
            root, release.commit, Path(staging), release.version, release.date, plan.diff_manifest()
        )
        for source in built.outputs:
            os.replace(source, target / source.name)
    return built.moved_to(target)
