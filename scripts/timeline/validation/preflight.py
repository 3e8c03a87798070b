"""Before any table is read: paths inside the package, regular files, the tables declared as the project writes them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import PackageFileError, UnsafePathError
from ..package import ResourceRef, resource_refs
from ..package.safeio import regular_file
from . import findings as F
from .declarations import TABLES, Declarations, check_declarations
from .files import file_finding
from .report import Finding, Report

REQUIRED_RESOURCES = TABLES


def check_paths(
    root: Path, descriptor: dict[str, Any], report: Report
) -> tuple[list[ResourceRef], Declarations, bool] | None:
    """Resource files and declarations, refused if unsafe, before any table is read.

    None when nothing more may be read at all (a resource path leaves the package). Otherwise
    the resources, the declarations (with the Table Schemas, read here safely, once), and
    whether the tables may be read: not when any finding was added here.
    """
    try:
        refs = resource_refs(root, descriptor)
    except UnsafePathError as error:
        report.add(Finding.of(F.UNSAFE_PATH, str(error), file="datapackage.json", field="resources"))
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
        try:
            regular_file(root, ref.path)
        except PackageFileError as error:
            if error.problem == "missing":
                message = f"resource {ref.name!r}: {ref.path} is missing"
                report.add(Finding.of(F.RESOURCE_FILE_MISSING, message, file=ref.path))
            else:
                report.add(file_finding(error, F.RESOURCE_FILE_MISSING))
    declarations = check_declarations(root, descriptor)
    report.extend(declarations.findings)
    return refs, declarations, report.valid
