"""Which column rule speaks for which check; the rules of the checks that look at every table.

Checks without a rule here (:class:`~..checks.sources.SourceTexts`, a few rows per source) are
called on every row.
"""

from __future__ import annotations

import functools
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ...package.arrays import empty, falses, int_scalar, strings
from ..checks.base import PROGRESS_EVERY, Progress, TimelineCheck
from ..checks.cells import CanonicalValues
from ..checks.dating import DateRules
from ..checks.links import AboutCycles
from ..checks.provenance import QuoteProvenance
from ..checks.rows import EventRules
from ..checks.safety import FORMULA_TRIGGERS, INVISIBLE, MAX_CELL_CHARS, WEB_ADDRESS, SpreadsheetSafety, WebAddresses
from ..checks.statement_needs import StatementLinks
from .event_rules import DateColumns, EventColumns, QuoteColumns
from .link_rules import CycleColumns, StatementColumns
from .rows import Batch
from .rule import ColumnRule, no_rows
from .vector import any_of

# Every character INVISIBLE matches, and every space (str.isspace), lies below this: scanning up to
# here is exact, and 17 times quicker than all of Unicode (tests/test_engine_rules.py checks the rest).
SCAN_BELOW = 0x10000


def _re2_class(code_points: list[int]) -> str:
    """An RE2 character class of exactly CODE_POINTS, as ranges of \\x{...} escapes."""
    ranges: list[list[int]] = []
    for point in sorted(code_points):
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    return "[" + "".join(f"\\x{{{a:x}}}" + (f"-\\x{{{b:x}}}" if b > a else "") for a, b in ranges) + "]"


@functools.cache
def _first_suspects() -> list[int]:
    """What SpreadsheetSafety looks at when a cell starts with it: a formula trigger, a space of any
    kind (Python's str.isspace) or an invisible character — from the check's own definitions."""
    spaces = [c for c in range(SCAN_BELOW) if chr(c).isspace()]
    return sorted({*spaces, *(ord(t) for t in FORMULA_TRIGGERS), *_invisible()})


def _invisible() -> list[int]:
    return [c for c in range(SCAN_BELOW) if INVISIBLE.match(chr(c))]


@functools.cache
def invisible_pattern() -> str:
    """RE2: an invisible character anywhere in the cell."""
    return _re2_class(_invisible())


@functools.cache
def first_suspects() -> pa.Array:
    return strings(chr(c) for c in _first_suspects())


def safe_value(value: str) -> bool:
    """SpreadsheetSafety finds nothing in VALUE (asked of enum members, which stand for a whole column)."""
    suspect_first = bool(value) and ord(value[0]) in _first_suspects()
    return not (INVISIBLE.search(value) or suspect_first or len(value) > MAX_CELL_CHARS)


class SpreadsheetColumns(ColumnRule):
    """Rows with a text cell holding an invisible character, starting with a suspect character (see
    _first_suspects), or longer than a spreadsheet holds: what SpreadsheetSafety looks at.

    Printable ASCII holds no invisible character, so only the other cells meet the RE2 class; a
    column whose enum members are all safe holds only safe cells and is skipped.
    """

    def __init__(self, check: Any) -> None:
        super().__init__(check)
        schema = check.resource.schema
        self.fields: list[str] = []
        for _, name in check.string_fields:
            enum = schema.get_field(name).constraints.get("enum")
            if not (isinstance(enum, list) and all(isinstance(v, str) and safe_value(v) for v in enum)):
                self.fields.append(name)

    def rows(self, batch: Batch) -> pa.Array:
        masks = []
        for name in self.fields:
            cells = batch.raw[batch.names.index(name)]
            lengths = pc.binary_length(cells)
            # bytes ≥ characters: a cell within the limit in bytes is within it in characters
            masks.append(pc.greater(lengths, int_scalar(MAX_CELL_CHARS)))
            masks.append(pc.is_in(pc.utf8_slice_codeunits(cells, 0, 1), value_set=first_suspects()))
            # ascii_is_printable is False for "" too: those are not looked at
            other = pc.and_(pc.invert(pc.ascii_is_printable(cells)), pc.invert(empty(cells)))
            if pc.any(other).as_py():
                invisible = pc.match_substring_regex(pc.filter(cells, other), invisible_pattern())
                masks.append(pc.replace_with_mask(falses(batch.count), other, invisible))
        return any_of(masks, batch.count)


class WebAddressColumns(ColumnRule):
    """Rows with a uri cell that does not start as an http(s) address (checks.safety.WEB_ADDRESS, in RE2)."""

    def rows(self, batch: Batch) -> pa.Array:
        masks = []
        for name in self.check.uri_fields:
            cells = batch.raw[batch.names.index(name)]
            web = pc.match_substring_regex(cells, "^" + WEB_ADDRESS.pattern)
            masks.append(pc.and_(pc.invert(empty(cells)), pc.invert(web)))
        return any_of(masks, batch.count)


class CanonicalColumns(ColumnRule):
    """Every cell the engine decided is already written in the canonical form this check wants."""

    def rows(self, batch: Batch) -> pa.Array:
        return no_rows(batch)


class ProgressColumns(ColumnRule):
    """Counts a batch at once and reports as often as the row-by-row check would."""

    def rows(self, batch: Batch) -> pa.Array:
        check = self.check
        before = check.rows_seen
        check.rows_seen += batch.count
        if check.rows_seen // PROGRESS_EVERY != before // PROGRESS_EVERY:
            check.report_progress()
        return no_rows(batch)


RULES: dict[type[TimelineCheck], type[ColumnRule]] = {
    Progress: ProgressColumns,
    SpreadsheetSafety: SpreadsheetColumns,
    WebAddresses: WebAddressColumns,
    CanonicalValues: CanonicalColumns,
    EventRules: EventColumns,
    QuoteProvenance: QuoteColumns,
    DateRules: DateColumns,
    StatementLinks: StatementColumns,
    AboutCycles: CycleColumns,
}


def rule_for(check: TimelineCheck) -> ColumnRule:
    return RULES.get(type(check), ColumnRule)(check)

