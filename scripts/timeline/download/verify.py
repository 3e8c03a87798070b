"""``timeline verify FILE``: is this downloaded file (or release archive) exactly what the release published?

Offline, in three steps:

1. the record: release X's datapackage.json and Table Schemas, from the git history
   (see :mod:`.record`); X is ``--version``, else the version of the datapackage.json
   that came with the download (beside or above FILE, or inside the archive);
2. bytes: each file's sha256 and size against the record (and, for an archive, every
   line of its SHA256SUMS); when git has the release's own file, the changed rows are named;
3. content: each table against its Table Schema with frictionless (types, enums,
   patterns, required, primary key). A single table's foreign keys cannot be checked
   without the tables they point to: that is a note, not a failure. An archive holds
   them all, so there they are checked.
"""

from __future__ import annotations

import copy
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frictionless import FrictionlessException, Package, Resource

from ..errors import DescriptorError, DownloadError, UnsafePathError
from ..package.hashing import file_sha256
from ..package.paths import DESCRIPTOR, resolve_inside
from ..validation import findings as F
from ..validation.adapter import findings_from_exception, frictionless_findings
from ..validation.report import Finding
from .archive import ArchiveProblem, extract_archive, is_archive, package_root
from .changes import changed_rows, first_difference
from .record import Record, local_record, neighbour_descriptor, release_record

SUMS = "SHA256SUMS"


@dataclass
class CheckedFile:
    path: str
    sha256: str
    bytes: int
    recorded_sha256: str | None
    resource: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "resource": self.resource,
            "sha256": self.sha256,
            "bytes": self.bytes,
            "recorded_sha256": self.recorded_sha256,
            "matches": self.sha256 == self.recorded_sha256,
        }


@dataclass
class VerifyResult:
    file: str
    kind: str  # "resource" or "archive"
    version: str = ""
    record: str = ""  # where the recorded hashes and schemas come from
    checked: list[CheckedFile] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows checked against its schema
    sums_checked: int = 0  # lines of an archive's SHA256SUMS that were checked
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.findings

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "file": self.file,
            "kind": self.kind,
            "version": self.version,
            "record": self.record,
            "checked": [c.to_dict() for c in self.checked],
            "rows": dict(self.rows),
            "sums_checked": self.sums_checked,
            "finding_count": len(self.findings),
            "findings": [f.to_dict() for f in self.findings],
            "notes": list(self.notes),
        }


def verify_download(file: str | Path, version: str | None = None, package: str | Path | None = None) -> VerifyResult:
    """Verify FILE (a resource file or a .zip/.tar.gz release archive) against its release. Never prints."""
    path = Path(file)
    if not path.is_file():
        what = "not a regular file" if path.exists() else "no such file"  # a FIFO or device would block or never end
        raise DownloadError(f"{file}: {what}; pass a downloaded resource file (e.g. events.csv) or archive")
    wanted = version.lstrip("v") if version else None
    if is_archive(path):
        return _verify_archive(path, wanted, package)
    return _verify_resource(path, wanted, package)


def _verify_resource(path: Path, version: str | None, package: str | Path | None) -> VerifyResult:
    neighbour = neighbour_descriptor(path)
    own = local_record(neighbour, f"the {DESCRIPTOR} beside it ({neighbour})") if neighbour else None
    record, note = release_record(package, version, own)
    result = VerifyResult(str(path), "resource", record.version, record.origin, notes=[note] if note else [])
    if own is not None and version and own.version != version:
        result.notes.append(f"the {DESCRIPTOR} beside it says version {own.version or '(none)'}, not {version}")
    resource = _match_resource(record, path, neighbour)
    _check_bytes(record, resource, path, str(path), result)
    schema = record.schema(resource)
    if schema is not None:
        external = _split_foreign_keys(schema)
        if external:
            targets = ", ".join(
                f"{'/'.join(_as_list(k.get('fields')))} -> {k['reference']['resource']}" for k in external
            )
            result.notes.append(f"foreign keys not checkable without the other tables: {targets}")
        descriptor = _frictionless_resource(resource, schema, path.name)
        try:
            report = Resource(descriptor, basepath=str(path.parent)).validate()
        except FrictionlessException as exception:
            result.findings.extend(findings_from_exception(exception))
            return result
        result.findings.extend(frictionless_findings(report, {descriptor["name"]: str(path)}))
        result.rows.update(_rows(report))
    return result


def _verify_archive(path: Path, version: str | None, package: str | Path | None) -> VerifyResult:
    result = VerifyResult(str(path), "archive")
    with tempfile.TemporaryDirectory(prefix="timeline-verify-") as temp:
        try:
            written = extract_archive(path, Path(temp))
            root, prefix = package_root(Path(temp), written)
        except ArchiveProblem as problem:
            kind = F.ARCHIVE_UNSAFE_MEMBER if problem.kind == "unsafe" else F.ARCHIVE_UNREADABLE
            result.findings.append(Finding.of(kind, str(problem), file=str(path)))
            return result
        try:
            own = local_record(root / DESCRIPTOR, f"the archive's own {DESCRIPTOR} and {SUMS}")
        except DescriptorError as error:
            result.findings.append(Finding.of(F.ARCHIVE_UNREADABLE, str(error), file=f"{prefix}{DESCRIPTOR}"))
            return result
        record, note = release_record(package, version, own)
        result.version, result.record = record.version, record.origin
        result.notes += [note] if note else []
        if version and own.version != version:
            result.findings.append(
                Finding.of(
                    F.VERSION_MISMATCH,
                    f"the archive's {DESCRIPTOR} says version {own.version or '(none)'}, not {version}",
                    file=f"{prefix}{DESCRIPTOR}",
                    field="version",
                )
            )
        _check_sums(root, prefix, result)
        if record is not own:
            recorded = record.read(DESCRIPTOR)
            if recorded is not None and recorded != (root / DESCRIPTOR).read_bytes():
                result.findings.append(
                    Finding.of(
                        F.HASH_MISMATCH,
                        f"{DESCRIPTOR} differs from release {record.version}'s ({record.origin})",
                        file=f"{prefix}{DESCRIPTOR}",
                    )
                )
        present = []
        for resource in _resources(record):
            shown = f"{prefix}{resource['path']}"
            try:
                target = resolve_inside(root, resource["path"])
            except UnsafePathError as error:
                result.findings.append(Finding.of(F.ARCHIVE_UNSAFE_MEMBER, str(error), file=f"{prefix}{DESCRIPTOR}"))
                continue
            if not target.is_file():
                result.findings.append(
                    Finding.of(F.ARCHIVE_MEMBER_MISSING, f"{shown} is not in the archive", file=shown)
                )
                continue
            _check_bytes(record, resource, target, shown, result)
            present.append(resource)
        _check_package_tables(record, present, root, prefix, result)
    return result


def _check_sums(root: Path, prefix: str, result: VerifyResult) -> None:
    """Every line of the archive's SHA256SUMS, as `sha256sum -c` would check it."""
    sums = root / SUMS
    if not sums.is_file():
        result.findings.append(Finding.of(F.ARCHIVE_MEMBER_MISSING, f"{prefix}{SUMS} is not in the archive"))
        return
    for number, line in enumerate(sums.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        digest, _, name = line.partition("  ")
        shown = f"{prefix}{name}"
        result.sums_checked += 1
        try:
            target = resolve_inside(root, name)
        except UnsafePathError:
            result.findings.append(
                Finding.of(F.ARCHIVE_UNSAFE_MEMBER, f"{SUMS} line {number} names {name!r}", file=f"{prefix}{SUMS}")
            )
            continue
        if not target.is_file():
            result.findings.append(
                Finding.of(F.ARCHIVE_MEMBER_MISSING, f"{shown} is listed in {SUMS} but not in the archive", file=shown)
            )
        elif file_sha256(target)[0] != digest:
            result.findings.append(Finding.of(F.HASH_MISMATCH, f"sha256 differs from {SUMS} line {number}", file=shown))


def _check_bytes(record: Record, resource: dict[str, Any], path: Path, shown: str, result: VerifyResult) -> None:
    """sha256 and size against the record; when git has the release's own file, name what changed."""
    digest, size = file_sha256(path)
    recorded = str(resource.get("hash", "")).removeprefix("sha256:") or None
    result.checked.append(CheckedFile(shown, digest, size, recorded, str(resource.get("name"))))
    recorded_bytes = resource.get("bytes")
    if recorded is None:
        result.notes.append(f"{shown}: release {record.version} recorded no sha256 for it; its content was checked")
        return
    if digest == recorded and (recorded_bytes is None or recorded_bytes == size):
        return
    result.findings.append(
        Finding.of(
            F.HASH_MISMATCH,
            f"sha256 {digest} ({size} bytes) differs from release {record.version}'s {recorded} "
            f"({recorded_bytes} bytes)",
            file=shown,
        )
    )
    original = record.read(str(resource["path"])) if record.has_originals else None
    if original is None:
        result.notes.append(
            f"{shown}: the changed rows cannot be named without the release's own file "
            "(run inside a clone of the repository, or pass --package)"
        )
        return
    schema = record.schema(resource)
    with open(path, "rb") as downloaded:  # streamed: a download may be far larger than the release's file
        if schema is None:
            line, column = first_difference(original, downloaded.read(len(original) + 1))
            result.findings.append(
                Finding.of(F.ROW_CHANGED, f"first difference at line {line}, byte {column}", file=shown, row=line)
            )
            return
        changes = changed_rows(original, downloaded, _as_list(schema.get("primaryKey")))
    for change in changes:
        result.findings.append(
            Finding.of(
                F.ROW_CHANGED,
                f"row {change.row} ({change.key}) differs from release {record.version}: {change.detail}",
                file=shown,
                row=change.row,
                field=", ".join(change.fields),
            )
        )


def _check_package_tables(
    record: Record, resources: list[dict[str, Any]], root: Path, prefix: str, result: VerifyResult
) -> None:
    """All tables of an archive against their schemas in one frictionless package: foreign keys included."""
    tables = []
    present = {str(resource.get("name")) for resource in resources}
    for resource in resources:
        schema = record.schema(resource)
        if schema is None:
            continue
        external = _split_foreign_keys(schema)
        reachable = [k for k in external if k["reference"]["resource"] in present]
        if reachable:
            schema.setdefault("foreignKeys", []).extend(reachable)
        unreachable = [k for k in external if k["reference"]["resource"] not in present]
        if unreachable:
            targets = ", ".join(f"{resource.get('name')} -> {k['reference']['resource']}" for k in unreachable)
            result.notes.append(f"foreign keys into tables missing from the archive not checked: {targets}")
        tables.append(_frictionless_resource(resource, schema, str(resource["path"])))
    if not tables:
        return
    try:
        report = Package({"name": "verify", "resources": tables}, basepath=str(root)).validate()
    except FrictionlessException as exception:
        result.findings.extend(findings_from_exception(exception))
        return
    files = {t["name"]: f"{prefix}{t['path']}" for t in tables}
    result.findings.extend(frictionless_findings(report, files))
    result.rows.update(_rows(report))


def _frictionless_resource(resource: dict[str, Any], schema: dict[str, Any], path: str) -> dict[str, Any]:
    """The resource as frictionless should check it: the record's schema inline, bytes checked by us."""
    descriptor = {k: copy.deepcopy(v) for k, v in resource.items() if k not in ("hash", "bytes", "schema", "path")}
    descriptor.update(path=path, schema=schema, type="table")
    return descriptor


def _split_foreign_keys(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Remove from SCHEMA the foreign keys into other tables (return them); keys into the table itself stay."""
    keys = schema.get("foreignKeys")
    if not isinstance(keys, list):
        return []
    external = [
        k
        for k in keys
        if isinstance(k, dict) and isinstance(k.get("reference"), dict) and k["reference"].get("resource")
    ]
    schema["foreignKeys"] = [k for k in keys if k not in external]
    return external


def _resources(record: Record) -> list[dict[str, Any]]:
    resources = record.descriptor.get("resources")
    return (
        [r for r in resources if isinstance(r, dict) and isinstance(r.get("path"), str)]
        if isinstance(resources, list)
        else []
    )


def _match_resource(record: Record, path: Path, neighbour: Path | None) -> dict[str, Any]:
    """The record's resource FILE is: by its path below the neighbour descriptor, else by its file name."""
    resources = _resources(record)
    if neighbour is not None:
        relative = path.resolve().relative_to(neighbour.parent.resolve()).as_posix()
        matches = [r for r in resources if r["path"] == relative]
    else:
        matches = [r for r in resources if Path(r["path"]).name == path.name]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(r["path"] for r in resources)
    raise DownloadError(
        f"{path}: {'no' if not matches else 'more than one'} resource of release {record.version} "
        f"matches this file (resources: {known}); keep the file's name, or put it beside its {DESCRIPTOR}"
    )


def _rows(report: Any) -> dict[str, int]:
    return {task.name: task.stats.get("rows") for task in report.tasks if task.stats.get("rows") is not None}


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []
