"""Versions and what changed between them: semver, the diff model, row and schema diffs, the bump rules.

Reads package folders only; never git (the ``release`` layer resolves revisions to folders).
"""

from .compare import diff_packages
from .model import DiffResult, MetadataChange, ResourceDiff, RowChange, SchemaChange
from .semver import bump_version, level_rank, max_level, version_key

__all__ = [
    "DiffResult",
    "MetadataChange",
    "ResourceDiff",
    "RowChange",
    "SchemaChange",
    "bump_version",
    "diff_packages",
    "level_rank",
    "max_level",
    "version_key",
]
