"""``timeline validate``: the frictionless verdict plus everything frictionless cannot check.

One pass over each data file: our row rules run as frictionless Checks inside
frictionless's own read. Order of work:

1. find and parse datapackage.json; refuse unsafe resource paths before reading anything;
2. JSON Schema: the descriptor, each Table Schema, CITATION.cff and .zenodo.json;
3. consistency of CHANGELOG.md and CITATION.cff with the version;
4. frictionless ``Package.validate`` with our checks (row rules, provenance, safety).
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from frictionless import Checklist, FrictionlessException, Package
from frictionless.errors import LabelError

from .checks import Context, default_checks
from .checks.base import Progress, ProgressCallback, TimelineChecks
from .consistency import check_consistency
from .errors import UnsafePathError
from .metadata import check_citation_files, check_descriptor, check_table_schemas
from .package import DescriptorError, ResourceRef, find_package, load_descriptor, resolve_inside, resource_refs
from .report import Finding, Report

REQUIRED_RESOURCES = ("sources", "actors", "places", "events")

FIX_HINTS = {
    "hash-count": "if the edit was intended, run `timeline stamp`; otherwise restore the file from git",
    "byte-count": "if the edit was intended, run `timeline stamp`; otherwise restore the file from git",
    "foreign-key": "add the referenced row to its table, or correct the id",
    "primary-key": "make the id unique; ids are never reused, so give the new row the next free id",
    "unique": "make the value unique in this column",
    "type-error": "write the value in the field's type (dates as YYYY-MM-DD, integers without decimals)",
    "constraint-error": "use a value the Table Schema allows (see the codebook in data/README.md)",
    "missing-label": "the header must list exactly the schema's fields, comma-separated, in order",
    "extra-label": "remove the column, or add the field to the Table Schema (a MINOR or MAJOR change)",
    "incorrect-label": "rename the column to the schema's field name",
    "blank-label": "give every column a header",
    "duplicate-label": "each column name must appear once",
    "missing-cell": "every row needs one cell per field; add the missing cells (empty is fine)",
    "extra-cell": "every row needs one cell per field; remove the extra cells or quote cells containing commas",
    "blank-row": "delete the blank row",
    "encoding-error": "save the file as UTF-8",
    "source-error": "the file is empty or unreadable: restore it from git",
    "scheme-error": "the file is missing: restore it, or correct the resource's path",
    "format-error": "save the file as CSV",
    "package-error": "correct datapackage.json (see the Data Package standard)",
    "resource-error": "correct the resource entry in datapackage.json",
    "schema-error": "correct the Table Schema file",
}


def _error_row(error: Any) -> int | None:
    if isinstance(error, LabelError):
        return 1  # the header row
    return getattr(error, "row_number", None)


def frictionless_findings(report: Any, files: dict[str, str]) -> list[Finding]:
    """Translate a frictionless Report into findings, one per error and per warning."""
    findings: list[Finding] = []
    for warning in report.warnings:
        findings.append(Finding("frictionless-warning", str(warning), fix="a warning here is a failure: resolve it"))
    for error in report.errors:
        findings.append(Finding(error.type, error.message, file="datapackage.json", fix=FIX_HINTS.get(error.type, "")))
    for task in report.tasks:
        file = files.get(task.name, task.place)
        for warning in task.warnings:
            findings.append(
                Finding("frictionless-warning", str(warning), file=file, fix="a warning here is a failure: resolve it")
            )
        for error in task.errors:
            findings.append(
                Finding(
                    type=error.type,
                    message=error.message,
                    file=file,
                    row=_error_row(error),
                    field=getattr(error, "field_name", "") or getattr(error, "label", "") or "",
                    fix=FIX_HINTS.get(error.type, f"see the frictionless documentation for '{error.type}'"),
                )
            )
    return findings


def first_invalid_utf8(path: Path) -> tuple[int, int] | None:
    """(line, byte column), both 1-based, of the first byte that is not UTF-8; None if all is."""
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as error:
                return number, error.start + 1
    return None


def locate_encoding_errors(root: Path, findings: list[Finding]) -> list[Finding]:
    """frictionless gives only a byte offset in a buffer: name the line, so the fix can be found.

    Reads the file again, but only on this failure path.
    """
    located = []
    for finding in findings:
        if finding.type == "encoding-error" and finding.file and (root / finding.file).is_file():
            where = first_invalid_utf8(root / finding.file)
            if where is not None:
                line, column = where
                finding = replace(finding, row=line, message=f"line {line}, byte {column} is not valid UTF-8")
        located.append(finding)
    return located


def _preflight(
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
            Finding(
                "unsafe-path",
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
                Finding(
                    "resource-missing-from-package",
                    f"no resource named {name!r}",
                    file="datapackage.json",
                    field="resources",
                    fix=f"add the {name!r} resource back to datapackage.json",
                )
            )
    for ref in refs:
        if not ref.file.is_file():
            report.add(
                Finding(
                    "resource-file-missing",
                    f"resource {ref.name!r}: {ref.path} is missing or not a file",
                    file=ref.path,
                    fix="restore the file from git, or correct the resource's path",
                )
            )
    if not report.valid:
        return None
    return refs, schema_paths


def validate_package(path: str | Path | None = None, *, progress: ProgressCallback | None = None) -> Report:
    """Validate the package at PATH (default: found from the current folder). Never prints."""
    started = time.perf_counter()
    descriptor_path = find_package(path)
    root = descriptor_path.parent
    report = Report(package=str(descriptor_path))

    try:
        descriptor = load_descriptor(descriptor_path)
    except DescriptorError as error:
        report.add(
            Finding(
                "invalid-descriptor",
                str(error),
                file="datapackage.json",
                fix="fix the JSON syntax (a JSON linter shows the spot), then validate again",
            )
        )
        return report

    preflight = _preflight(root, descriptor, report)
    if preflight is None:
        return report
    refs, schema_paths = preflight

    report.extend(check_descriptor(root, descriptor))
    report.extend(check_table_schemas(root, [(rel, p) for rel, p in schema_paths if p.is_file()]))
    report.extend(check_citation_files(root))
    report.extend(check_consistency(root, descriptor))

    context = Context(root=root, progress=progress)
    checks = TimelineChecks(checks=[Progress(context=context), *default_checks(context)])
    # Sources first: the event checks need the source texts and publication dates.
    ordered = dict(descriptor)
    ordered["resources"] = sorted(
        descriptor.get("resources", []), key=lambda r: 0 if isinstance(r, dict) and r.get("name") == "sources" else 1
    )
    try:
        package = Package(ordered, basepath=str(root))
        result = package.validate(Checklist(checks=[checks]))
    except FrictionlessException as exception:
        report.extend(frictionless_findings_from_exception(exception))
        return report
    files = {ref.name: ref.path for ref in refs}
    report.extend(locate_encoding_errors(root, frictionless_findings(result, files)))
    report.extend(context.findings)
    report.extend(context.overflow())
    report.checked = ["datapackage.json", *[p for p, _ in schema_paths], *[ref.path for ref in refs]]
    report.stats = {
        "seconds": round(time.perf_counter() - started, 3),
        "rows": {task.name: task.stats.get("rows") for task in result.tasks if task.stats.get("rows") is not None},
    }
    return report


def frictionless_findings_from_exception(exception: FrictionlessException) -> list[Finding]:
    errors = exception.to_errors() if hasattr(exception, "to_errors") else [exception.error]
    return [Finding(e.type, e.message, file="datapackage.json", fix=FIX_HINTS.get(e.type, "")) for e in errors]
