"""Naming what changed between a release's own file and a downloaded copy: rows of a table, or a byte of a text."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

MAX_ROWS_NAMED = 5  # enough to find the edit; the hash already says the file differs
MAX_VALUE_SHOWN = 200  # characters of a changed cell shown; a 50 MB cell must not become a 50 MB message


@dataclass(frozen=True)
class RowChange:
    row: int  # as frictionless counts: the header is row 1
    key: str  # "event_id=ev-0004", or "row N" for a table without a primary key
    fields: tuple[str, ...]
    detail: str


def _records(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8", errors="replace"), newline="")))


def _streamed_records(handle: IO[bytes]) -> Iterator[list[str]]:
    """The download's records, read as they are compared: only as far as the first changes."""
    text = io.TextIOWrapper(handle, encoding="utf-8", errors="replace", newline="")
    try:
        yield from csv.reader(text)
    finally:
        text.detach()  # the caller's file stays open, and theirs to close


def _shown(value: str | None) -> str:
    if value is None or len(value) <= MAX_VALUE_SHOWN:
        return repr(value)
    return f"{value[:MAX_VALUE_SHOWN]!r}… ({len(value):,} characters)"


def changed_rows(original: bytes, downloaded: IO[bytes], key_fields: list[str]) -> list[RowChange]:
    """The first rows (records, not lines) that differ, each with its key and the fields that changed."""
    old = _records(original)
    header = old[0] if old else []
    changes: list[RowChange] = []
    for index, (before, after) in enumerate(itertools.zip_longest(old, _streamed_records(downloaded))):
        if before == after:
            continue
        if len(changes) == MAX_ROWS_NAMED:
            changes.append(RowChange(index + 1, "…", (), "and more rows differ after this one"))
            break
        changes.append(_describe(index + 1, header, before, after, key_fields))
    return changes


def _describe(
    row: int, header: list[str], before: list[str] | None, after: list[str] | None, keys: list[str]
) -> RowChange:
    present = after if after is not None else before
    assert present is not None
    key = ", ".join(f"{k}={present[header.index(k)]}" for k in keys if k in header and header.index(k) < len(present))
    key = key or f"row {row}"
    if before is None or after is None:
        return RowChange(row, key, (), "row added" if before is None else "row missing")
    if row == 1:
        return RowChange(row, "header", (), f"header {before} -> {after}")
    width = max(len(before), len(after), len(header))
    names = [header[i] if i < len(header) else f"column {i + 1}" for i in range(width)]
    changed = [
        (names[i], before[i] if i < len(before) else None, after[i] if i < len(after) else None)
        for i in range(width)
        if (before[i] if i < len(before) else None) != (after[i] if i < len(after) else None)
    ]
    detail = "; ".join(f"{name}: {_shown(old)} -> {_shown(new)}" for name, old, new in changed)
    return RowChange(row, key, tuple(name for name, _, _ in changed), detail)


def first_difference(original: bytes, downloaded: bytes) -> tuple[int, int]:
    """(line, byte column), both 1-based, of the first byte where two files differ."""
    offset = next(
        (i for i, (a, b) in enumerate(zip(original, downloaded, strict=False)) if a != b),
        min(len(original), len(downloaded)),
    )
    line = original.count(b"\n", 0, offset) + 1
    column = offset - (original.rfind(b"\n", 0, offset) + 1) + 1
    return line, column
