"""The row diff on columns: the reference's hash join (:mod:`.rows`), with pyarrow reading the tables.

The reference reads every cell into Python to hash a row. Here pyarrow parses each table in
batches (:mod:`timeline.package.fastcsv`) and joins each row's cells into one byte string on
columns; Python only hashes that string. Both tables are read at once, one per thread (pyarrow
parses and joins without the GIL): keys and row hashes first, then the keys are joined on
columns, then, only if rows changed, both tables are read again for those rows' values.
The answer is the reference's: keys added in the new table's order, removed and changed in
the old table's order, each :class:`RowChange` with the fields that differ, new-header order.

It answers only when that answer is certain: both files read by pyarrow exactly as the csv
module would (else ``None``: the caller runs the reference, whose messages name the broken
line), distinct header names, and no repeated key in either table (the reference's answer
then depends on row order in ways not worth copying).
"""

from __future__ import annotations

import bisect
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..package.fastcsv import batches, binary_scalar, csv_header, int64s, plain_csv
from .model import RowChange

if TYPE_CHECKING:
    import pyarrow as pa

# Cells never hold a NUL here (plain_csv refuses the file), so joining a row's cells with one
# is injective: two rows join to the same bytes only if every cell is the same.
CELL_SEPARATOR = b"\x00"
KEY_SEPARATOR = b"|"  # as the reference joins a composite key: the key strings must be the same


@dataclass
class RowsDiff:
    added: list[str] = field(default_factory=list)  # keys, in the new table's order
    removed: list[str] = field(default_factory=list)  # keys, in the old table's order
    changed: list[RowChange] = field(default_factory=list)  # in the old table's order


@dataclass(frozen=True)
class Table:
    path: Path
    header: list[str]


@dataclass(frozen=True)
class Hashed:
    """A table's keys (UTF-8 bytes) and row hashes, row by row."""

    keys: pa.Array
    hashes: pa.ChunkedArray


def _keys(batch: pa.RecordBatch, primary_key: list[str]) -> pa.Array:
    import pyarrow.compute as pc

    if len(primary_key) == 1:
        return batch.column(primary_key[0])
    return pc.binary_join_element_wise(*[batch.column(name) for name in primary_key], binary_scalar(KEY_SEPARATOR))


def _texts(cells: pa.Array) -> list[str]:
    import pyarrow as pa

    return list(cells.cast(pa.string()).to_pylist())


def _hashed(table: Table, primary_key: list[str], common: list[str]) -> Hashed | None:
    """Every row's key and the hash of its cells of COMMON; None if pyarrow might misread the file."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not plain_csv(table.path):
        return None
    keys, hashes = [], []
    separator = binary_scalar(CELL_SEPARATOR)
    for batch in batches(table.path, table.header):
        keys.append(_keys(batch, primary_key))
        joined = pc.binary_join_element_wise(*[batch.column(name) for name in common], separator)
        hashes.append(int64s(map(hash, joined.to_pylist())))
    return Hashed(pa.concat_arrays(keys) if keys else pa.nulls(0, pa.binary()), pa.chunked_array(hashes, pa.int64()))


def _rows_at(table: Table, positions: list[int], common: list[str]) -> list[list[str]]:
    """The cells of COMMON in the rows at POSITIONS (ascending), in that order."""

    rows: list[list[str]] = []
    offset = 0
    for batch in batches(table.path, table.header):
        end = offset + batch.num_rows
        first, last = bisect.bisect_left(positions, offset), bisect.bisect_left(positions, end)
        if first < last:
            picked = batch.take(int64s([p - offset for p in positions[first:last]]))
            cells = zip(*[picked.column(name).to_pylist() for name in common], strict=True)
            rows += ([cell.decode("utf-8") for cell in row] for row in cells)
        offset = end
        if last == len(positions):
            break
    return rows


def _header(path: Path, primary_key: list[str]) -> list[str] | None:
    """PATH's header, if its names are distinct and hold the key."""
    header = csv_header(path)
    if not primary_key or not header or len(set(header)) != len(header) or any(k not in header for k in primary_key):
        return None
    return header


def fast_keys(path: Path, primary_key: list[str]) -> list[str] | None:
    """Every row's key, in the table's order, as :func:`.rows.primary_keys` gives them; or None."""
    import pyarrow as pa

    header = _header(path, primary_key)
    if header is None or not plain_csv(path):
        return None
    try:
        return [key for batch in batches(path, header) for key in _texts(_keys(batch, primary_key))]
    except pa.ArrowException:
        return None


def fast_diff_rows(old_path: Path, new_path: Path, primary_key: list[str]) -> RowsDiff | None:
    """The reference's rows added, removed and changed; None when only the reference can say."""
    import pyarrow as pa

    old_header, new_header = _header(old_path, primary_key), _header(new_path, primary_key)
    if old_header is None or new_header is None:
        return None
    common = [name for name in new_header if name in old_header]
    old, new = Table(old_path, old_header), Table(new_path, new_header)
    try:
        with ThreadPoolExecutor(2) as pool:
            hashing = [pool.submit(_hashed, table, primary_key, common) for table in (old, new)]
            old_hashed, new_hashed = (future.result() for future in hashing)
            if old_hashed is None or new_hashed is None:
                return None
            return _join(old, old_hashed, new, new_hashed, common, pool)
    except pa.ArrowException:
        return None


def _join(
    old: Table, old_hashed: Hashed, new: Table, new_hashed: Hashed, common: list[str], pool: ThreadPoolExecutor
) -> RowsDiff | None:
    import pyarrow as pa
    import pyarrow.compute as pc

    old_count = len(old_hashed.keys)
    # One hash table for both: codes count distinct keys in order of first appearance, so with
    # no repeated old key an old row's code is its position, and a new row's code, if below
    # old_count, is the position of the old row with its key.
    codes = pc.dictionary_encode(pa.concat_arrays([old_hashed.keys, new_hashed.keys])).indices
    old_codes, new_codes = codes[:old_count], codes[old_count:]
    if old_count and pc.max(old_codes).as_py() != old_count - 1:
        return None  # a repeated old key
    if len(pc.unique(new_codes)) != len(new_codes):
        return None  # a repeated new key
    is_added = pc.greater_equal(new_codes, int64s([old_count])[0])
    is_kept = pc.is_in(old_codes, value_set=new_codes)
    diff = RowsDiff(
        added=_texts(new_hashed.keys.filter(is_added)), removed=_texts(old_hashed.keys.filter(pc.invert(is_kept)))
    )
    in_both = pc.indices_nonzero(pc.invert(is_added))  # new rows whose key the old table has
    old_of_both = pc.take(new_codes, in_both)  # and those old rows
    differs = pc.indices_nonzero(
        pc.not_equal(pc.take(old_hashed.hashes, old_of_both), pc.take(new_hashed.hashes, in_both))
    )
    if not len(differs):
        return diff
    old_positions, new_positions = pc.take(old_of_both, differs), pc.take(in_both, differs)
    pairs = sorted(zip(old_positions.to_pylist(), new_positions.to_pylist(), strict=True))
    in_old = [old_position for old_position, _ in pairs]  # the old table's order, the reference's
    in_new = sorted(new_position for _, new_position in pairs)
    reading = [pool.submit(_rows_at, old, in_old, common), pool.submit(_rows_at, new, in_new, common)]
    old_rows, new_rows_in_order = (future.result() for future in reading)
    new_rows = dict(zip(in_new, new_rows_in_order, strict=True))
    keys = _texts(old_hashed.keys.take(int64s(in_old)))
    for key, (_, new_position), old_values in zip(keys, pairs, old_rows, strict=True):
        new_values = new_rows[new_position]
        diff.changed.append(
            RowChange(key, {n: [a, b] for n, a, b in zip(common, old_values, new_values, strict=True) if a != b})
        )
    return diff
