"""The row diff on columns: the reference's join (:mod:`.rows`), with pyarrow reading the tables.

The reference reads every cell into Python. Here pyarrow parses the tables in batches
(:mod:`timeline.package.fastcsv`), both at once, one thread each (pyarrow parses and computes
without the GIL): first only the key columns, joined on columns (:mod:`.keyjoin`), which gives
the rows added and removed; then the rows both tables have are compared. When they come in the
same order in both, one more read compares them cell by cell (:mod:`.lockstep`); otherwise
each row is hashed, and the rows whose hash differs are read once more (:mod:`.rowhash`).
The answer is the reference's: keys added in the new table's order, removed and changed in
the old table's order, each :class:`RowChange` with the fields that differ, new-header order.

It answers only when that answer is certain: both files read by pyarrow exactly as the csv
module would (else ``None``: the caller runs the reference, whose messages name the broken
line), distinct header names, and no repeated key in either table.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..package.fastcsv import batches, csv_header, plain_csv
from .keyjoin import RowsDiff, Table, join_keys, keys_of, read_keys, texts
from .lockstep import changed_in_order
from .rowhash import changed_by_hash

__all__ = ["RowsDiff", "fast_diff_rows", "fast_keys"]


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
        return [key for batch in batches(path, header, primary_key) for key in texts(keys_of(batch, primary_key))]
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
            reading = [pool.submit(read_keys, table, primary_key) for table in (old, new)]
            old_keys, new_keys = (future.result() for future in reading)
            join = None if old_keys is None or new_keys is None else join_keys(old_keys, new_keys)
            if join is None:
                return None
            diff = join.rows_diff()
            if join.in_order():
                diff.changed = changed_in_order(old, new, join, primary_key, common, pool)
            else:
                diff.changed = changed_by_hash(old, new, join, common, pool)
            return diff
    except pa.ArrowException:
        return None
