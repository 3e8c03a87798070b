"""Before anything is read: every resource and schema path is inside the package, and the tables exist."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import UnsafePathError
from ..package import ResourceRef, resolve_inside, resource_refs
from . import findings as F
from .report import Finding, Report

REQUIRED_RESOURCES = ("sources", "actors", "places", "events")


def check_paths(
    root: Path, descriptor: dict[str, Any], report: Report
) -> tuple[list[ResourceRef], list[tuple[str, Path]]] | None:
    """Resource and schema paths, refused if unsafe, before anything is read; None when validation must stop."""
    try:
        refs = resource_refs(root, descriptor)
        schema_paths = []
        for resource in descriptor.get("resources", []):
            schema = resource.get("schema") if isinstance(resource, dict) else None
            if isinstance(schema, str):
                schema_paths.append((schema, resolve_inside(root, schema)))
    except UnsafePathError as error:
        report.add(
            Finding.of(
            F.UNSAFE_PATH,
                str(error),
                file="datapackage.json",
                field="resources",
                fix="use a relative path inside the package folder, e.g. data/events.csv",
            )
        )
        return None

    names = {ref.name for ref in refs}
    for name in REQUIRED_RESOURCES:
        if name not in names:
            report.add(
                Finding.of(
            F.RESOURCE_MISSING_FROM_PACKAGE,
                    f"no resource named {name!r}",
                    file="datapackage.json",
                    field="resources",
                    fix=f"add the {name!r} resource back to datapackage.json",
                )
            )
    for ref in refs:
        if not ref.file.is_file():
            report.add(
                Finding.of(
            F.RESOURCE_FILE_MISSING,
                    f"resource {ref.name!r}: {ref.path} is missing or not a file",
                    file=ref.path,
                    fix="restore the file from git, or correct the resource's path",
                )
            )
    if not report.valid:
        return None
    return refs, schema_paths
