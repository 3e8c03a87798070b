"""Quote provenance: every quote is the archived source text at its offsets."""

from __future__ import annotations

from typing import Any, ClassVar

from .. import findings as F
from .base import TimelineCheck


def offsets_outside(text: str, start: int, end: int) -> str:
    """Why START:END is not a span of TEXT (0-based code points, end exclusive); empty when it is.

    Quotes and dating words are both pinned this way, so both checks ask here.
    """
    if 0 <= start < end <= len(text):
        return ""
    return f"offsets {start}:{end} are outside the source text (0:{len(text)})"


class QuoteProvenance(TimelineCheck):
    """Every quote is the source text at its offsets; date_text stands in the source."""

    resources: ClassVar[tuple[str, ...]] = ("events",)

    def row(self, row: Any) -> None:
        text = self.context.texts.get(row["source_id"])
        if text is None:
            return  # unknown source (a foreign-key finding) or unreadable text (a source finding)
        number = row.row_number
        quote, start, end = row["quote"], row["quote_start"], row["quote_end"]
        if quote is None or start is None or end is None:
            return
        outside = offsets_outside(text, start, end)
        if outside:
            self.finding(
                F.QUOTE_OFFSETS_OUT_OF_RANGE,
                outside,
                row=number,
                field="quote_start",
                fix="offsets are 0-based code points, end exclusive; recompute them with `timeline locate`",
            )
            return
        if text[start:end] != quote:
            where = text.find(quote)
            hint = (
                f"the quote stands at {where}:{where + len(quote)}"
                if where >= 0
                else "the quote does not occur in the source verbatim"
            )
            self.finding(
                F.QUOTE_MISMATCH,
                f"quote differs from the source text at {start}:{end}; {hint}",
                row=number,
                field="quote",
                fix="copy the passage verbatim from the source and set quote_start/quote_end "
                "to its offsets (`timeline locate` prints them)",
            )
        date_text = row["date_text"]
        if date_text and date_text not in text:
            self.finding(
                F.DATE_TEXT_NOT_IN_SOURCE,
                f"date_text {date_text!r} does not occur in the source",
                row=number,
                field="date_text",
                fix="quote the article's dating words verbatim",
            )
