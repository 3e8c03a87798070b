"""A row's dates in words, as every view (page, chart, exports) shows them."""

from __future__ import annotations

import datetime as dt
from typing import Any


def dating_words(row: dict[str, Any]) -> str:
    return f"“{row['date_text']}”" if row.get("date_text") else "no dating words"


def date_label(row: dict[str, Any]) -> str:
    """The dates in words: '22–23 May 2023', 'on or before 25 May 2023', 'night of 24–25 May 2023',
    'from about 25 Apr to 25 May 2023'."""
    end = dt.date.fromisoformat(row["date_end"])
    if row["date_precision"] == "on-or-before":
        return f"on or before {end.day} {end:%b %Y}"
    start = dt.date.fromisoformat(row["date_start"])
    if start == end:
        return f"{end.day} {end:%b %Y}"
    prefix = "night of " if row["date_precision"] == "overnight" else ""
    first = f"{start.day}" if (start.year, start.month) == (end.year, end.month) else f"{start.day} {start:%b}"
    if row["date_precision"] == "approximate-start":  # the start is about date_start (EDTF ~)
        return f"from about {first} to {end.day} {end:%b %Y}"
    return f"{prefix}{first}–{end.day} {end:%b %Y}"
