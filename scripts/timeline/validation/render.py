"""The validation report, rendered for people: findings grouped by file. A pure function."""

from __future__ import annotations

from collections import defaultdict

from .report import Finding, Report


def render_report(report: Report) -> str:
    if report.valid:
        rows = report.stats.get("rows", {})
        total = sum(v for v in rows.values() if v)
        seconds = report.stats.get("seconds")
        timing = f" in {seconds:.2f} s" if isinstance(seconds, (int, float)) else ""
        return (
            f"VALID {report.package}: {len(report.checked)} files, {len(rows)} tables, {total} rows checked{timing}\n"
        )
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_file[finding.file or "(package)"].append(finding)
    lines = []
    for file, findings in by_file.items():
        lines.append(file)
        for f in findings:
            place = ", ".join(
                p for p in (f"row {f.row}" if f.row is not None else "", f"field {f.field}" if f.field else "") if p
            )
            lines.append(f"  {place + ': ' if place else ''}{f.message} [{f.type}]")
            if f.fix:
                lines.append(f"    fix: {f.fix}")
    files = len(by_file)
    lines.append(
        f"INVALID {report.package}: {len(report.findings)} finding{'s' if len(report.findings) != 1 else ''} "
        f"in {files} file{'s' if files != 1 else ''}"
    )
    return "\n".join(lines) + "\n"
