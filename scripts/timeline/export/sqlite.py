"""SQLite for Datasette: typed tables with primary and foreign keys, full-text search, a metadata file.

Built with sqlite-utils (no hand-written SQL). Tables are created in dependency
order (sources, actors, places, events) so every foreign key, including
events.about_event_id -> events.event_id, is declared and `PRAGMA foreign_key_check`
finds nothing. FTS5 indexes events.summary and events.quote. A `release` table
holds the name, version, licence and title, so the file says what it is on its own;
the Datasette metadata file beside it carries the title, licence, source and every
column's description from the Table Schemas.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import sqlite_utils

from ..package.tables import PackageTables

SQL_TYPES: dict[str, type] = {"integer": int, "number": float, "string": str, "date": str}
FTS_COLUMNS = ("summary", "quote")


def _foreign_keys(table: str, schema: dict[str, Any]) -> list[tuple[str, str, str]]:
    keys = []
    for fk in schema.get("foreignKeys", []):
        (column,) = fk["fields"]
        (target_column,) = fk["reference"]["fields"]
        keys.append((column, fk["reference"].get("resource") or table, target_column))
    return keys


def write_sqlite(tables: PackageTables, target: Path) -> None:
    """Create the database at TARGET (which must not exist yet)."""
    connection = sqlite3.connect(target)
    try:
        db = sqlite_utils.Database(connection)
        for name, table in tables.tables.items():
            fields = table.fields
            columns = {f["name"]: SQL_TYPES.get(f.get("type", "string"), str) for f in fields}
            required = [f["name"] for f in fields if (f.get("constraints") or {}).get("required")]
            created = db.table(name).create(
                columns,
                pk=table.schema["primaryKey"][0],
                foreign_keys=_foreign_keys(name, table.schema),
                not_null=required,
                column_order=list(columns),
            )
            created.insert_all(table.rows)
        if "events" in tables.tables:
            db.table("events").enable_fts(list(FTS_COLUMNS), create_triggers=False)
        db.table("release").create({"key": str, "value": str}, pk="key").insert_all(
            [{"key": k, "value": v} for k, v in release_facts(tables).items()]
        )
        connection.commit()
        connection.execute("VACUUM")
    finally:
        connection.close()


def release_facts(tables: PackageTables) -> dict[str, str]:
    return {
        "name": str(tables.descriptor.get("name", "")),
        "title": str(tables.descriptor.get("title", "")),
        "version": tables.version,
        "license": tables.licence,
        "license_url": tables.licence_url,
    }


def datasette_metadata(tables: PackageTables, database: str) -> dict[str, Any]:
    sources = tables.descriptor.get("sources") or [{}]
    facts = release_facts(tables)
    described = {
        name: {
            "description": f"data/{name}.csv of {facts['name']} {facts['version']}",
            "columns": tables.descriptions(name),
        }
        for name in tables.tables
    }
    described["release"] = {
        "description": "What this database is: the release it was exported from",
        "columns": {"key": "Property of the release", "value": "Its value"},
    }
    return {
        "title": f"{facts['title']} (version {facts['version']})",
        "description": str(tables.descriptor.get("description", "")),
        "license": facts["license"],
        "license_url": facts["license_url"],
        "source": str(sources[0].get("title", "")),
        "databases": {database: {"tables": described}},
    }


def metadata_text(tables: PackageTables, database: str) -> str:
    return json.dumps(datasette_metadata(tables, database), indent=2, ensure_ascii=False) + "\n"
