"""Changed rows when both tables hold their shared rows in the same order: compared cell by cell.

Then the k-th old row whose key the new table has and the k-th new row whose key the old table
has are the same row (the usual new version: rows edited, added or removed in place). Both
tables are read once more, the old one in a thread that hands its shared rows over a queue;
each new batch's shared rows are compared column by column with as many old ones. No hash, so
nothing can hide a change, no Python per row, and a changed row's values are at hand.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from queue import Empty, Full, Queue
from typing import TYPE_CHECKING

from ..package.fastcsv import batches
from .keyjoin import KeyJoin, Table, keys_of, row_change, texts
from .model import RowChange

if TYPE_CHECKING:
    import pyarrow as pa

QUEUE_BATCHES = 4  # old batches read ahead: enough to keep both threads busy, little memory
WAIT = 0.1  # seconds between looks at the stop flag while the queue is full or empty


def _feed(old: Table, is_kept: pa.Array, common: list[str], handoff: Queue[object], stop: threading.Event) -> None:
    """Put the old table's shared rows (COMMON's cells) on HANDOFF batch by batch, then None."""
    offset = 0
    try:
        for batch in batches(old.path, old.header):
            if stop.is_set():  # the new table has no more shared rows: the rest were removed
                return
            shared = batch.select(common).filter(is_kept.slice(offset, batch.num_rows))
            offset += batch.num_rows
            if shared.num_rows and not _put(handoff, shared, stop):
                return
    finally:
        _put(handoff, None, stop)


def _put(handoff: Queue[object], item: object, stop: threading.Event) -> bool:
    while not stop.is_set():
        try:
            handoff.put(item, timeout=WAIT)
            return True
        except Full:
            continue
    return False


class _OldRows:
    """The old shared rows the feeding thread has read, taken in order."""

    def __init__(self, handoff: Queue[object], feeding: Future[None]) -> None:
        self.handoff = handoff
        self.feeding = feeding
        self.pending: list[pa.RecordBatch] = []
        self.count = 0

    def _next(self) -> pa.RecordBatch:
        import pyarrow as pa

        while True:
            try:
                item = self.handoff.get(timeout=WAIT)
            except Empty:
                continue
            if item is None:
                self.feeding.result()  # the old table's read failed: raise its error
                raise pa.ArrowInvalid("the old table has fewer shared rows than its keys said")
            assert isinstance(item, pa.RecordBatch)
            return item

    def take(self, count: int) -> pa.Table:
        import pyarrow as pa

        while self.count < count:
            batch = self._next()
            self.pending.append(batch)
            self.count += batch.num_rows
        rows = pa.Table.from_batches(self.pending)
        self.pending = rows.slice(count).to_batches()
        self.count -= count
        return rows.slice(0, count)


def _differing(old_rows: pa.Table, new_rows: pa.Table, common: list[str]) -> pa.Array:
    """The positions of the rows where any cell differs."""
    import pyarrow.compute as pc

    differs = None
    for name in common:
        unequal = pc.not_equal(old_rows.column(name), new_rows.column(name))
        differs = unequal if differs is None else pc.or_(differs, unequal)
    return pc.indices_nonzero(differs)


def _cells(rows: pa.Table, common: list[str]) -> list[list[str]]:
    columns = [rows.column(name).to_pylist() for name in common]
    return [[cell.decode("utf-8") for cell in row] for row in zip(*columns, strict=True)]


def changed_in_order(
    old: Table, new: Table, join: KeyJoin, primary_key: list[str], common: list[str], pool: ThreadPoolExecutor
) -> list[RowChange]:
    import pyarrow as pa
    import pyarrow.compute as pc

    handoff: Queue[object] = Queue(QUEUE_BATCHES)
    stop = threading.Event()
    feeding = pool.submit(_feed, old, join.is_kept, common, handoff, stop)
    old_rows = _OldRows(handoff, feeding)
    changes: list[RowChange] = []
    offset = 0
    try:
        for batch in batches(new.path, new.header):
            in_both = pc.invert(join.is_added.slice(offset, batch.num_rows))
            offset += batch.num_rows
            shared = pa.Table.from_batches([batch.select(common).filter(in_both)])
            if not shared.num_rows:
                continue
            before = old_rows.take(shared.num_rows)
            differ = _differing(before, shared, common)
            if len(differ):
                before, after = before.take(differ), shared.take(differ)
                keys = texts(keys_of(after, primary_key))
                changes += map(row_change, keys, [common] * len(keys), _cells(before, common), _cells(after, common))
    finally:
        stop.set()
    feeding.result()
    return changes
