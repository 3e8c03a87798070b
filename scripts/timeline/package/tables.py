"""A valid package read into plain Python rows, typed by its Table Schemas.

What the views (site, exports) are drawn from. It assumes the package is valid
(`timeline validate` passes; the views refuse to run otherwise), so it converts
without re-checking: integers and numbers become int/float, empty cells None,
dates stay ISO strings.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .descriptor import load_descriptor
from .safeio import load_json, read_text, regular_file

Row = dict[str, Any]

CONVERTERS = {"integer": int, "number": float}


@dataclass(frozen=True)
class Table:
    name: str
    path: str  # as the descriptor writes it
    schema: dict[str, Any]
    rows: list[Row]

    @property
    def fields(self) -> list[dict[str, Any]]:
        return list(self.schema.get("fields", []))

    def by_key(self) -> dict[str, Row]:
        (key,) = self.schema["primaryKey"]
        return {row[key]: row for row in self.rows}


@dataclass(frozen=True)
class PackageTables:
    root: Path
    descriptor: dict[str, Any]
    tables: dict[str, Table]
    texts: dict[str, str] = field(default_factory=dict)  # source_id -> archived text

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))

    @property
    def licence(self) -> str:
        licences = self.descriptor.get("licenses") or [{}]
        return str(licences[0].get("name", ""))

    @property
    def licence_url(self) -> str:
        """The licence's http(s) URL, else "": the site and Datasette put it in an href, where a
        ``javascript:`` or ``data:`` URL would run (validation refuses one; this holds for any descriptor)."""
        licences = self.descriptor.get("licenses") or [{}]
        url = str(licences[0].get("path", ""))
        return url if url.lower().startswith(("https://", "http://")) else ""

    def descriptions(self, table: str) -> dict[str, str]:
        return {f["name"]: str(f.get("description", "")) for f in self.tables[table].fields}


def _typed(row: dict[str, str], fields: list[dict[str, Any]]) -> Row:
    typed: Row = {}
    for spec in fields:
        raw = row.get(spec["name"], "")
        convert = CONVERTERS.get(spec.get("type", "string"), str)
        typed[spec["name"]] = convert(raw) if raw != "" else None
    return typed


def read_tables(root: Path) -> PackageTables:
    """Every tabular resource of the package at ROOT, and the archived texts of its sources."""
    descriptor = load_descriptor(root / "datapackage.json")
    tables: dict[str, Table] = {}
    for resource in descriptor.get("resources", []):
        schema_ref = resource.get("schema")
        if not isinstance(schema_ref, str):
            continue
        schema = load_json(root, schema_ref)  # safeio: inside, regular, capped, parsed with limits
        with open(regular_file(root, resource["path"]), encoding="utf-8", newline="") as handle:
            rows = [_typed(row, schema["fields"]) for row in csv.DictReader(handle)]
        tables[resource["name"]] = Table(resource["name"], resource["path"], schema, rows)
    texts = {}
    for source in tables["sources"].rows if "sources" in tables else []:
        texts[source["source_id"]] = read_text(root, source["text_path"], "text")
    return PackageTables(root, descriptor, tables, texts)
