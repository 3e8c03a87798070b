"""The archived article as HTML, with every quoted span marked by the rows that quote it."""

from __future__ import annotations

from html import escape

from ..package.tables import Row


def quote_segments(text: str, events: list[Row]) -> list[tuple[str, list[str]]]:
    """TEXT cut at every quote boundary: (piece, ids of the rows whose quote covers it), in order.

    Overlapping and shared quotes (two rows quoting one sentence) give pieces with
    several ids, so a row's quote is exactly the concatenation of the pieces carrying its id.
    """
    cuts = {0, len(text)}
    for event in events:
        cuts.update((event["quote_start"], event["quote_end"]))
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    segments = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        ids = sorted(e["event_id"] for e in events if e["quote_start"] <= start and end <= e["quote_end"])
        segments.append((text[start:end], ids))
    return segments


def article_html(text: str, events: list[Row]) -> str:
    parts = []
    for piece, ids in quote_segments(text, events):
        if not ids:
            parts.append(escape(piece))
            continue
        label = "quoted by " + ", ".join(ids)
        parts.append(
            f'<mark class="quote" data-ids="{escape(" ".join(ids))}" tabindex="0" role="button" '
            f'title="{escape(label)}">{escape(piece)}</mark>'
        )
    return "".join(parts)
