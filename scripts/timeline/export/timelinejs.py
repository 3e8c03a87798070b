"""Knight Lab TimelineJS 3 JSON: one slide per row, grouped by kind.

Only the fields TimelineJS documents are used (tests/schemas/timelinejs.schema.json,
written from https://timeline.knightlab.com/docs/json-format.html). TimelineJS needs a
start_date on every slide: an on-or-before row has none, so its slide sits at its
upper bound and its display_date says "on or before" (the only honest option the
format leaves). The title slide carries the release version and licence.
"""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from typing import Any

from ..package.dates import date_label, dating_words
from ..package.tables import PackageTables, Row


def _date(day: str) -> dict[str, int]:
    parsed = dt.date.fromisoformat(day)
    return {"year": parsed.year, "month": parsed.month, "day": parsed.day}


def _slide(event: Row, actors: dict[str, Row]) -> dict[str, Any]:
    speaker = str(actors.get(event["attributed_to"], {}).get("name", event["attributed_to"]))
    start = event["date_start"] or event["date_end"]
    text = (
        f"<p>{escape(event['summary'])}</p>"
        f"<blockquote>“{escape(event['quote'])}”</blockquote>"
        f"<p>Who says so: {escape(speaker)} ({escape(event['claim_status'])}).</p>"
        + (f"<p>About: {escape(str(event['about_event_id']))}.</p>" if event.get("about_event_id") else "")
        + f"<p>Dates: {escape(str(event.get('date_basis') or 'not given'))}.</p>"
    )
    slide: dict[str, Any] = {
        "unique_id": event["event_id"],
        "start_date": _date(start),
        "display_date": escape(f"{date_label(event)} · {dating_words(event)}"),  # TimelineJS shows it as HTML
        "text": {"headline": f"{event['event_id']} · {event['event_type']} · {event['claim_status']}", "text": text},
        "group": event["kind"],
    }
    if event["date_start"] and event["date_end"] != event["date_start"]:
        slide["end_date"] = _date(event["date_end"])
    return slide


def timeline_document(tables: PackageTables) -> dict[str, Any]:
    actors = tables.tables["actors"].by_key()
    events = sorted(
        tables.tables["events"].rows, key=lambda e: (e["date_start"] or e["date_end"], e["date_end"], e["event_id"])
    )
    title = escape(str(tables.descriptor.get("title", "")))
    return {
        "title": {
            "text": {
                "headline": title,
                "text": f"<p>Version {escape(tables.version)} · data licence {escape(tables.licence)} "
                f"({escape(tables.licence_url)}).</p><p>{escape(str(tables.descriptor.get('description', '')))}</p>",
            }
        },
        "events": [_slide(e, actors) for e in events],
        "scale": "human",
    }


def timelinejs_text(tables: PackageTables) -> str:
    return json.dumps(timeline_document(tables), indent=2, ensure_ascii=False) + "\n"
