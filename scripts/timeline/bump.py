"""Semantic version bumps, following the Data Package Version recipe.

MAJOR: a change that can break a user's code or references: removing, renaming,
re-ordering or retyping a field; tightening a constraint; changing a key; removing a
resource or a row (other data may reference its id, e.g. an event_id).
MINOR: additions that old code still reads: rows, fields, resources; loosened constraints.
PATCH: corrected values and descriptive metadata.
"""

from __future__ import annotations

from .revisions import version_key

LEVELS = ("none", "patch", "minor", "major")


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
