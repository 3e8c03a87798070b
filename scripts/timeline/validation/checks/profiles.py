"""The official Data Package v2 profiles (JSON Schema), vendored in ``schemas/profiles/2.0/``.

``datapackage.json`` is checked against the Data Package profile and every Table Schema
file against the Table Schema profile, offline: ``$ref``s resolve only to the vendored
profiles, through a ``referencing`` registry that refuses anything else (no network).
Where the profiles come from: ``schemas/profiles/README.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, Unresolvable

from ...errors import PackageFileError
from ...package.safeio import parse_blob, read_bytes
from .. import findings as F
from ..files import file_finding
from ..report import Finding

PROFILES_DIR = "schemas/profiles/2.0"
PROFILE_BASE_URL = "https://datapackage.org/profiles/2.0/"
PROFILE_FILES = ("datapackage.json", "dataresource.json", "tabledialect.json", "tableschema.json")
PACKAGE_PROFILE = PROFILE_BASE_URL + "datapackage.json"
TABLE_SCHEMA_PROFILE = PROFILE_BASE_URL + "tableschema.json"


def _refuse(uri: str) -> Resource[Any]:
    """Every URI not vendored: refused, never fetched."""
    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # attrs class; mypy sees no __init__


def load_registry(root: Path) -> Registry[Any]:
    """The vendored profiles, read through safeio (inside the package, regular files, capped); parsed once."""
    files = tuple((name, read_bytes(root, f"{PROFILES_DIR}/{name}", "metadata")) for name in PROFILE_FILES)
    return _registry(files)


@cache
def _registry(files: tuple[tuple[str, bytes], ...]) -> Registry[Any]:
    resources = [
        (PROFILE_BASE_URL + name, Resource.from_contents(parse_blob(data, f"{PROFILES_DIR}/{name}", "json")))
        for name, data in files
    ]
    return Registry(retrieve=_refuse).with_resources(resources)  # type: ignore[call-arg]  # attrs class


def pointer(path: Any) -> str:
    """A JSON pointer (RFC 6901) for a jsonschema error path; '' is the whole document."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _most_specific(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf failures, the sub-error that says what to change rather than 'not valid under any'."""
    return best_match(error.context) if error.context else error


def profile_findings(instance: Any, profile_uri: str, file: str, registry: Registry[Any]) -> Iterator[Finding]:
    """Findings of INSTANCE against the vendored profile PROFILE_URI; one per violation, field = JSON pointer."""
    try:
        profile = registry.contents(profile_uri)
        validator = validator_for(profile)(profile, registry=registry, format_checker=None)
        errors = sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])
    except Unresolvable as unresolvable:
        yield Finding.of(
            F.PROFILE_MISSING,
            f"{profile_uri} refers to {unresolvable.ref!r}, which is not vendored (never fetched)",
            file=PROFILES_DIR,
            fix="vendor the referenced profile in schemas/profiles/",
        )
        return
    except Exception as broken:  # noqa: BLE001 - vendored profiles edited into something jsonschema cannot apply
        detail = str(broken).splitlines()[0] if str(broken) else ""
        message = f"{profile_uri} cannot be applied ({type(broken).__name__}: {detail})"
        yield Finding.of(F.PROFILE_UNREADABLE, message, file=PROFILES_DIR, fix="restore schemas/profiles/ from git")
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
    root: Path, descriptor: dict[str, Any], schemas: dict[str, dict[str, Any]]
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
    try:
        registry = load_registry(root)
    except PackageFileError as error:
        yield file_finding(error, F.PROFILE_UNREADABLE, F.PROFILE_MISSING)
        return
    yield from profile_findings(descriptor, PACKAGE_PROFILE, "datapackage.json", registry)
    for relative, schema in schemas.items():  # read once, safely, by the preflight
        yield from profile_findings(schema, TABLE_SCHEMA_PROFILE, relative, registry)
