"""Human-readable renderings of library results. Pure functions: data in, text out."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .diff import DiffResult
    from .release import ReleasePlan
    from .report import Report
    from .stamp import StampResult


def render_report(report: Report) -> str:
    if report.valid:
        rows = report.stats.get("rows", {})
        total = sum(v for v in rows.values() if v)
        seconds = report.stats.get("seconds")
        timing = f" in {seconds:.2f} s" if isinstance(seconds, (int, float)) else ""
        return (
            f"VALID {report.package}: {len(report.checked)} files, {len(rows)} tables, {total} rows checked{timing}\n"
        )
    by_file: dict[str, list] = defaultdict(list)
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


def render_stamp(result: StampResult) -> str:
    if not result.changes:
        return f"{result.package}: all {result.resources} hashes and sizes are current; nothing written\n"
    lines = []
    for change in result.changes:
        lines.append(
            f"{change.path}: {change.old_hash or '(none)'} -> {change.new_hash}; "
            f"bytes {change.old_bytes} -> {change.new_bytes}"
        )
    verb = "updated" if result.written else "would update"
    lines.append(f"{result.package}: {verb} {len(result.changes)} of {result.resources} resources")
    return "\n".join(lines) + "\n"


LIST_LIMIT = 20  # ids shown per list in human output; --json has them all


def list_ids(ids: list[str], limit: int = LIST_LIMIT) -> str:
    """The first LIMIT ids, comma-separated, and how many more there are."""
    shown = ", ".join(ids[:limit])
    return shown + (f", … ({len(ids) - limit} more)" if len(ids) > limit else "")


def render_diff(diff: DiffResult) -> str:
    lines = [f"diff {diff.old} ({diff.old_version or '?'}) -> {diff.new} ({diff.new_version or '?'})"]
    for resource in diff.resources:
        if resource.status == "unchanged":
            continue
        lines.append(f"{resource.name} [{resource.status}; {resource.bump}]")
        for change in resource.schema_changes:
            lines.append(f"  schema: {change.kind}: {change.detail} ({change.bump})")
        if resource.rows_added:
            lines.append(f"  + {len(resource.rows_added)} added: {list_ids(resource.rows_added)}")
        if resource.rows_removed:
            lines.append(f"  - {len(resource.rows_removed)} removed: {list_ids(resource.rows_removed)}")
        if resource.rows_changed:
            lines.append(f"  ~ {len(resource.rows_changed)} changed:")
            for row in resource.rows_changed[:LIST_LIMIT]:
                for name, (old, new) in row.changes.items():
                    lines.append(f"    {row.key} {name}: {old!r} -> {new!r}")
            if len(resource.rows_changed) > LIST_LIMIT:
                lines.append(f"    … ({len(resource.rows_changed) - LIST_LIMIT} more rows)")
        if resource.file_changed:
            lines.append("  file content changed")
    for change in diff.metadata_changes:
        lines.append(f"metadata {change['field']}: changed ({change['bump']})")
    if not diff.changed:
        lines.append("no changes")
    lines.append(f"required bump: {diff.required_bump}")
    return "\n".join(lines) + "\n"


def render_plan(plan: ReleasePlan, done: bool = False) -> str:
    previous = plan.previous.version if plan.previous else "none"
    lines = [
        f"{'released' if done else 'release plan'}: {previous} -> {plan.new_version} (tag {plan.tag}, {plan.date})",
        f"required bump: {plan.required_bump}; chosen: {plan.bump}",
    ]
    lines += [f"  {reason}" for reason in plan.diff.reasons]
    lines += [f"note: {note}" for note in plan.notes]
    lines.append("files: " + ", ".join(sorted(plan.files)))
    if plan.blockers:
        lines.append("REFUSED:")
        lines += [f"- {blocker}" for blocker in plan.blockers]
    elif not done:
        lines.append("dry run: nothing written")
    return "\n".join(lines) + "\n"
