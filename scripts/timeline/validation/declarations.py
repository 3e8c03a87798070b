"""How the resources are declared: the four tables are read in full, as tables, as the project writes them.

An allow-list, not a deny-list: frictionless honours many settings that change what it reads (a
non-table ``type``, a dialect with ``commentRows`` or ``headerRows``, inline ``data``, a custom
``profile`` URL it fetches...). Any of them on our tables could hide rows from validation, so every
key and value that is not what the project writes is a finding, and validation reads no table
until there are none. The Table Schemas are read here, once, safely; frictionless gets them inline,
so it opens no schema or dialect file itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import PackageFileError
from ..package import DESCRIPTOR
from ..package.safeio import load_json, regular_file
from . import findings as F
from .files import file_finding
from .report import Finding

TABLES = ("sources", "actors", "places", "events")
COMMON_KEYS = frozenset(
    {
        "name",
        "type",
        "path",
        "format",
        "mediatype",
        "encoding",
        "hash",
        "bytes",
        "title",
        "description",
        "licenses",
        "sources",
        "$schema",
        "profile",
    }
)
TABLE_KEYS = COMMON_KEYS | {"dialect", "schema"}
TABLE_VALUES = {"type": "table", "format": "csv", "encoding": "utf-8"}
OPTIONAL_TABLE_VALUES = {"mediatype": "text/csv"}
DIALECT = {"delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "doubleQuote": True, "header": True}
# Profiles frictionless knows without fetching or opening anything.
STANDARD_SCHEMA = re.compile(
    r"https://datapackage\.org/profiles/[12]\.0/(datapackage|dataresource|tableschema|tabledialect)\.json"
)
STANDARD_PROFILES = frozenset({"data-package", "tabular-data-package", "data-resource", "tabular-data-resource"})


@dataclass
class Declarations:
    findings: list[Finding] = field(default_factory=list)
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)  # schema path -> Table Schema
    resource_schemas: dict[str, str] = field(default_factory=dict)  # resource name -> schema path
    inline: dict[str, Any] = field(default_factory=dict)  # the descriptor for frictionless


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def profile_findings(data: dict[str, Any], file: str, prefix: str = "") -> Iterator[Finding]:
    """``$schema`` and ``profile`` must be standard values: anything else would be fetched or opened."""
    for key in ("$schema", "profile"):
        value = data.get(key)
        if value is None:
            continue
        standard = isinstance(value, str) and (
            STANDARD_SCHEMA.fullmatch(value) if key == "$schema" else value in STANDARD_PROFILES
        )
        if not standard:
            yield Finding.of(
                F.NONSTANDARD_PROFILE,
                f"{prefix}{key} {value!r} is not a standard Data Package profile; it was not fetched or opened",
                file=file,
                field=prefix + key,
            )


def _unsupported(message: str, field: str) -> Finding:
    return Finding.of(F.UNSUPPORTED_RESOURCE_DECLARATION, message, file=DESCRIPTOR, field=field)


def check_declarations(root: Path, descriptor: dict[str, Any]) -> Declarations:
    result = Declarations(findings=list(profile_findings(descriptor, DESCRIPTOR)))
    resources = descriptor.get("resources")
    inline_resources: list[Any] = []
    seen: set[str] = set()
    for index, resource in enumerate(resources if isinstance(resources, list) else []):
        if not isinstance(resource, dict):
            inline_resources.append(resource)  # frictionless names it (package-error)
            continue
        where = f"resources/{index}"
        name = resource.get("name")
        label = f"resource {name!r}"
        if isinstance(name, str) and name in seen:
            result.findings.append(_unsupported(f"{label} is declared twice", f"{where}/name"))
        seen.add(str(name))
        result.findings.extend(profile_findings(resource, DESCRIPTOR, f"{where}/"))
        table = name in TABLES or resource.get("type") == "table" or "schema" in resource or "dialect" in resource
        extra = sorted(set(resource) - (TABLE_KEYS if table else COMMON_KEYS))
        if extra:
            result.findings.append(
                _unsupported(
                    f"{label}: {', '.join(map(repr, extra))} not among the keys the project writes "
                    f"for a {'table' if table else 'file'}",
                    where,
                )
            )
        inline = dict(resource)
        if table:
            _check_table(root, resource, inline, label, where, result)
        inline_resources.append(inline)
    result.inline = dict(descriptor)
    if isinstance(resources, list):
        result.inline["resources"] = inline_resources
    return result


def _check_table(
    root: Path, resource: dict[str, Any], inline: dict[str, Any], label: str, where: str, result: Declarations
) -> None:
    for key, value in TABLE_VALUES.items():
        if resource.get(key) != value:
            result.findings.append(
                _unsupported(
                    f"{label}: {key} is {resource.get(key)!r}; the tables are read as {key} {value!r}",
                    f"{where}/{key}",
                )
            )
    for key, value in OPTIONAL_TABLE_VALUES.items():
        if key in resource and resource[key] != value:
            result.findings.append(
                _unsupported(f"{label}: {key} is {resource[key]!r}, not {value!r}", f"{where}/{key}")
            )
    dialect = resource.get("dialect")
    problem = ""
    if isinstance(dialect, str):
        try:
            regular_file(root, dialect)  # a symlink out, a FIFO: named as such, never opened
            problem = f"the dialect is a file ({dialect}); the project writes it inline"
        except PackageFileError as error:
            result.findings.append(file_finding(error, F.UNSUPPORTED_DIALECT))
    elif not isinstance(dialect, dict) or _canonical(dialect) != _canonical(DIALECT):
        problem = f"dialect {_canonical(dialect)} is not the project's {_canonical(DIALECT)}"
    if problem:
        result.findings.append(
            Finding.of(F.UNSUPPORTED_DIALECT, f"{label}: {problem}", file=DESCRIPTOR, field=f"{where}/dialect")
        )
    schema = resource.get("schema")
    if not isinstance(schema, str):
        result.findings.append(
            _unsupported(f"{label}: schema must be the path of a Table Schema file in schemas/", f"{where}/schema")
        )
        return
    try:
        loaded = result.schemas.get(schema) or load_json(root, schema)
    except PackageFileError as error:
        result.findings.append(file_finding(error, F.SCHEMA_UNREADABLE))
        return
    if not isinstance(loaded, dict):
        result.findings.append(Finding.of(F.SCHEMA_UNREADABLE, "the Table Schema is not a JSON object", file=schema))
        return
    if schema not in result.schemas:
        result.findings.extend(profile_findings(loaded, schema))
    result.schemas[schema] = loaded
    result.resource_schemas[str(resource.get("name"))] = schema
    inline["schema"] = loaded
