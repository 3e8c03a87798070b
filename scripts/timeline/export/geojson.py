"""GeoJSON (RFC 7946): one Point Feature per place that has coordinates, carrying its events.

Places without coordinates are listed in the collection's ``places_without_coordinates``
member, never given an invented point; rows without a place in ``events_without_place``.
Coordinates are [longitude, latitude] in WGS 84, as RFC 7946 requires.
"""

from __future__ import annotations

import json
from typing import Any

from ..package.tables import PackageTables, Row

EVENT_FIELDS = (
    "event_id", "kind", "event_type", "summary", "date_start", "date_end", "date_precision", "date_text",
    "attributed_to", "claim_status", "about_event_id",
)  # fmt: skip


def _events_at(events: list[Row], place_id: str) -> list[dict[str, Any]]:
    return [{k: e.get(k) for k in EVENT_FIELDS} for e in events if e.get("place_id") == place_id]


def feature_collection(tables: PackageTables) -> dict[str, Any]:
    events = tables.tables["events"].rows
    features, unplaced = [], []
    for place in tables.tables["places"].rows:
        at = _events_at(events, place["place_id"])
        if place["latitude"] is None or place["longitude"] is None:
            unplaced.append({**place, "events": at})
            continue
        features.append(
            {
                "type": "Feature",
                "id": place["place_id"],
                "geometry": {"type": "Point", "coordinates": [place["longitude"], place["latitude"]]},
                "properties": {**place, "events": at},
            }
        )
    return {
        "type": "FeatureCollection",
        "name": tables.descriptor.get("name"),
        "title": tables.descriptor.get("title"),
        "version": tables.version,
        "license": tables.licence,
        "license_url": tables.licence_url,
        "features": features,
        "places_without_coordinates": unplaced,
        "events_without_place": [e["event_id"] for e in events if not e.get("place_id")],
    }


def geojson_text(tables: PackageTables) -> str:
    return json.dumps(feature_collection(tables), indent=2, ensure_ascii=False) + "\n"
