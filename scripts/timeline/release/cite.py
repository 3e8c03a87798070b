"""The citation of a release, read from that release's own files in git history."""

from __future__ import annotations

import json
from pathlib import Path

from ..citation import Citation, citation_from
from ..errors import RevisionError
from .git import show_file
from .history import Release, find_release, latest_release, require_repo


def release_citation(path: Path, version: str | None = None) -> Citation:
    """Citation of release VERSION (default: the latest) of the package at PATH."""
    repo = require_repo(path)
    release: Release | None = find_release(repo, version) if version else latest_release(repo)
    if release is None:
        raise RevisionError("no release yet: make one with `timeline release`")
    descriptor = json.loads(show_file(repo, release.commit, "datapackage.json") or b"{}")
    cff_text = (show_file(repo, release.commit, "CITATION.cff") or b"").decode("utf-8")
    return citation_from(descriptor, cff_text, release.version, release.date, release.commit)
