"""``timeline diff``: what changed between two versions of the package, and the bump it requires.

Rows are joined on the primary key in linear time and bounded memory: one pass
over the old table keeps only key -> row hash; one pass over the new table finds
added, removed and changed keys; a last pass over the old table fetches the old
values of the changed rows only. No step compares every row with every other.
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .bump import max_level
from .errors import TimelineError
from .hashing import file_sha256
from .package import DescriptorError, load_descriptor, resolve_inside
from .schemadiff import SchemaChange, diff_schemas

# Descriptor keys that describe rather than define the data: a change is PATCH.
IGNORED_METADATA = ("resources", "version", "created")
MAJOR_METADATA = ("licenses",)

csv.field_size_limit(sys.maxsize)  # a long cell is a finding of validate, not a crash here


@dataclass
class RowChange:
    key: str
    changes: dict[str, list[str]]  # field -> [old, new]

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "changes": self.changes}


@dataclass
class ResourceDiff:
    name: str
    status: str  # added | removed | changed | unchanged
    path: str = ""
    rows_added: list[str] = field(default_factory=list)
    rows_removed: list[str] = field(default_factory=list)
    rows_changed: list[RowChange] = field(default_factory=list)
    schema_changes: list[SchemaChange] = field(default_factory=list)
    file_changed: bool = False  # non-tabular resources: bytes differ

    def classified(self) -> list[tuple[str, str]]:
        """Every change with the bump it requires: the one place the bump rules for rows live."""
        items: list[tuple[str, str]] = []
        if self.status in ("added", "removed"):
            items.append(("minor" if self.status == "added" else "major", f"resource {self.name} {self.status}"))
        items += [(c.bump, f"{self.name}: {c.kind} {c.detail}") for c in self.schema_changes]
        if self.rows_removed:
            items.append(("major", f"{self.name}: {len(self.rows_removed)} rows removed (ids others may reference)"))
        if self.rows_added:
            items.append(("minor", f"{self.name}: {len(self.rows_added)} rows added"))
        if self.rows_changed:
            items.append(("patch", f"{self.name}: {len(self.rows_changed)} rows changed"))
        if self.file_changed:
            items.append(("patch", f"{self.name}: file content changed"))
        return items

    @property
    def bump(self) -> str:
        return max_level([level for level, _ in self.classified()])

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "path": self.path,
            "bump": self.bump,
            "counts": {
                "added": len(self.rows_added),
                "removed": len(self.rows_removed),
                "changed": len(self.rows_changed),
            },
            "rows_added": self.rows_added,
            "rows_removed": self.rows_removed,
            "rows_changed": [c.to_dict() for c in self.rows_changed],
            "schema_changes": [c.to_dict() for c in self.schema_changes],
            "file_changed": self.file_changed,
        }


@dataclass
class DiffResult:
    old: str
    new: str
    old_version: str
    new_version: str
    resources: list[ResourceDiff] = field(default_factory=list)
    metadata_changes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def required_bump(self) -> str:
        return max_level([r.bump for r in self.resources] + [m["bump"] for m in self.metadata_changes])

    @property
    def reasons(self) -> list[str]:
        reasons = [f"{level}: {text}" for r in self.resources for level, text in r.classified()]
        return reasons + [f"{m['bump']}: metadata {m['field']} changed" for m in self.metadata_changes]

    @property
    def changed(self) -> bool:
        return self.required_bump != "none"

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "old_version": self.old_version,
            "new_version": self.new_version,
            "required_bump": self.required_bump,
            "reasons": self.reasons,
            "resources": [r.to_dict() for r in self.resources],
            "metadata_changes": self.metadata_changes,
        }


def _load(root: Path) -> dict[str, Any]:
    try:
        return load_descriptor(root / "datapackage.json")
    except DescriptorError as error:
        raise TimelineError(f"{root / 'datapackage.json'}: {error}") from None


def _schema(root: Path, resource: dict[str, Any]) -> dict[str, Any]:
    schema = resource.get("schema")
    if isinstance(schema, dict):
        return schema
    if isinstance(schema, str):
        return json.loads(resolve_inside(root, schema).read_text(encoding="utf-8"))
    return {}


def _key_of(indexes: list[int]):
    if len(indexes) == 1:
        (only,) = indexes
        return lambda row: row[only]
    return lambda row: "|".join(row[i] for i in indexes)


def _open_csv(path: Path):
    handle = open(path, encoding="utf-8", newline="")
    reader = csv.reader(handle)
    header = next(reader, [])
    return handle, reader, header


def diff_rows(old_path: Path, new_path: Path, primary_key: list[str], result: ResourceDiff) -> None:
    """Fill rows_added/removed/changed by a hash join on the primary key."""
    handle, reader, old_header = _open_csv(old_path)
    with handle:
        new_handle, new_reader, new_header = _open_csv(new_path)
        new_handle.close()
        common = [name for name in new_header if name in old_header]
        if not primary_key or any(k not in old_header or k not in new_header for k in primary_key):
            return
        old_idx = [old_header.index(name) for name in common]
        old_key = _key_of([old_header.index(k) for k in primary_key])
        same_layout = old_header == new_header
        old_hashes: dict[str, int] = {}
        for row in reader:
            values = tuple(row) if same_layout else tuple(row[i] if i < len(row) else "" for i in old_idx)
            old_hashes[old_key(row)] = hash(values)

    new_idx = [new_header.index(name) for name in common]
    new_key = _key_of([new_header.index(k) for k in primary_key])
    changed_new: dict[str, list[str]] = {}
    handle, reader, _ = _open_csv(new_path)
    with handle:
        pop = old_hashes.pop
        for row in reader:
            key = new_key(row)
            values = tuple(row) if same_layout else tuple(row[i] if i < len(row) else "" for i in new_idx)
            previous = pop(key, None)
            if previous is None:
                result.rows_added.append(key)
            elif previous != hash(values):
                changed_new[key] = list(values)
    result.rows_removed = list(old_hashes)
    del old_hashes
    if not changed_new:
        return
    handle, reader, _ = _open_csv(old_path)
    with handle:
        for row in reader:
            key = old_key(row)
            if key in changed_new:
                old_values = [row[i] if i < len(row) else "" for i in old_idx]
                new_values = changed_new[key]
                result.rows_changed.append(
                    RowChange(
                        key, {name: [a, b] for name, a, b in zip(common, old_values, new_values, strict=True) if a != b}
                    )
                )


def _declared_unchanged(before: dict[str, Any], after: dict[str, Any], old_file: Path, new_file: Path) -> bool:
    """Same declared hash and both files still the declared size: skip the row join.

    A stale hash with an unchanged size could hide an edit; `timeline validate`
    (run before every release) catches stale hashes, so the shortcut is safe there.
    """
    if before.get("hash") is None or before.get("hash") != after.get("hash"):
        return False
    size = before.get("bytes")
    return isinstance(size, int) and old_file.stat().st_size == size == new_file.stat().st_size


def _keys(path: Path, schema: dict[str, Any]):
    primary_key = list(schema.get("primaryKey") or [])
    handle, reader, header = _open_csv(path)
    with handle:
        if not primary_key or any(k not in header for k in primary_key):
            return
        key = _key_of([header.index(k) for k in primary_key])
        for row in reader:
            yield key(row)


def diff_packages(old_root: Path, new_root: Path, old_label: str = "old", new_label: str = "new") -> DiffResult:
    old, new = _load(old_root), _load(new_root)
    result = DiffResult(old_label, new_label, str(old.get("version", "")), str(new.get("version", "")))
    old_resources = {r["name"]: r for r in old.get("resources", []) if isinstance(r, dict) and "name" in r}
    new_resources = {r["name"]: r for r in new.get("resources", []) if isinstance(r, dict) and "name" in r}
    for name in [*old_resources, *[n for n in new_resources if n not in old_resources]]:
        before, after = old_resources.get(name), new_resources.get(name)
        if after is None:
            result.resources.append(ResourceDiff(name, "removed", path=str(before.get("path", ""))))
            continue
        path = str(after.get("path", ""))
        if before is None:
            diff = ResourceDiff(name, "added", path=path)
            if "schema" in after or after.get("type") == "table":
                diff.rows_added = list(_keys(resolve_inside(new_root, path), _schema(new_root, after)))
            result.resources.append(diff)
            continue
        diff = ResourceDiff(name, "unchanged", path=path)
        if before.get("path") != after.get("path"):
            diff.schema_changes.append(SchemaChange("path-changed", "", f"{before.get('path')} -> {path}", "major"))
        old_file = resolve_inside(old_root, str(before.get("path")))
        new_file = resolve_inside(new_root, path)
        tabular = "schema" in after or after.get("type") == "table"
        if tabular:
            old_schema, new_schema = _schema(old_root, before), _schema(new_root, after)
            diff.schema_changes.extend(diff_schemas(old_schema, new_schema))
            if not _declared_unchanged(before, after, old_file, new_file):
                diff_rows(old_file, new_file, list(new_schema.get("primaryKey") or []), diff)
        elif file_sha256(old_file) != file_sha256(new_file):
            diff.file_changed = True
        if diff.bump != "none":
            diff.status = "changed"
        result.resources.append(diff)
    for key in [*old, *[k for k in new if k not in old]]:
        if key in IGNORED_METADATA or old.get(key) == new.get(key):
            continue
        result.metadata_changes.append(
            {
                "field": key,
                "old": old.get(key),
                "new": new.get(key),
                "bump": "major" if key in MAJOR_METADATA else "patch",
            }
        )
    return result
