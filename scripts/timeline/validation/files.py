"""A package file that could not be read safely, as a finding.

Where the file is and what it is (outside the package, not a regular file, too large) has one
finding type whatever the file; what is wrong with its content (not UTF-8, bad syntax, beyond the
parser's limits) or its absence is named by the caller, for the kind of file it is.
"""

from __future__ import annotations

from ..errors import PackageFileError
from . import findings as F
from .findings import FindingType
from .report import Finding

WHERE = {"outside": F.UNSAFE_PATH, "not-regular": F.NOT_A_REGULAR_FILE, "too-large": F.FILE_TOO_LARGE}


def file_finding(
    error: PackageFileError,
    unreadable: FindingType,
    missing: FindingType | None = None,
    *,
    file: str = "",
    row: int | None = None,
    field: str = "",
) -> Finding:
    """The finding for ERROR: UNREADABLE for its content, MISSING (default: UNREADABLE) for its absence."""
    kind = WHERE.get(error.problem) or (missing or unreadable if error.problem == "missing" else unreadable)
    message = error.detail if (file or error.relative) == error.relative else str(error)
    return Finding.of(kind, message, file=file or error.relative, row=row, field=field)
