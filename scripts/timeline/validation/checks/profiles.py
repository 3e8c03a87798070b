"""The official Data Package v2 profiles (JSON Schema), vendored in ``schemas/profiles/2.0/``.

``datapackage.json`` is checked against the Data Package profile and every Table Schema
file against the Table Schema profile, offline: ``$ref``s resolve only to the vendored
profiles, through a ``referencing`` registry that refuses anything else (no network).
Where the profiles come from: ``schemas/profiles/README.md``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, Unresolvable

from .. import findings as F
from ..report import Finding

PROFILES_DIR = "schemas/profiles/2.0"
PROFILE_BASE_URL = "https://datapackage.org/profiles/2.0/"
PROFILE_FILES = ("datapackage.json", "dataresource.json", "tabledialect.json", "tableschema.json")
PACKAGE_PROFILE = PROFILE_BASE_URL + "datapackage.json"
TABLE_SCHEMA_PROFILE = PROFILE_BASE_URL + "tableschema.json"


def _refuse(uri: str) -> Resource[Any]:
    """Every URI not vendored: refused, never fetched."""
    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # attrs class; mypy sees no __init__


@cache
def _registry(profiles_dir: Path) -> Registry[Any]:
    resources = []
    for name in PROFILE_FILES:
        contents = json.loads((profiles_dir / name).read_text(encoding="utf-8"))
        resources.append((PROFILE_BASE_URL + name, Resource.from_contents(contents)))
    return Registry(retrieve=_refuse).with_resources(resources)  # type: ignore[call-arg]  # attrs class


def pointer(path: Any) -> str:
    """A JSON pointer (RFC 6901) for a jsonschema error path; '' is the whole document."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _most_specific(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf failures, the sub-error that says what to change rather than 'not valid under any'."""
    return best_match(error.context) if error.context else error


def profile_findings(instance: Any, profile_uri: str, file: str, root: Path) -> Iterator[Finding]:
    """Findings of INSTANCE against the vendored profile PROFILE_URI; one per violation, field = JSON pointer."""
    profiles_dir = root / PROFILES_DIR
    if not all((profiles_dir / name).is_file() for name in PROFILE_FILES):
        yield Finding.of(
            F.PROFILE_MISSING,
            f"the vendored Data Package v2 profiles in {PROFILES_DIR}/ are missing",
            file=PROFILES_DIR,
            fix="restore schemas/profiles/ from git",
        )
        return
    registry = _registry(profiles_dir.resolve())
    profile = registry.contents(profile_uri)
    validator = validator_for(profile)(profile, registry=registry, format_checker=None)
    try:
        errors = sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])
    except Unresolvable as unresolvable:
        yield Finding.of(
            F.PROFILE_MISSING,
            f"{profile_uri} refers to {unresolvable.ref!r}, which is not vendored (never fetched)",
            file=PROFILES_DIR,
            fix="vendor the referenced profile in schemas/profiles/",
        )
        return
    for error in errors:
        specific = _most_specific(error)
        where = pointer(specific.absolute_path)
        yield Finding.of(
            F.PROFILE_VIOLATION,
            f"{where or '(top level)'}: {specific.message} (Data Package v2 profile {profile_uri.rsplit('/', 1)[1]})",
            file=file,
            field=where,
        )


def check_official_profiles(
    root: Path, descriptor: dict[str, Any], schema_paths: list[tuple[str, Path]]
) -> Iterator[Finding]:
    """datapackage.json against the v2 Data Package profile; each readable Table Schema against the v2 one."""
    declared = descriptor.get("$schema")
    if declared != PACKAGE_PROFILE:
        yield Finding.of(
            F.PROFILE_VIOLATION,
            f"/$schema: {declared!r} is not {PACKAGE_PROFILE!r}, the profile this package is checked against",
            file="datapackage.json",
            field="/$schema",
            fix=f'set "$schema": "{PACKAGE_PROFILE}" in datapackage.json',
        )
    yield from profile_findings(descriptor, PACKAGE_PROFILE, "datapackage.json", root)
    for relative, path in schema_paths:
        try:
            schema = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue  # check_table_schemas reports it as schema-unreadable
        yield from profile_findings(schema, TABLE_SCHEMA_PROFILE, relative, root)
