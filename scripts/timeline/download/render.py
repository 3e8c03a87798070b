"""A verify result, rendered for people. A pure function."""

from __future__ import annotations

from .verify import VerifyResult


def render_verify(result: VerifyResult) -> str:
    lines = [f"{result.file} ({result.kind}) against {result.record or 'no record'}"]
    for checked in result.checked:
        verdict = "matches" if checked.sha256 == checked.recorded_sha256 else "DIFFERS"
        lines.append(f"  {checked.path}: sha256 {checked.sha256} ({checked.bytes} bytes) {verdict}")
    if result.sums_checked:
        lines.append(f"  SHA256SUMS: {result.sums_checked} lines checked")
    for table, rows in result.rows.items():
        lines.append(f"  {table}: {rows} rows read against its Table Schema")
    for finding in result.findings:
        place = ", ".join(p for p in (f"row {finding.row}" if finding.row is not None else "", finding.file) if p)
        lines.append(f"  {place + ': ' if place else ''}{finding.message} [{finding.type}]")
        if finding.fix:
            lines.append(f"    fix: {finding.fix}")
    lines += [f"note: {note}" for note in result.notes]
    count = len(result.findings)
    verdict = (
        f"VERIFIED {result.file}: release {result.version}"
        if result.valid
        else f"REJECTED {result.file}: {count} finding{'s' if count != 1 else ''}"
    )
    lines.append(verdict)
    return "\n".join(lines) + "\n"
