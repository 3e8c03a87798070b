"""`timeline export FORMAT`: the package in other tools' formats, deterministic, carrying version and licence.

- sqlite: a database for Datasette, and its metadata file (export/sqlite.py);
- geojson: an RFC 7946 FeatureCollection of places and their events (export/geojson.py);
- timelinejs: Knight Lab TimelineJS 3 JSON (export/timelinejs.py).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..package.atomic import atomic_write_text
from ..package.hashing import file_sha256
from ..package.tables import PackageTables
from .geojson import geojson_text
from .sqlite import metadata_text, write_sqlite
from .timelinejs import timelinejs_text

FORMATS = ("sqlite", "geojson", "timelinejs")
SUFFIXES = {"sqlite": ".db", "geojson": ".geojson", "timelinejs": ".timelinejs.json"}


@dataclass(frozen=True)
class ExportedFile:
    path: str
    bytes: int
    sha256: str


@dataclass(frozen=True)
class ExportResult:
    format: str
    version: str
    source: str  # "working tree" or "1.0.1 (abc1234)"
    files: list[ExportedFile] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def default_path(tables: PackageTables, fmt: str, folder: Path) -> Path:
    """<folder>/<name><suffix>: no version in the stem, since Datasette names a database after it and
    refuses dots; the version is in the folder name (dist/exports-X.Y.Z) and inside every file."""
    return folder / f"{tables.descriptor.get('name', 'package')}{SUFFIXES[fmt]}"


def _write_database(tables: PackageTables, target: Path) -> list[Path]:
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    os.unlink(temp)  # sqlite-utils creates it
    try:
        write_sqlite(tables, Path(temp))
        os.replace(temp, target)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    metadata = target.with_name(target.name.removesuffix(".db") + ".metadata.json")
    atomic_write_text(metadata, metadata_text(tables, target.stem))
    return [target, metadata]


WRITERS: dict[str, Callable[[PackageTables, Path], list[Path]]] = {
    "sqlite": _write_database,
    "geojson": lambda tables, target: [_write_text(target, geojson_text(tables))],
    "timelinejs": lambda tables, target: [_write_text(target, timelinejs_text(tables))],
}


def _write_text(target: Path, text: str) -> Path:
    atomic_write_text(target, text)
    return target


def write_export(tables: PackageTables, fmt: str, target: Path, source: str) -> ExportResult:
    """Write FORMAT to TARGET (its parent folder is created)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    written = WRITERS[fmt](tables, target)
    files = []
    for path in written:
        sha256, size = file_sha256(path)
        files.append(ExportedFile(str(path), size, sha256))
    return ExportResult(fmt, tables.version, source, files)


def render_export(result: ExportResult) -> str:
    lines = [f"{result.format} export of {result.source} (version {result.version}):"]
    lines += [f"  {f.path}  {f.bytes} bytes  sha256 {f.sha256}" for f in result.files]
    return "\n".join(lines) + "\n"
