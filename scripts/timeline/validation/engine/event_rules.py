"""Column rules of the event checks that judge each row on its own: kinds and claims, dates, provenance.

Each mask below mirrors one condition of its check, in the check's order, and may say ``True``
more often than the check finds something (the check decides); never less. The differential
tests (tests/test_engine_diff.py) hold them to the reference's findings.
"""

from __future__ import annotations

import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ...package.arrays import bools, falses, int_scalar, of_type, string_scalar
from ..checks.dating import APPROXIMATE_START, EdtfError, read_edtf
from ..checks.rows import NEEDS_ABOUT_TYPES, PRECISION_RULES
from .rows import Batch
from .rule import ColumnRule
from .vector import any_of, differ, is_, lookup, solid, spans_differ, within

STRING, INTEGER, DATE = pa.string(), pa.int64(), pa.date32()
ZERO, ONE, SIX = int_scalar(0), int_scalar(1), int_scalar(6)
NOTHING, COLON = string_scalar(""), string_scalar(":")


def _outside(start: pa.Array, end: pa.Array, length: pa.Array) -> pa.Array:
    """Per row: START:END is not a span of a text of LENGTH (checks.provenance.offsets_outside); False where unknown."""
    return solid(pc.or_(pc.or_(pc.less(start, ZERO), pc.greater_equal(start, end)), pc.greater(end, length)))


def _spans(
    texts: dict[str, str], source: pa.Array, start: pa.Array, end: pa.Array, expected: pa.Array
) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Per row, for a passage pinned by offsets (a quote, dating words): the source's text is known;
    START:END is not a span of it; the text at START:END is not EXPECTED (only asked inside the text,
    with every cell set)."""
    length = lookup(source, texts, INTEGER, len)
    outside = _outside(start, end, length)
    asked = pc.and_(pc.invert(outside), pc.and_(pc.is_valid(expected), pc.and_(pc.is_valid(start), pc.is_valid(end))))
    differs = spans_differ(texts, *(pc.filter(column, asked) for column in (source, start, end, expected)))
    return pc.is_valid(length), outside, pc.replace_with_mask(falses(len(expected)), asked, differs)


def _days(column: pa.Array) -> pa.Array:
    return pc.cast(column, pa.int32())


def _precision_masks(precision: pa.Array, start: pa.Array, end: pa.Array) -> list[Any]:
    """Rows whose date_precision rule (checks.rows.PRECISION_RULES) might fail; only where date_end is set."""
    no_start = pc.is_null(start)
    span = pc.subtract(_days(end), _days(start))  # null without a start
    other_month = pc.or_(pc.not_equal(pc.year(start), pc.year(end)), pc.not_equal(pc.month(start), pc.month(end)))
    broken = {
        "day": pc.or_(no_start, solid(pc.not_equal(span, ZERO))),
        "overnight": pc.or_(no_start, solid(pc.not_equal(span, ONE))),
        "range": no_start,
        "week": pc.or_(no_start, solid(pc.greater(span, SIX))),
        "month": pc.or_(no_start, solid(other_month)),
        "on-or-before": pc.invert(no_start),
    }
    has_end = pc.is_valid(end)
    # A precision this table does not know yet: every row of it is looked at.
    return [pc.and_(pc.and_(is_(precision, name), has_end), broken.get(name, has_end)) for name in PRECISION_RULES]


class EventColumns(ColumnRule):
    """checks.rows.EventRules: kind against event_type, date order and precision, claims and their targets."""

    def __init__(self, check: Any) -> None:
        super().__init__(check)
        # A category's kind is whatever the schema says (the profile leaves it open): only text is compared here.
        self.kinds_are_text = all(isinstance(kind, str) for kind in check.event_kinds.values())

    def rows(self, batch: Batch) -> pa.Array | None:
        if not self.kinds_are_text:
            return None
        strings = {n: batch.column(n, STRING) for n in ("event_id", "kind", "event_type", "about_event_id",
                                                         "claim_status", "source_id", "date_precision")}
        start, end = batch.column("date_start", DATE), batch.column("date_end", DATE)
        if start is None or end is None or any(column is None for column in strings.values()):
            return None
        event_id, kind, event_type = strings["event_id"], strings["kind"], strings["event_type"]
        about, status = strings["about_event_id"], strings["claim_status"]
        expected_kind = lookup(event_type, self.check.event_kinds, STRING)
        published = lookup(strings["source_id"], self.check.context.published, DATE)
        has_about = pc.is_valid(about)
        not_statement = pc.or_(pc.is_null(kind), solid(pc.not_equal(kind, string_scalar("statement"))))
        masks = [
            solid(pc.not_equal(kind, expected_kind)),
            solid(pc.greater(start, end)),
            solid(pc.greater(start, published)),
            solid(pc.greater(end, published)),
            *_precision_masks(strings["date_precision"], start, end),
            pc.and_(pc.invert(has_about), pc.or_(within(event_type, NEEDS_ABOUT_TYPES), is_(status, "denied"))),
            pc.and_(has_about, is_(kind, "occurrence")),
            solid(pc.equal(about, event_id)),
            pc.and_(is_(status, "denied"), not_statement),
        ]
        return any_of(masks, batch.count)


class QuoteColumns(ColumnRule):
    """checks.provenance.QuoteProvenance: offsets in the text, the quote at them, date_text in the text."""

    def rows(self, batch: Batch) -> pa.Array | None:
        source, quote, words = (batch.column(n, STRING) for n in ("source_id", "quote", "date_text"))
        start, end = batch.column("quote_start", INTEGER), batch.column("quote_end", INTEGER)
        if source is None or quote is None or words is None or start is None or end is None:
            return None
        texts: dict[str, str] = self.check.context.texts
        known, outside, differs = _spans(texts, source, start, end, quote)
        checked = pc.and_(pc.and_(known, pc.is_valid(quote)), pc.and_(pc.is_valid(start), pc.is_valid(end)))
        inside = pc.and_(checked, pc.invert(outside))
        missing = _absent_from_text(texts, pc.filter(source, inside), pc.filter(words, inside))
        missing_words = pc.replace_with_mask(falses(batch.count), inside, missing)
        return pc.and_(checked, pc.or_(pc.or_(outside, differs), missing_words))


def _absent_from_text(texts: dict[str, str], source: pa.Array, words: pa.Array) -> pa.Array:
    """Per row: WORDS is set and does not occur in its source text; asked once per distinct pair."""
    source, words = pc.fill_null(source, NOTHING), pc.fill_null(words, NOTHING)
    # "<length of source>:<source><words>": one string per pair, and no two pairs alike
    pairs = pc.binary_join_element_wise(pc.cast(pc.utf8_length(source), pa.string()), COLON, source, words, NOTHING)
    distinct = pc.unique(pairs)
    absent = []
    for pair in distinct.to_pylist():
        size, _, rest = pair.partition(":")
        key, text_words = rest[: int(size)], rest[int(size) :]
        text = texts.get(key)
        absent.append(bool(text_words) and text is not None and text_words not in text)
    return pc.take(bools(absent), pc.index_in(pairs, value_set=distinct))


class DateColumns(ColumnRule):
    """checks.dating.DateRules: date_edtf against the date columns, date_text at its offsets."""

    def rows(self, batch: Batch) -> pa.Array | None:
        edtf, precision, words, source = (batch.column(n, STRING) for n in ("date_edtf", "date_precision",
                                                                            "date_text", "source_id"))
        start, end = batch.column("date_start", DATE), batch.column("date_end", DATE)
        word_start, word_end = batch.column("date_text_start", INTEGER), batch.column("date_text_end", INTEGER)
        if edtf is None or precision is None or words is None or source is None or start is None or end is None:
            return None
        if word_start is None or word_end is None:
            return None
        return any_of([*_edtf_masks(edtf, precision, start, end),
                       *self._word_masks(words, source, word_start, word_end)], batch.count)

    def _word_masks(self, words: pa.Array, source: pa.Array, start: pa.Array, end: pa.Array) -> list[Any]:
        texts: dict[str, str] = self.check.context.texts
        has_words, offsets = pc.is_valid(words), pc.and_(pc.is_valid(start), pc.is_valid(end))
        known, outside, differs = _spans(texts, source, start, end, words)
        return [
            pc.and_(pc.invert(has_words), pc.or_(pc.is_valid(start), pc.is_valid(end))),
            pc.and_(has_words, pc.invert(offsets)),
            pc.and_(pc.and_(has_words, offsets), pc.and_(outside, known)),
            differs,
        ]


def _edtf_masks(edtf: pa.Array, precision: pa.Array, start: pa.Array, end: pa.Array) -> list[Any]:
    """Rows whose date_edtf is not EDTF or disagrees with the date columns; each distinct string is read once."""
    distinct = pc.drop_null(pc.unique(edtf))
    spans: list[tuple[datetime.date | None, datetime.date | None, bool, bool, bool]] = []
    for text in distinct.to_pylist():
        try:
            span = read_edtf(text)
        except EdtfError:
            spans.append((None, None, False, False, True))
            continue
        spans.append((span.start, span.end, span.start_qualified, span.end_qualified, False))
    at = pc.index_in(edtf, value_set=distinct)

    def part(index: int, kind: pa.DataType) -> pa.Array:
        return pc.take(of_type([span[index] for span in spans], kind), at)

    has_edtf = pc.is_valid(edtf)
    start_qualified = part(2, pa.bool_())
    wants_approximate = is_(precision, APPROXIMATE_START)
    return [
        pc.and_(has_edtf, m)
        for m in (
            solid(part(4, pa.bool_())),
            differ(part(0, DATE), start),
            differ(part(1, DATE), end),
            solid(pc.not_equal(start_qualified, wants_approximate)),
            solid(part(3, pa.bool_())),
        )
    ]
