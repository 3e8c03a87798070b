"""Releases found from git history, and package snapshots for any version, revision or folder.

A release is the first commit on the first-parent history of HEAD whose
CITATION.cff and datapackage.json carry the same new version: `timeline release`
writes both in one commit. Tags (vX.Y.Z) are a convenience on top: a fresh
clone without tags finds the same releases.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import PackageFileError, RevisionError
from ..package.safeio import parse_blob
from ..versioning.semver import SEMVER, version_key
from .git import export_tree, git, repo_root, show_file

PACKAGE_PREFIXES = ("datapackage.json", "data", "schemas")


@dataclass(frozen=True)
class Release:
    version: str
    commit: str
    date: str  # date-released of CITATION.cff


@dataclass(frozen=True)
class Snapshot:
    label: str  # what the user asked for, resolved: "1.0.0 (abc1234)", "working tree", a folder
    root: Path
    commit: str | None = None


def load_mapping(data: bytes | None, name: str, syntax: str) -> dict[str, Any]:
    """A YAML or JSON object from a git blob; {} when missing or unreadable (then it is no release).

    Parsed as files on disk are (``safeio``): capped, limited depth and aliases, so a committed
    alias bomb or a 100,000-deep array cannot hang or crash `cite`, `diff` or `release`.
    """
    if not data:
        return {}
    try:
        loaded = parse_blob(data, name, syntax)
    except PackageFileError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def find_releases(repo: Path) -> list[Release]:
    """Every release on HEAD's first-parent history, oldest first."""
    if git(repo, "rev-parse", "--verify", "-q", "HEAD", check=False).strip() == "":
        return []
    commits = git(repo, "log", "--first-parent", "--reverse", "--format=%H", "HEAD", "--", "CITATION.cff").split()
    releases: list[Release] = []
    seen: set[str] = set()
    for commit in commits:
        citation = load_mapping(show_file(repo, commit, "CITATION.cff"), "CITATION.cff", "yaml")
        version = str(citation.get("version", ""))
        if not version or version in seen or not SEMVER.match(version):
            continue
        descriptor = load_mapping(show_file(repo, commit, "datapackage.json"), "datapackage.json", "json")
        if str(descriptor.get("version", "")) != version:
            continue
        seen.add(version)
        releases.append(Release(version, commit, str(citation.get("date-released", ""))))
    return releases


def latest_release(repo: Path) -> Release | None:
    releases = find_releases(repo)
    return max(releases, key=lambda r: version_key(r.version)) if releases else None


def find_release(repo: Path, version: str) -> Release:
    wanted = version.lstrip("v")
    for release in find_releases(repo):
        if release.version == wanted:
            return release
    known = ", ".join(r.version for r in find_releases(repo)) or "none yet"
    raise RevisionError(f"no release {wanted} in the history of HEAD (releases: {known})")


COMPARE_FOLDERS = "; pass folders to compare instead"  # the hint for diff, which can compare two folders


def require_repo(root: Path, hint: str = "") -> Path:
    """The git repository whose top ROOT is; HINT ends the message when there is none (what to do instead)."""
    repo = repo_root(root)
    if repo is None:
        raise RevisionError(f"{root} is not in a git repository{hint}")
    if repo.resolve() != root.resolve():
        raise RevisionError(f"the package must be at the top of its git repository ({repo}), not in {root}")
    return repo


@contextmanager
def snapshot(spec: str | None, root: Path) -> Iterator[Snapshot]:
    """A package folder for SPEC: None (the working tree), a folder, a release version, or a git revision."""
    if spec is None or spec in (".", ""):
        yield Snapshot("working tree", root)
        return
    folder = Path(spec)
    if folder.is_dir() and (folder / "datapackage.json").is_file():
        yield Snapshot(str(folder), folder)
        return
    if folder.is_dir():
        raise RevisionError(f"{folder} has no datapackage.json")
    repo = require_repo(root, COMPARE_FOLDERS)
    if SEMVER.match(spec):
        release = find_release(repo, spec)
        commit, label = release.commit, f"{release.version} ({release.commit[:7]})"
    else:
        commit = git(repo, "rev-parse", "--verify", "-q", f"{spec}^{{commit}}", check=False).strip()
        if not commit:
            raise RevisionError(f"{spec!r} is not a folder, a release version or a git revision")
        label = f"{spec} ({commit[:7]})"
    with tempfile.TemporaryDirectory(prefix="timeline-snapshot-") as temp:
        export_tree(repo, commit, Path(temp), PACKAGE_PREFIXES)
        yield Snapshot(label, Path(temp), commit)
