"""Metadata checked with JSON Schema (Draft 2020-12) against the profiles in ``schemas/``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from .. import findings as F
from ..report import Finding

DATAPACKAGE_PROFILE = "schemas/datapackage.profile.json"
TABLE_SCHEMA_PROFILE = "schemas/table-schema.profile.json"
CITATION_SCHEMA = "schemas/citation-cff.schema.json"
ZENODO_SCHEMA = "schemas/zenodo.schema.json"


def load_schema(root: Path, relative: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((root / relative).read_text(encoding="utf-8"))
    return schema


def _pointer(path: Any) -> str:
    return "/" + "/".join(str(part) for part in path) if path else "(top level)"


def schema_findings(instance: Any, schema: dict[str, Any], file: str, fix: str) -> Iterator[Finding]:
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
        yield Finding.of(
            F.METADATA_INVALID,
            message=f"{_pointer(error.absolute_path)}: {error.message}",
            file=file,
            field=_pointer(error.absolute_path),
            fix=fix,
        )


def check_descriptor(root: Path, descriptor: dict[str, Any]) -> Iterator[Finding]:
    profile = root / DATAPACKAGE_PROFILE
    if not profile.is_file():
        yield Finding.of(
            F.PROFILE_MISSING,
            f"{DATAPACKAGE_PROFILE} is missing",
            file=DATAPACKAGE_PROFILE,
            fix="restore the project's JSON Schema profiles from git",
        )
        return
    yield from schema_findings(
        descriptor,
        load_schema(root, DATAPACKAGE_PROFILE),
        "datapackage.json",
        fix=f"edit datapackage.json to meet {DATAPACKAGE_PROFILE}",
    )


def check_table_schemas(root: Path, schema_paths: list[tuple[str, Path]]) -> Iterator[Finding]:
    """Each Table Schema file meets our profile, and every enum equals its documented categories."""
    profile = load_schema(root, TABLE_SCHEMA_PROFILE) if (root / TABLE_SCHEMA_PROFILE).is_file() else None
    for relative, path in schema_paths:
        try:
            schema = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            yield Finding.of(
            F.SCHEMA_UNREADABLE,
                f"cannot read Table Schema: {error}",
                file=relative,
                fix="restore the schema file from git",
            )
            continue
        if profile is not None:
            yield from schema_findings(schema, profile, relative, fix=f"edit the schema to meet {TABLE_SCHEMA_PROFILE}")
        for field in schema.get("fields", []) if isinstance(schema, dict) else []:
            categories = field.get("categories") if isinstance(field, dict) else None
            if not categories:
                continue
            values = [c.get("value") for c in categories if isinstance(c, dict)]
            enum = (field.get("constraints") or {}).get("enum")
            if enum != values:
                yield Finding.of(
            F.VOCABULARY_MISMATCH,
                    f"field {field.get('name')!r}: constraints.enum {enum} differs from categories {values}",
                    file=relative,
                    field=str(field.get("name")),
                    fix="keep constraints.enum and categories in the same order with the same values",
                )


# The release metadata files: (file, how to parse it, what its syntax is called, schema)
CITATION_FILES = (
    ("CITATION.cff", yaml.safe_load, "YAML", CITATION_SCHEMA),
    (".zenodo.json", json.loads, "JSON", ZENODO_SCHEMA),
)


def check_citation_files(root: Path) -> Iterator[Finding]:
    """CITATION.cff and .zenodo.json, once they exist, meet the schemas of what we emit."""
    for name, parse, syntax, schema in CITATION_FILES:
        path = root / name
        if not path.is_file():
            continue
        try:
            data = parse(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, ValueError, yaml.YAMLError) as error:
            yield Finding.of(
            F.METADATA_INVALID,
                f"not valid {syntax}: {error}".splitlines()[0],
                file=name,
                fix=f"fix the {syntax} syntax, or regenerate the file with `timeline release`",
            )
            continue
        yield from schema_findings(
            data,
            load_schema(root, schema),
            name,
            fix=f"regenerate with `timeline release`, or edit to meet {schema}",
        )
