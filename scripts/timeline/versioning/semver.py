"""Semantic versions: parsing, ordering, and bumping. No git, no files: plain arithmetic."""

from __future__ import annotations

import re

from ..errors import RevisionError

SEMVER = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)$")
LEVELS = ("none", "patch", "minor", "major")


def is_version(text: str) -> bool:
    return bool(SEMVER.match(text))


def version_key(version: str) -> tuple[int, int, int]:
    match = SEMVER.match(version)
    if not match:
        raise RevisionError(f"{version!r} is not a MAJOR.MINOR.PATCH version")
    return int(match.group(1)), int(match.group(2)), int(match.group(3))


def level_rank(level: str) -> int:
    return LEVELS.index(level)


def max_level(levels: list[str]) -> str:
    return max(levels, key=level_rank, default="none")


def bump_version(version: str, level: str) -> str:
    major, minor, patch = version_key(version)
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    if level == "patch":
        return f"{major}.{minor}.{patch + 1}"
    raise ValueError(f"unknown bump {level!r}")
