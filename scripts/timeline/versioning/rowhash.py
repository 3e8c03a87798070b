"""Changed rows in any order: a hash of each row, then one more read for the rows whose hash differs.

Each row's cells of the shared columns are joined on columns into one byte string, which Python
hashes (as the reference hashes the same cells): one read of both tables, one thread each.
Then both are read once more, only if rows differ, for those rows' values. Used when the rows
both tables have are not in the same order (else :mod:`.lockstep` compares them cell by cell).
"""

from __future__ import annotations

import bisect
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from ..package.arrays import binary_scalar, int64s
from ..package.fastcsv import batches
from .keyjoin import KeyJoin, Table, row_change, texts
from .model import RowChange

if TYPE_CHECKING:
    import pyarrow as pa

# Cells never hold a NUL here (plain_csv refuses the file), so joining a row's cells with one
# is injective: two rows join to the same bytes only if every cell is the same.
CELL_SEPARATOR = b"\x00"


def _hashes(table: Table, common: list[str]) -> pa.ChunkedArray:
    import pyarrow as pa
    import pyarrow.compute as pc

    hashes = []
    separator = binary_scalar(CELL_SEPARATOR)
    for batch in batches(table.path, table.header):
        joined = pc.binary_join_element_wise(*[batch.column(name) for name in common], separator)
        hashes.append(int64s(map(hash, joined.to_pylist())))
    return pa.chunked_array(hashes, pa.int64())


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


def changed_by_hash(
    old: Table, new: Table, join: KeyJoin, common: list[str], pool: ThreadPoolExecutor
) -> list[RowChange]:
    import pyarrow.compute as pc

    hashing = [pool.submit(_hashes, table, common) for table in (old, new)]
    old_hashes, new_hashes = (future.result() for future in hashing)
    differs = pc.indices_nonzero(
        pc.not_equal(pc.take(old_hashes, join.old_of_both), pc.take(new_hashes, join.in_both))
    )
    if not len(differs):
        return []
    old_positions, new_positions = pc.take(join.old_of_both, differs), pc.take(join.in_both, differs)
    pairs = sorted(zip(old_positions.to_pylist(), new_positions.to_pylist(), strict=True))
    in_old = [old_position for old_position, _ in pairs]  # the old table's order, the reference's
    in_new = sorted(new_position for _, new_position in pairs)
    reading = [pool.submit(_rows_at, old, in_old, common), pool.submit(_rows_at, new, in_new, common)]
    old_rows, new_rows_in_order = (future.result() for future in reading)
    new_rows = dict(zip(in_new, new_rows_in_order, strict=True))
    keys = texts(join.old_keys.take(int64s(in_old)))
    return [
        row_change(key, common, old_values, new_rows[new_position])
        for key, (_, new_position), old_values in zip(keys, pairs, old_rows, strict=True)
    ]
