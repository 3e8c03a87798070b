"""Small helpers for tests that mutate a package copy."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from timeline.stamp import stamp_package


def read_rows(package: Path, table: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(package / "data" / f"{table}.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(package: Path, table: str, header: list[str], rows: list[dict[str, str]], *, stamp: bool = True) -> None:
    """Rewrite a table; by default re-stamp hashes so only the intended defect remains."""
    with open(package / "data" / f"{table}.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    if stamp:
        stamp_package(package)


def edit_row(package: Path, table: str, index: int, stamp: bool = True, **changes: str) -> None:
    header, rows = read_rows(package, table)
    rows[index].update(changes)
    write_rows(package, table, header, rows, stamp=stamp)


def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every file below folder (symlinks by target name), to prove nothing was written."""
    result = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            result[str(path.relative_to(folder))] = "link:" + str(path.readlink())
        elif path.is_file():
            result[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return result
