"""frictionless's report, translated into our findings (its error types pass through unchanged)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from frictionless import FrictionlessException
from frictionless.errors import LabelError

from . import findings as F
from .report import Finding


def _error_row(error: Any) -> int | None:
    if isinstance(error, LabelError):
        return 1  # the header row
    row: int | None = getattr(error, "row_number", None)
    return row


def frictionless_findings(report: Any, files: dict[str, str]) -> list[Finding]:
    """Translate a frictionless Report into findings, one per error and per warning."""
    findings: list[Finding] = []
    for warning in report.warnings:
        findings.append(Finding.of(F.FRICTIONLESS_WARNING, str(warning)))
    for error in report.errors:
        findings.append(Finding(error.type, error.message, file="datapackage.json", fix=F.frictionless_fix(error.type)))
    for task in report.tasks:
        file = files.get(task.name, task.place)
        for warning in task.warnings:
            findings.append(Finding.of(F.FRICTIONLESS_WARNING, str(warning), file=file))
        for error in task.errors:
            findings.append(
                Finding(
                    type=error.type,
                    message=error.message,
                    file=file,
                    row=_error_row(error),
                    field=getattr(error, "field_name", "") or getattr(error, "label", "") or "",
                    fix=F.frictionless_fix(error.type),
                )
            )
    return findings


def findings_from_exception(exception: FrictionlessException) -> list[Finding]:
    errors = exception.to_errors() if hasattr(exception, "to_errors") else [exception.error]
    return [Finding(e.type, e.message, file="datapackage.json", fix=F.frictionless_fix(e.type)) for e in errors]


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

    frictionless also reports a table's undecodable bytes in every table whose foreign keys
    read it (a latin-1 byte in actors.csv shows up under events.csv too): an encoding error in
    a file that decodes cleanly belongs to another table, which has its own finding, and is
    dropped. Reads the files again, but only on this failure path.
    """
    located = []
    for finding in findings:
        if finding.type == "encoding-error" and finding.file and (root / finding.file).is_file():
            where = first_invalid_utf8(root / finding.file)
            if where is None:
                continue  # not this file's bytes: the referenced table's own finding names them
            line, column = where
            finding = replace(finding, row=line, message=f"line {line}, byte {column} is not valid UTF-8")
        located.append(finding)
    return located
