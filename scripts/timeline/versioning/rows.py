"""Row diff: a hash join on the primary key, in linear time and bounded memory.

One pass over the old table keeps only key -> row hash; one pass over the new table
finds added, removed and changed keys; a last pass over the old table fetches the
old values of the changed rows only. No step compares every row with every other.
Big tables take the same join on columns (:mod:`.fastrows`), several times faster, whose
answer is this one's; this one is the reference, and the path wherever that one steps aside.

A table that cannot be read as the project writes it (not UTF-8, a row with more or
fewer cells than the header, a blank line, a missing file) stops the diff with one
message naming the snapshot, the file and the line: ``timeline validate`` says more.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import PackageFileError, TableReadError
from ..package.safeio import regular_file
from .fastrows import fast_diff_rows, fast_keys
from .model import ResourceDiff, RowChange

csv.field_size_limit(sys.maxsize)  # a long cell is a finding of validate, not a crash here
FAST_FROM_BYTES = 8 << 20  # both files together; below it, csv is quicker than importing pyarrow (0.13 s)
HINT = "run `timeline validate` on that version for every problem"


@dataclass(frozen=True)
class TableFile:
    path: Path  # a regular file inside its package
    name: str  # how messages name it: "<snapshot>: data/events.csv"


def table_file(root: Path, relative: str, label: str) -> TableFile:
    """RELATIVE in the package at ROOT, checked to be a regular file inside it (nothing opened yet)."""
    try:
        return TableFile(regular_file(root, relative), f"{label}: {relative}")
    except PackageFileError as error:
        raise TableReadError(f"{label}: {error}") from None


def _undecodable(path: Path) -> str:
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as error:
                return f"line {number}, byte {error.start + 1} (0x{line[error.start]:02x}) is not UTF-8"
    return "not UTF-8"


def read_table(table: TableFile) -> Generator[list[str], None, None]:
    """The header, then every row; each row has exactly the header's number of cells."""
    with open(table.path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader, None)
            if not header:
                raise TableReadError(f"{table.name}: no header row (the file is empty); {HINT}")
            yield header
            width = len(header)
            for row in reader:
                if len(row) != width:
                    raise TableReadError(f"{table.name}, line {reader.line_num}: {_width_problem(row, width)}; {HINT}")
                yield row
        except UnicodeDecodeError:
            raise TableReadError(f"{table.name}: {_undecodable(table.path)}; {HINT}") from None
        except csv.Error as error:
            raise TableReadError(f"{table.name}, line {reader.line_num}: not valid CSV ({error}); {HINT}") from None


def _width_problem(row: list[str], width: int) -> str:
    if not row:
        return "a blank line"
    if len(row) > width:
        return f"{len(row)} cells, the header has {width} (an unquoted comma?)"
    return f"{len(row)} cells, the header has {width} (a missing cell?)"


def _key_of(indexes: list[int]) -> Callable[[list[str]], str]:
    if len(indexes) == 1:
        (only,) = indexes
        return lambda row: row[only]
    return lambda row: "|".join(row[i] for i in indexes)


def _header(table: TableFile) -> list[str]:
    rows = read_table(table)
    header = next(rows)
    rows.close()
    return header


def diff_rows(old: TableFile, new: TableFile, primary_key: list[str], result: ResourceDiff) -> None:
    """Fill rows_added/removed/changed by a hash join on the primary key.

    Tables of :data:`FAST_FROM_BYTES` or more go to the columnar join (:mod:`.fastrows`), which
    gives the same answer several times faster or, when it cannot be sure to, none; then (and
    for small tables, where importing pyarrow would cost more than it saves) the csv module's.
    """
    if old.path.stat().st_size + new.path.stat().st_size >= FAST_FROM_BYTES:
        fast = fast_diff_rows(old.path, new.path, primary_key)
        if fast is not None:
            result.rows_added, result.rows_removed, result.rows_changed = fast.added, fast.removed, fast.changed
            return
    reference_diff_rows(old, new, primary_key, result)


def reference_diff_rows(old: TableFile, new: TableFile, primary_key: list[str], result: ResourceDiff) -> None:
    """diff_rows with the csv module: the reference, and the only path for a table pyarrow might misread."""
    old_rows = read_table(old)
    old_header = next(old_rows)
    new_header = _header(new)
    common = [name for name in new_header if name in old_header]
    if not primary_key or any(k not in old_header or k not in new_header for k in primary_key):
        old_rows.close()
        return
    old_idx = [old_header.index(name) for name in common]
    old_key = _key_of([old_header.index(k) for k in primary_key])
    same_layout = old_header == new_header
    old_hashes: dict[str, int] = {}
    for row in old_rows:
        values = tuple(row) if same_layout else tuple(row[i] for i in old_idx)
        old_hashes[old_key(row)] = hash(values)

    new_idx = [new_header.index(name) for name in common]
    new_key = _key_of([new_header.index(k) for k in primary_key])
    changed_new: dict[str, list[str]] = {}
    new_rows = read_table(new)
    next(new_rows)
    pop = old_hashes.pop
    for row in new_rows:
        key = new_key(row)
        values = tuple(row) if same_layout else tuple(row[i] for i in new_idx)
        previous = pop(key, None)
        if previous is None:
            result.rows_added.append(key)
        elif previous != hash(values):
            changed_new[key] = list(values)
    result.rows_removed = list(old_hashes)
    del old_hashes
    if not changed_new:
        return
    old_rows = read_table(old)
    next(old_rows)
    for row in old_rows:
        key = old_key(row)
        if key in changed_new:
            old_values = [row[i] for i in old_idx]
            new_values = changed_new[key]
            result.rows_changed.append(
                RowChange(
                    key, {name: [a, b] for name, a, b in zip(common, old_values, new_values, strict=True) if a != b}
                )
            )


def primary_keys(table: TableFile, schema: dict[str, Any]) -> Iterator[str]:
    """Every row's key (a new resource's rows): read by pyarrow for a big table, as :func:`diff_rows` does."""
    primary_key = normal_primary_key(schema)
    if primary_key and table.path.stat().st_size >= FAST_FROM_BYTES:
        keys = fast_keys(table.path, primary_key)
        if keys is not None:
            yield from keys
            return
    rows = read_table(table)
    header = next(rows)
    if not primary_key or any(k not in header for k in primary_key):
        rows.close()
        return
    key = _key_of([header.index(k) for k in primary_key])
    for row in rows:
        yield key(row)


def normal_primary_key(schema: dict[str, Any]) -> list[str]:
    """A Table Schema's primaryKey as a list of field names (a single name is allowed; anything else is none)."""
    key = schema.get("primaryKey")
    if isinstance(key, str):
        return [key]
    if isinstance(key, list) and all(isinstance(k, str) for k in key):
        return list(key)
    return []
