"""Which rows a row check could find anything in, decided on columns; the check itself runs on those rows only.

A prefilter must flag a superset of the rows where its check adds a finding: the check still
decides, so its findings (and their order) are exactly those of the reference pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ..checks.cells import CanonicalValues
from ..checks.safety import FORMULA_TRIGGERS, MAX_CELL_CHARS, SpreadsheetSafety

# Rows -> per-row flags (None: every row). Keyed by check class.
Prefilter = Callable[[list[dict[str, Any]], list[pa.Array]], list[bool] | None]

# ASCII controls, and formula triggers or a space first: with non-ASCII text and overlong
# cells, everything SpreadsheetSafety looks for (its invisible and whitespace classes lie
# in these ranges or outside ASCII).
_TRIGGERS = "".join("\\" + c if c in "-\\]^" else c for c in FORMULA_TRIGGERS if c.isprintable())
_ASCII_SUSPECT = "[\\x00-\\x1f\\x7f]|^[" + _TRIGGERS + " ]"


def spreadsheet_rows(fields: list[dict[str, Any]], raw: list[pa.Array]) -> list[bool] | None:
    flagged: Any = None
    for spec, cells in zip(fields, raw, strict=True):
        if spec.get("type") != "string":
            continue
        suspect = pc.or_(
            pc.invert(pc.string_is_ascii(cells)),
            pc.or_(pc.match_substring_regex(cells, _ASCII_SUSPECT), pc.greater(pc.utf8_length(cells), MAX_CELL_CHARS)),
        )
        flagged = suspect if flagged is None else pc.or_(flagged, suspect)
    if flagged is None:
        return [False] * len(raw[0]) if raw else []
    return list(flagged.to_pylist())


def no_rows(fields: list[dict[str, Any]], raw: list[pa.Array]) -> list[bool] | None:
    """CanonicalValues: every cell the fast engine decides is already in the canonical form it checks."""
    return [False] * len(raw[0]) if raw else []


PREFILTERS: dict[type, Prefilter] = {SpreadsheetSafety: spreadsheet_rows, CanonicalValues: no_rows}
