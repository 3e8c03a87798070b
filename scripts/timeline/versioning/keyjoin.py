"""The keys of two tables, read by pyarrow and joined on columns: the first step of the columnar row diff.

A key is the reference's key string (:mod:`.rows`): the one key cell, or the key cells joined
by ``|``. Both tables' keys go through one pyarrow hash table (``dictionary_encode``), which
numbers distinct keys in order of first appearance: with no repeated old key an old row's
number is its position, and a new row's number, when below the old row count, is the
position of the old row with its key. Everything else is positions and masks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..package.arrays import binary_scalar, int_scalar
from ..package.fastcsv import batches, plain_csv
from .model import RowChange

if TYPE_CHECKING:
    import pyarrow as pa

KEY_SEPARATOR = b"|"  # as the reference joins a composite key: the key strings must be the same


@dataclass(frozen=True)
class Table:
    path: Path
    header: list[str]  # as csv reads it, names distinct


@dataclass
class RowsDiff:
    added: list[str] = field(default_factory=list)  # keys, in the new table's order
    removed: list[str] = field(default_factory=list)  # keys, in the old table's order
    changed: list[RowChange] = field(default_factory=list)  # in the old table's order


def keys_of(batch: pa.RecordBatch | pa.Table, primary_key: list[str]) -> pa.Array | pa.ChunkedArray:
    import pyarrow.compute as pc

    if len(primary_key) == 1:
        return batch.column(primary_key[0])
    return pc.binary_join_element_wise(*[batch.column(name) for name in primary_key], binary_scalar(KEY_SEPARATOR))


def texts(cells: pa.Array | pa.ChunkedArray) -> list[str]:
    """UTF-8 cells as str (plain_csv checked they decode)."""
    import pyarrow as pa

    return list(cells.cast(pa.string()).to_pylist())


def read_keys(table: Table, primary_key: list[str]) -> pa.Array | None:
    """Every row's key, in order; None if pyarrow might read the file otherwise than csv."""
    import pyarrow as pa

    if not plain_csv(table.path):
        return None
    keys = [keys_of(batch, primary_key) for batch in batches(table.path, table.header, primary_key)]
    return pa.concat_arrays(keys) if keys else pa.nulls(0, pa.binary())


def row_change(key: str, common: list[str], old_values: list[str], new_values: list[str]) -> RowChange:
    """As the reference makes it: the fields of COMMON that differ, each [old, new]."""
    return RowChange(key, {n: [a, b] for n, a, b in zip(common, old_values, new_values, strict=True) if a != b})


@dataclass(frozen=True)
class KeyJoin:
    old_keys: pa.Array
    new_keys: pa.Array
    is_kept: pa.Array  # for each old row: the new table has its key
    is_added: pa.Array  # for each new row: the old table lacks its key
    in_both: pa.Array  # the positions of the new rows whose key the old table has, ascending
    old_of_both: pa.Array  # the position of the old row with each one's key

    def rows_diff(self) -> RowsDiff:
        import pyarrow.compute as pc

        removed = self.old_keys.filter(pc.invert(self.is_kept))
        return RowsDiff(added=texts(self.new_keys.filter(self.is_added)), removed=texts(removed))

    def in_order(self) -> bool:
        """The rows both tables have come in the same order in both."""
        import pyarrow.compute as pc

        count = len(self.old_of_both)
        if count < 2:
            return True
        steps = pc.subtract(self.old_of_both.slice(1), self.old_of_both.slice(0, count - 1))
        return bool(pc.min(steps).as_py() > 0)


def join_keys(old_keys: pa.Array, new_keys: pa.Array) -> KeyJoin | None:
    """The two tables' keys joined; None if a key repeats in either (the reference's answer then
    depends on row order in ways not worth copying)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    old_count = len(old_keys)
    codes = pc.dictionary_encode(pa.concat_arrays([old_keys, new_keys])).indices
    old_codes, new_codes = codes.slice(0, old_count), codes.slice(old_count)
    if old_count and pc.max(old_codes).as_py() != old_count - 1:
        return None
    if len(pc.unique(new_codes)) != len(new_codes):
        return None
    is_added = pc.greater_equal(new_codes, int_scalar(old_count))
    in_both = pc.indices_nonzero(pc.invert(is_added))
    return KeyJoin(
        old_keys=old_keys,
        new_keys=new_keys,
        is_kept=pc.is_in(old_codes, value_set=new_codes),
        is_added=is_added,
        in_both=in_both,
        old_of_both=pc.take(new_codes, in_both),
    )
