"""Differences between two Table Schemas, each a kind of change that ``rules`` classifies."""

from __future__ import annotations

from typing import Any

from .model import SchemaChange

LOWER_BOUNDS = ("minimum", "minLength", "exclusiveMinimum")
UPPER_BOUNDS = ("maximum", "maxLength", "exclusiveMaximum")
DESCRIPTIVE = ("title", "description", "categories", "example", "rdfType")


def _constraint_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[SchemaChange]:
    changes: list[SchemaChange] = []

    def tighten(detail: str) -> None:
        changes.append(SchemaChange("constraint-tightened", name, detail))

    def loosen(detail: str) -> None:
        changes.append(SchemaChange("constraint-loosened", name, detail))

    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if key in ("required", "unique"):
            (tighten if after else loosen)(f"{key}: {bool(before)} -> {bool(after)}")
        elif key == "enum":
            removed = [v for v in _list(before) if v not in _list(after)]
            added = [v for v in _list(after) if v not in _list(before)]
            if before is None:
                tighten(f"enum added: {after}")
            elif after is None:
                loosen("enum removed")
            else:
                if removed:
                    tighten(f"enum values removed: {removed}")
                if added:
                    loosen(f"enum values added: {added}")
        elif key in LOWER_BOUNDS or key in UPPER_BOUNDS:
            if before is None:
                tighten(f"{key} added: {after}")
            elif after is None:
                loosen(f"{key} removed (was {before})")
            else:
                if not (_is_number(before) and _is_number(after)):
                    tighten(f"{key}: {before} -> {after}")  # not comparable: assume it may reject old data
                    continue
                stricter = after > before if key in LOWER_BOUNDS else after < before
                (tighten if stricter else loosen)(f"{key}: {before} -> {after}")
        elif key == "pattern" and after is None:
            loosen(f"pattern removed (was {before})")
        elif key == "pattern" and before is not None:
            changes.append(SchemaChange("pattern-changed", name, f"pattern: {before} -> {after}"))
        else:  # a new pattern, or an unknown constraint: assume it may reject old data
            tighten(f"{key}: {before} -> {after}")
    return changes


def _foreign_key_changes(old: list[Any], new: list[Any]) -> list[SchemaChange]:
    """Foreign keys matched by their own fields: same fields, new reference = the reference was updated."""

    def by_fields(keys: list[Any]) -> dict[str, Any]:
        return {repr(fk.get("fields")) if isinstance(fk, dict) else repr(fk): fk for fk in keys}

    before, after = by_fields(old), by_fields(new)
    changes = []
    for fields, fk in after.items():
        if fields not in before:
            changes.append(SchemaChange("foreign-key-added", "", repr(fk)))
        elif before[fields] != fk:
            changes.append(SchemaChange("foreign-key-reference-changed", "", f"{before[fields]!r} -> {fk!r}"))
    removed = [fk for fields, fk in before.items() if fields not in after]
    return changes + [SchemaChange("foreign-key-removed", "", repr(fk)) for fk in removed]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _fields(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields that have a name (a nameless field is a finding of `timeline validate`, not a crash here)."""
    return [f for f in _list(schema.get("fields")) if isinstance(f, dict) and isinstance(f.get("name"), str)]


def diff_schemas(old: dict[str, Any], new: dict[str, Any]) -> list[SchemaChange]:
    changes: list[SchemaChange] = []
    old_fields = _fields(old)
    new_fields = _fields(new)
    old_by_name = {f["name"]: f for f in old_fields}
    new_by_name = {f["name"]: f for f in new_fields}
    removed = [f["name"] for f in old_fields if f["name"] not in new_by_name]
    added = [f["name"] for f in new_fields if f["name"] not in old_by_name]

    # A field removed and another added at the same position with the same type is a rename.
    renamed: dict[str, str] = {}
    for name in removed:
        index = [f["name"] for f in old_fields].index(name)
        if index < len(new_fields):
            candidate = new_fields[index]
            if candidate["name"] in added and candidate.get("type") == old_by_name[name].get("type"):
                renamed[name] = candidate["name"]
    for old_name, new_name in renamed.items():
        changes.append(SchemaChange("field-renamed", old_name, f"{old_name} -> {new_name}"))
    for name in removed:
        if name not in renamed:
            changes.append(SchemaChange("field-removed", name, f"field {name} removed"))
    for name in added:
        if name not in renamed.values():
            changes.append(SchemaChange("field-added", name, f"field {name} added"))

    common_old = [f["name"] for f in old_fields if f["name"] in new_by_name]
    common_new = [f["name"] for f in new_fields if f["name"] in old_by_name]
    if common_old != common_new:
        changes.append(SchemaChange("fields-reordered", "", f"{common_old} -> {common_new}"))

    for name in common_new:
        before, after = old_by_name[name], new_by_name[name]
        for key in ("type", "format"):
            if before.get(key) != after.get(key):
                changes.append(SchemaChange("field-retyped", name, f"{key}: {before.get(key)} -> {after.get(key)}"))
        changes.extend(_constraint_changes(name, _dict(before.get("constraints")), _dict(after.get("constraints"))))
        for key in DESCRIPTIVE:
            if before.get(key) != after.get(key):
                changes.append(SchemaChange("field-documentation-changed", name, f"{key} changed"))

    if old.get("primaryKey") != new.get("primaryKey"):
        changes.append(SchemaChange("primary-key-changed", "", f"{old.get('primaryKey')} -> {new.get('primaryKey')}"))
    changes.extend(_foreign_key_changes(_list(old.get("foreignKeys")), _list(new.get("foreignKeys"))))
    if old.get("missingValues") != new.get("missingValues"):
        changes.append(
            SchemaChange("missing-values-changed", "", f"{old.get('missingValues')} -> {new.get('missingValues')}")
        )
    return changes
