"""Dating rules: `date_edtf` says what the date columns say, and `date_text` is pinned to its place in the source.

`date_edtf` is parsed with the `edtf` package (the Library of Congress EDTF, ISO 8601-2).
Only what the date columns can express is accepted: a day, an interval of days, an open or
unknown start (`../D`, `/D`) and an approximate start (`D~/D`). The interval's bounds are
compared with date_start/date_end, its qualifiers with date_precision.

The edtf parser (pyparsing, tried against every EDTF level) takes about 10 ms a string. The
forms the date columns produce are recognised first by a strict pattern that reads exactly
what edtf reads for them (tests/test_dating.py holds the two readers to the same answer),
and edtf's answers are cached per distinct string, so a million rows do not cost hours.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import io
import re
import time
from dataclasses import dataclass
from typing import Any, ClassVar

from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException
from edtf.parser.parser_classes import (
    Date,
    Interval,
    Level1Interval,
    UncertainOrApproximate,
    UnspecifiedIntervalSection,
)

from .. import findings as F
from .base import TimelineCheck
from .provenance import offsets_outside

# Cells these rules read; a cell that failed frictionless's type check arrives as None.
DATE_COLUMNS = ("date_start", "date_end", "date_precision", "date_edtf")
APPROXIMATE_START = "approximate-start"


@dataclass(frozen=True)
class EdtfSpan:
    """What an EDTF string says in the terms of the date columns."""

    start: datetime.date | None  # None: open (`..`) or unknown (empty) start
    end: datetime.date | None  # None: open or unknown end
    start_qualified: bool  # `~`, `?` or `%` on the start
    end_qualified: bool


class EdtfError(ValueError):
    pass


def _day(value: time.struct_time) -> datetime.date:
    return datetime.date(value.tm_year, value.tm_mon, value.tm_mday)


def _section(section: Any, *, lower: bool) -> tuple[datetime.date | None, bool]:
    """(bound, qualified) of one side of an interval, or of a single date."""
    if isinstance(section, UnspecifiedIntervalSection):
        return None, False
    if isinstance(section, UncertainOrApproximate):
        if not isinstance(section.date, Date):
            raise EdtfError(f"{section} is not a calendar date")
        qualified = bool(section.ua)
    elif isinstance(section, Date):
        qualified = False
    else:
        raise EdtfError(f"{section} is not a calendar date")
    try:
        return _day(section.lower_strict() if lower else section.upper_strict()), qualified
    except (ValueError, OverflowError) as error:  # year 0 or before: EDTF has it, Python's dates do not
        raise EdtfError(f"{section} is outside the years date_start and date_end can hold (1 to 9999)") from error


_DAY = r"\d{4}-\d{2}-\d{2}"
# The forms the date columns produce: a day, an interval of days, an open or unknown start, an approximate start.
COMMON_FORM = re.compile(rf"(?P<day>{_DAY})|(?:(?P<start>{_DAY})(?P<approx>~)?|(?P<open>\.\.)?)/(?P<end>{_DAY})")


def read_common_form(text: str) -> EdtfSpan | None:
    """The span of TEXT if it has one of the forms the date columns produce and real calendar days; else None."""
    match = COMMON_FORM.fullmatch(text)
    if match is None:
        return None
    try:
        if match["day"]:
            day = datetime.date.fromisoformat(match["day"])
            return EdtfSpan(day, day, False, False)
        start = datetime.date.fromisoformat(match["start"]) if match["start"] else None
        return EdtfSpan(start, datetime.date.fromisoformat(match["end"]), bool(match["approx"]), False)
    except ValueError:
        return None  # not a calendar day: edtf gives the error


def read_edtf(text: str) -> EdtfSpan:
    """The bounds and qualifiers of TEXT; EdtfError when it is not EDTF or says more than the columns can."""
    span = _read_edtf_once(text)
    if isinstance(span, str):
        raise EdtfError(span)  # a new exception each time: a cached one would gather every traceback
    return span


# A batch of the fast engine (~16k rows) reads each distinct string once, then its check reads the
# flagged ones again: the cache holds a batch, and keeps refusals too (edtf takes 2-10 ms either way).
@functools.lru_cache(maxsize=1 << 15)
def _read_edtf_once(text: str) -> EdtfSpan | str:
    """The span of TEXT, or why it has none."""
    try:
        return read_common_form(text) or read_with_edtf(text)
    except EdtfError as error:
        return str(error)


NOT_EDTF = "not EDTF (Library of Congress EDTF level 0 or 1)"


def read_with_edtf(text: str) -> EdtfSpan:
    """read_edtf by the edtf package's parser alone."""
    if any(character.isspace() for character in text):  # EDTF has none; the parser (pyparsing) skips it
        raise EdtfError(f"{NOT_EDTF}: it holds whitespace")
    try:
        # the parser prints to stdout what it tried when one of its classes refuses the tokens
        with contextlib.redirect_stdout(io.StringIO()):
            value = parse_edtf(text)
    except EDTFParseException as error:
        raise EdtfError(NOT_EDTF) from error
    except Exception as error:  # noqa: BLE001 - its classes fail on some inputs (TypeError on "../")
        raise EdtfError(NOT_EDTF) from error
    if isinstance(value, (Interval, Level1Interval)):
        start, start_qualified = _section(value.lower, lower=True)
        end, end_qualified = _section(value.upper, lower=False)
        return EdtfSpan(start, end, start_qualified, end_qualified)
    if isinstance(value, (Date, UncertainOrApproximate)):
        start, qualified = _section(value, lower=True)
        end, _ = _section(value, lower=False)
        return EdtfSpan(start, end, qualified, qualified)
    raise EdtfError(f"an EDTF {type(value).__name__} is beyond what date_start and date_end can express")


def _shown(value: datetime.date | None) -> str:
    return value.isoformat() if value else "empty"


def edtf_disagreements(span: EdtfSpan, start: Any, end: Any, precision: str) -> list[str]:
    """How SPAN differs from the row's date_start, date_end and date_precision (empty: they agree)."""
    problems = []
    if span.start != start:
        problems.append(f"it starts {span.start or 'open'} but date_start is {_shown(start)}")
    if span.end != end:
        problems.append(f"it ends {span.end or 'open'} but date_end is {_shown(end)}")
    if precision == APPROXIMATE_START and not span.start_qualified:
        problems.append("date_precision 'approximate-start' needs an approximate start (~)")
    if precision != APPROXIMATE_START and span.start_qualified:
        problems.append(f"its start is qualified (~ ? %) but date_precision is {precision!r}")
    if span.end_qualified and not (span.start_qualified and span.start == span.end):
        problems.append("its end is qualified (~ ? %); date_end is always a day the source supports")
    return problems


class DateRules(TimelineCheck):
    """date_edtf agrees with the date columns; date_text stands at its offsets in the source."""

    resources: ClassVar[tuple[str, ...]] = ("events",)

    def row(self, row: Any) -> None:
        self.check_edtf(row)
        self.check_date_text(row)

    def check_edtf(self, row: Any) -> None:
        text = row["date_edtf"]
        if not text:
            return  # a required-cell finding from frictionless
        failed = {getattr(error, "field_name", "") for error in row.errors}
        if failed & set(DATE_COLUMNS):
            return  # a typed date cell is broken: frictionless says which
        try:
            span = read_edtf(text)
        except EdtfError as error:
            self.finding(F.DATE_EDTF_INVALID, f"date_edtf {text!r}: {error}", row=row.row_number, field="date_edtf")
            return
        problems = edtf_disagreements(span, row["date_start"], row["date_end"], row["date_precision"])
        if problems:
            self.finding(
                F.DATE_EDTF_MISMATCH,
                f"date_edtf {text!r} disagrees with date_start {_shown(row['date_start'])}, date_end "
                f"{_shown(row['date_end'])}, date_precision {row['date_precision']!r}: " + "; ".join(problems),
                row=row.row_number,
                field="date_edtf",
            )

    def check_date_text(self, row: Any) -> None:
        words, start, end = row["date_text"], row["date_text_start"], row["date_text_end"]
        number = row.row_number
        if not words:
            if start is not None or end is not None:
                self.finding(
                    F.DATE_TEXT_OFFSETS_MISSING,
                    "date_text_start/date_text_end are set but date_text is empty",
                    row=number,
                    field="date_text_start",
                    fix="empty the offsets, or fill date_text with the words at them",
                )
            return
        if start is None or end is None:
            self.finding(
                F.DATE_TEXT_OFFSETS_MISSING, f"date_text {words!r} has no offsets", row=number, field="date_text_start"
            )
            return
        text = self.context.texts.get(row["source_id"])
        if text is None:
            return  # unknown source (a foreign-key finding) or unreadable text (a source finding)
        outside = offsets_outside(text, start, end)
        if outside:
            self.finding(F.DATE_TEXT_OFFSETS_OUT_OF_RANGE, outside, row=number, field="date_text_start")
            return
        if text[start:end] != words and words in text:  # words nowhere in the text: date-text-not-in-source
            self.finding(
                F.DATE_TEXT_MISMATCH,
                f"date_text {words!r} differs from the source text at {start}:{end} ({text[start:end]!r}); "
                f"it stands at {occurrences(text, words)}",
                row=number,
                field="date_text",
            )


def occurrences(text: str, words: str) -> str:
    """Every START:END of WORDS in TEXT, for a fix hint."""
    spans, at = [], text.find(words)
    while at >= 0:
        spans.append(f"{at}:{at + len(words)}")
        at = text.find(words, at + 1)
    return ", ".join(spans)
