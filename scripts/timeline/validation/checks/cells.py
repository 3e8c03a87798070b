"""Canonical values: what frictionless reads leniently, the codebook promises written one way.

frictionless (through Python's ``int`` and ``datetime``) accepts ``2023-5-24`` as a date and
``+5``, `` 5`` or ``1_000`` as integers. The codebook promises ISO 8601 dates and canonical
numbers, and other tools reading the CSV (a spreadsheet, R, pandas) may read those cells
differently, so the raw cells of typed fields are checked against one canonical form each.
"""

from __future__ import annotations

import re
from typing import Any

from .. import findings as F
from .base import TimelineCheck

INTEGER = r"-?(?:0|[1-9][0-9]*)"
CANONICAL = {
    "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    "integer": re.compile(INTEGER),
    "number": re.compile(INTEGER + r"(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?"),
    "year": re.compile(r"[0-9]{4}"),
    "boolean": re.compile(r"true|false"),
    "datetime": re.compile(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})?"
    ),
}
EXAMPLES = {
    "date": "YYYY-MM-DD, e.g. 2023-05-24",
    "integer": "digits, no sign but '-', no spaces, '_' or leading zeros, e.g. 5",
    "number": "e.g. 50.6, -3.25",
    "year": "four digits",
    "boolean": "true or false",
    "datetime": "ISO 8601, e.g. 2023-05-24T21:00:00Z",
}


class CanonicalValues(TimelineCheck):
    """Each typed cell is written in its canonical form (the type itself is frictionless's check)."""

    typed_fields: list[tuple[int, str, str, re.Pattern[str]]]
    missing: frozenset[str]

    def start(self) -> None:
        schema = self.resource.schema
        aligned = list(self.resource.labels or []) == schema.field_names
        self.missing = frozenset(schema.missing_values)
        self.typed_fields = (
            [(i, f.name, f.type, CANONICAL[f.type]) for i, f in enumerate(schema.fields) if f.type in CANONICAL]
            if aligned
            else []
        )

    def row(self, row: Any) -> None:
        cells = row.cells
        width = len(cells)
        for index, name, kind, pattern in self.typed_fields:
            value = cells[index] if index < width else None
            if not value or pattern.fullmatch(value) or value in self.missing:
                continue
            if any(getattr(error, "field_name", None) == name for error in row.errors):
                continue  # not a value of the type at all: frictionless's own finding says so
            self.finding(
                F.NON_CANONICAL_VALUE,
                f"{kind} written {value!r}; the canonical form is {EXAMPLES[kind]}",
                row=row.row_number,
                field=name,
            )
