"""Metadata checked with JSON Schema (Draft 2020-12) against the profiles in ``schemas/``.

Every file is read through ``package.safeio`` (inside the package, regular, capped, parsed with
limits), and the validators never retrieve a ``$ref``: a profile that refers to another document,
local or remote, is a ``profile-unreadable`` finding, never a network request.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.exceptions import NoSuchResource, Unresolvable

from ...errors import PackageFileError
from ...package.safeio import load_json, load_yaml
from .. import findings as F
from ..files import file_finding
from ..report import Finding

DATAPACKAGE_PROFILE = "schemas/datapackage.profile.json"
TABLE_SCHEMA_PROFILE = "schemas/table-schema.profile.json"
CITATION_SCHEMA = "schemas/citation-cff.schema.json"
ZENODO_SCHEMA = "schemas/zenodo.schema.json"


def _never_retrieve(uri: str) -> Any:
    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # an attrs class; the stubs miss its fields


# An empty registry that refuses every retrieval: jsonschema's default still fetches remote $refs.
OFFLINE_REGISTRY: Registry[Any] = Registry(retrieve=_never_retrieve)  # type: ignore[call-arg]  # attrs field


class ProfileError(Exception):
    """A profile cannot be used; the finding says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def load_profile(root: Path, relative: str) -> dict[str, Any]:
    """One of our JSON Schema profiles; ProfileError when it cannot be read.

    Not checked against the metaschema here (that costs more than the whole validation of the
    tables): a profile jsonschema cannot apply is reported by :func:`schema_findings`.
    """
    try:
        profile = load_json(root, relative)
    except PackageFileError as error:
        raise ProfileError(file_finding(error, F.PROFILE_UNREADABLE, F.PROFILE_MISSING)) from None
    if not isinstance(profile, dict):
        raise ProfileError(Finding.of(F.PROFILE_UNREADABLE, "the profile is not a JSON object", file=relative))
    return profile


def _pointer(path: Any) -> str:
    return "/" + "/".join(str(part) for part in path) if path else "(top level)"


def schema_findings(instance: Any, schema: dict[str, Any], file: str, fix: str, profile: str = "") -> Iterator[Finding]:
    validator = Draft202012Validator(
        schema, registry=OFFLINE_REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    try:
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
    except Unresolvable as error:
        message = f"has a $ref to {str(error).split(': ', 1)[-1]}, not in the profile itself; it is never fetched"
        yield Finding.of(F.PROFILE_UNREADABLE, message, file=profile or file)
        return
    except Exception as error:  # noqa: BLE001 - a profile from the package may be hostile: any failure is its fault
        detail = str(error).splitlines()[0] if str(error) else ""
        message = f"is not a JSON Schema jsonschema can apply ({type(error).__name__}: {detail})"
        yield Finding.of(F.PROFILE_UNREADABLE, message, file=profile or file)
        return
    for problem in errors:
        yield Finding.of(
            F.METADATA_INVALID,
            message=f"{_pointer(problem.absolute_path)}: {problem.message}",
            file=file,
            field=_pointer(problem.absolute_path),
            fix=fix,
        )


def check_descriptor(root: Path, descriptor: dict[str, Any]) -> Iterator[Finding]:
    try:
        profile = load_profile(root, DATAPACKAGE_PROFILE)
    except ProfileError as error:
        yield error.finding
        return
    yield from schema_findings(
        descriptor,
        profile,
        "datapackage.json",
        fix=f"edit datapackage.json to meet {DATAPACKAGE_PROFILE}",
        profile=DATAPACKAGE_PROFILE,
    )


def check_table_schemas(root: Path, schemas: dict[str, dict[str, Any]]) -> Iterator[Finding]:
    """Each Table Schema meets our profile, and every enum equals its documented categories."""
    try:
        profile: dict[str, Any] | None = load_profile(root, TABLE_SCHEMA_PROFILE)
    except ProfileError as error:
        yield error.finding
        profile = None
    for relative, schema in schemas.items():
        if profile is not None:
            yield from schema_findings(
                schema,
                profile,
                relative,
                fix=f"edit the schema to meet {TABLE_SCHEMA_PROFILE}",
                profile=TABLE_SCHEMA_PROFILE,
            )
        fields = schema.get("fields")
        for field in fields if isinstance(fields, list) else []:
            categories = field.get("categories") if isinstance(field, dict) else None
            if not categories or not isinstance(categories, list):
                continue
            values = [c.get("value") for c in categories if isinstance(c, dict)]
            constraints = field.get("constraints")
            enum = constraints.get("enum") if isinstance(constraints, dict) else None
            if enum != values:
                yield Finding.of(
                    F.VOCABULARY_MISMATCH,
                    f"field {field.get('name')!r}: constraints.enum {enum} differs from categories {values}",
                    file=relative,
                    field=str(field.get("name")),
                    fix="keep constraints.enum and categories in the same order with the same values",
                )


# The release metadata files: (file, syntax, schema)
CITATION_FILES = (("CITATION.cff", "YAML", CITATION_SCHEMA), (".zenodo.json", "JSON", ZENODO_SCHEMA))


def check_citation_files(root: Path) -> Iterator[Finding]:
    """CITATION.cff and .zenodo.json, once they exist, meet the schemas of what we emit."""
    for name, syntax, schema in CITATION_FILES:
        try:
            data = load_yaml(root, name) if syntax == "YAML" else load_json(root, name)
        except PackageFileError as error:
            if error.problem == "missing":
                continue
            finding = file_finding(error, F.METADATA_INVALID)
            if finding.type == F.METADATA_INVALID.slug:
                finding = Finding.of(
                    F.METADATA_INVALID,
                    error.detail,
                    file=name,
                    fix=f"fix the {syntax} syntax, or regenerate the file with `timeline release`",
                )
            yield finding
            continue
        try:
            profile = load_profile(root, schema)
        except ProfileError as error:
            yield error.finding
            continue
        yield from schema_findings(
            data, profile, name, fix=f"regenerate with `timeline release`, or edit to meet {schema}", profile=schema
        )
