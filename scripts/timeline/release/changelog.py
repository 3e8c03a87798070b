"""CHANGELOG.md: move the Unreleased notes under a release, followed by the generated summary of the data diff."""

from __future__ import annotations

import re

from ..errors import ReleaseError

UNRELEASED = re.compile(r"^## \[Unreleased\][^\n]*\n", re.MULTILINE)
NEXT_SECTION = re.compile(r"^## \[", re.MULTILINE)


def release_changelog(text: str, version: str, date: str, summary: str) -> str:
    """Unreleased notes become '## [version] - date' with the summary appended; a new empty Unreleased stays on top."""
    match = UNRELEASED.search(text)
    if match is None:
        raise ReleaseError("CHANGELOG.md has no '## [Unreleased]' section to release; add one with your notes")
    body_start = match.end()
    following = NEXT_SECTION.search(text, body_start)
    body_end = following.start() if following else len(text)
    notes = text[body_start:body_end].strip("\n")
    section = f"## [{version}] - {date}\n\n" + (notes + "\n\n" if notes else "") + summary
    rest = text[body_end:]
    return text[: match.start()] + "## [Unreleased]\n\n" + section + ("\n" + rest if rest else "")
