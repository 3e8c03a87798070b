"""Row diff: a hash join on the primary key, in linear time and bounded memory.

One pass over the old table keeps only key -> row hash; one pass over the new table
finds added, removed and changed keys; a last pass over the old table fetches the
old values of the changed rows only. No step compares every row with every other.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from .model import ResourceDiff, RowChange

csv.field_size_limit(sys.maxsize)  # a long cell is a finding of validate, not a crash here


def _key_of(indexes: list[int]) -> Callable[[list[str]], str]:
    if len(indexes) == 1:
        (only,) = indexes
        return lambda row: row[only]
    return lambda row: "|".join(row[i] for i in indexes)


def _open_csv(path: Path) -> tuple[IO[str], Iterator[list[str]], list[str]]:
    handle = open(path, encoding="utf-8", newline="")
    reader = csv.reader(handle)
    header = next(reader, [])
    return handle, reader, header


def diff_rows(old_path: Path, new_path: Path, primary_key: list[str], result: ResourceDiff) -> None:
    """Fill rows_added/removed/changed by a hash join on the primary key."""
    handle, reader, old_header = _open_csv(old_path)
    with handle:
        new_handle, new_reader, new_header = _open_csv(new_path)
        new_handle.close()
        common = [name for name in new_header if name in old_header]
        if not primary_key or any(k not in old_header or k not in new_header for k in primary_key):
            return
        old_idx = [old_header.index(name) for name in common]
        old_key = _key_of([old_header.index(k) for k in primary_key])
        same_layout = old_header == new_header
        old_hashes: dict[str, int] = {}
        for row in reader:
            values = tuple(row) if same_layout else tuple(row[i] if i < len(row) else "" for i in old_idx)
            old_hashes[old_key(row)] = hash(values)

    new_idx = [new_header.index(name) for name in common]
    new_key = _key_of([new_header.index(k) for k in primary_key])
    changed_new: dict[str, list[str]] = {}
    handle, reader, _ = _open_csv(new_path)
    with handle:
        pop = old_hashes.pop
        for row in reader:
            key = new_key(row)
            values = tuple(row) if same_layout else tuple(row[i] if i < len(row) else "" for i in new_idx)
            previous = pop(key, None)
            if previous is None:
                result.rows_added.append(key)
            elif previous != hash(values):
                changed_new[key] = list(values)
    result.rows_removed = list(old_hashes)
    del old_hashes
    if not changed_new:
        return
    handle, reader, _ = _open_csv(old_path)
    with handle:
        for row in reader:
            key = old_key(row)
            if key in changed_new:
                old_values = [row[i] if i < len(row) else "" for i in old_idx]
                new_values = changed_new[key]
                result.rows_changed.append(
                    RowChange(
                        key, {name: [a, b] for name, a, b in zip(common, old_values, new_values, strict=True) if a != b}
                    )
                )


def primary_keys(path: Path, schema: dict[str, Any]) -> Iterator[str]:
    primary_key = list(schema.get("primaryKey") or [])
    handle, reader, header = _open_csv(path)
    with handle:
        if not primary_key or any(k not in header for k in primary_key):
            return
        key = _key_of([header.index(k) for k in primary_key])
        for row in reader:
            yield key(row)


