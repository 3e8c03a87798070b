"""What our checks need from the Table Schemas: the fields they read, with their types, and the primary keys.

A retyped field (``quote_start`` as a string) would make a check compare a string with a number;
a missing one, look up a cell that is not there. Either is a finding here, and the checks of that
table stand aside instead of crashing. Only the fields the checks read are pinned: other fields may
be added or changed freely (that is the schema diff's business).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from . import findings as F
from .report import Finding

# table -> field -> type, for every field a check of ours reads
CHECKED_FIELDS: dict[str, dict[str, str]] = {
    "sources": {
        "source_id": "string",
        "published": "date",
        "text_path": "string",
        "text_sha256": "string",
        "text_chars": "integer",
    },
    "actors": {"actor_id": "string"},
    "places": {"place_id": "string"},
    "events": {
        "event_id": "string",
        "kind": "string",
        "event_type": "string",
        "date_start": "date",
        "date_end": "date",
        "date_precision": "string",
        "date_text": "string",
        "about_event_id": "string",
        "claim_status": "string",
        "source_id": "string",
        "quote": "string",
        "quote_start": "integer",
        "quote_end": "integer",
    },
}
PRIMARY_KEYS = {"sources": ["source_id"], "actors": ["actor_id"], "places": ["place_id"], "events": ["event_id"]}


def check_contract(schemas: dict[str, dict[str, Any]], resource_schemas: dict[str, str]) -> Iterator[Finding]:
    """Findings for each table whose schema breaks what the checks need (``Finding.field`` names the field)."""
    for table, expected in CHECKED_FIELDS.items():
        relative = resource_schemas.get(table)
        if relative is None:
            continue
        schema = schemas[relative]
        fields = schema.get("fields")
        declared = {
            f["name"]: f
            for f in (fields if isinstance(fields, list) else [])
            if isinstance(f, dict) and "name" in f and isinstance(f["name"], str)
        }
        for name, kind in expected.items():
            field = declared.get(name)
            if field is None:
                problem = "is missing"
            elif field.get("type") != kind:
                problem = f"has type {field.get('type')!r}; the checks read it as {kind!r}"
            elif field.get("format", "default") != "default":
                problem = f"has format {field.get('format')!r}; the checks read the default format"
            else:
                continue
            yield Finding.of(
                F.CHECKED_FIELD_MISMATCH,
                f"field {name!r} {problem}; the checks of table {table!r} stand aside",
                file=relative,
                field=name,
            )
        key = schema.get("primaryKey")
        if key != PRIMARY_KEYS[table]:
            yield Finding.of(
                F.PRIMARY_KEY_MISMATCH,
                f"primaryKey is {key!r}; the {table} table is keyed by {PRIMARY_KEYS[table]}",
                file=relative,
                field="primaryKey",
            )


def tables_standing_aside(findings: list[Finding], resource_schemas: dict[str, str]) -> set[str]:
    """Tables whose checks must not run: their schema breaks the contract."""
    broken = {f.file for f in findings if f.type == F.CHECKED_FIELD_MISMATCH.slug}
    return {table for table, relative in resource_schemas.items() if relative in broken}
