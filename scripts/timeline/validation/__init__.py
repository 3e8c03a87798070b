"""``timeline validate``: the report, the finding registry, the frictionless adapter and the checks."""

from pathlib import Path

from .report import Finding, Report
from .validate import validate_package

__all__ = ["Finding", "Report", "problems", "validate_package"]


def problems(path: Path) -> list[str]:
    """One line per finding of the package at PATH (empty: valid). What a release needs to know."""
    return [f"{f.file or '(package)'}: {f.message} [{f.type}]" for f in validate_package(path).findings]
