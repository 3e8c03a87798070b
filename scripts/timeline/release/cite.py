"""The citation of a release, read from that release's own files in git history."""

from __future__ import annotations

from pathlib import Path

from ..citation import Citation, citation_from
from ..errors import PackageFileError, RevisionError
from ..package.safeio import decode_utf8
from .git import show_file
from .history import Release, find_release, latest_release, load_mapping, require_repo


def release_citation(path: Path, version: str | None = None) -> Citation:
    """Citation of release VERSION (default: the latest) of the package at PATH."""
    repo = require_repo(path)
    release: Release | None = find_release(repo, version) if version else latest_release(repo)
    if release is None:
        raise RevisionError("no release yet: make one with `timeline release`")
    descriptor = load_mapping(show_file(repo, release.commit, "datapackage.json"), "datapackage.json", "json")
    cff_blob = show_file(repo, release.commit, "CITATION.cff") or b""
    try:
        cff_text = decode_utf8(cff_blob, "CITATION.cff")
        return citation_from(descriptor, cff_text, release.version, release.date, release.commit)
    except PackageFileError as error:
        raise RevisionError(f"release {release.version} ({release.commit[:7]}): {error}") from None
