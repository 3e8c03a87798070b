"""Column rules of the checks that follow links between events: what a statement is about, and cycles.

Their checks keep state across rows, so these rules gather the link columns batch by batch and
do the whole-table part in ``finish``, on columns: a check is then called only on the rows that
can matter, and the rule makes sure that leaving the others out cannot change what it finds.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ..checks.rows import NEEDS_ABOUT_TYPES
from .rows import Batch, FastRow
from .rule import ColumnRule, Defer, no_rows
from .vector import any_of, flagged, is_, solid, within

STRING = pa.string()
# Rounds of pruning links that cannot lie on a cycle; a longer chain is handed to the check as it stands.
PRUNING_ROUNDS = 32


def _columns(batch: Batch, names: tuple[str, ...]) -> list[pa.Array]:
    found = [batch.column(name, STRING) for name in names]
    if any(column is None for column in found):
        raise Defer("a link column that is not text")  # a contract finding stops validation before this
    return [column for column in found if column is not None]


def _concat(chunks: list[pa.Array], kind: pa.DataType) -> pa.Array:
    return pa.concat_arrays(chunks) if chunks else pa.array([], kind)


class StatementColumns(ColumnRule):
    """checks.statement_needs.StatementLinks: actor2 and about_event_id where the type needs them, row by row;
    the kind of what a statement is about, for the whole table at the end.

    The check is called only on rows that lack actor2 or about_event_id. Its ``end`` then sees a
    part of the links and kinds, and finds a wrong kind only where one exists; ``finish`` checks
    every link on columns first and defers when any is of the wrong kind.
    """

    def __init__(self, check: Any) -> None:
        super().__init__(check)
        self.ids: list[pa.Array] = []
        self.kinds: list[pa.Array] = []
        self.link_types: list[pa.Array] = []
        self.link_targets: list[pa.Array] = []

    def rows(self, batch: Batch) -> pa.Array:
        event_id, kind, event_type, actor2, about = _columns(
            batch, ("event_id", "kind", "event_type", "actor2_id", "about_event_id")
        )
        known = pc.and_(pc.is_valid(event_id), pc.is_valid(kind))
        self.ids.append(pc.filter(event_id, known))
        self.kinds.append(pc.filter(kind, known))
        typed_links = within(event_type, self.check.about_kinds)
        linked = pc.and_(typed_links, pc.is_valid(about))
        self.link_types.append(pc.filter(event_type, linked))
        self.link_targets.append(pc.filter(about, linked))
        masks = [
            pc.and_(within(event_type, self.check.two_sided), pc.is_null(actor2)),
            pc.and_(pc.and_(typed_links, pc.is_null(about)), pc.invert(within(event_type, NEEDS_ABOUT_TYPES))),
        ]
        return any_of(masks, batch.count)

    def finish(self) -> None:
        ids, kinds = _concat(self.ids, STRING), _concat(self.kinds, STRING)
        types, targets = _concat(self.link_types, STRING), _concat(self.link_targets, STRING)
        target_kinds = pc.take(kinds, pc.index_in(targets, value_set=ids))
        for event_type, allowed in self.check.about_kinds.items():
            wrong = pc.and_(is_(types, event_type), solid(pc.invert(pc.is_in(target_kinds, value_set=pa.array(
                list(allowed), STRING)))))
            if flagged(pc.and_(wrong, pc.is_valid(target_kinds))):
                raise Defer("a statement about an event of the wrong kind")


class CycleColumns(ColumnRule):
    """checks.links.AboutCycles: gathers the links, drops every link that cannot lie on or lead to a cycle
    (its target links nowhere, in rounds), and hands the rest to the check, in row order."""

    def __init__(self, check: Any) -> None:
        super().__init__(check)
        self.sources: list[pa.Array] = []
        self.targets: list[pa.Array] = []
        self.numbers: list[pa.Array] = []

    def rows(self, batch: Batch) -> pa.Array:
        event_id, about = _columns(batch, ("event_id", "about_event_id"))
        link = solid(pc.and_(pc.and_(pc.is_valid(event_id), pc.is_valid(about)), pc.not_equal(event_id, about)))
        self.sources.append(pc.filter(event_id, link))
        self.targets.append(pc.filter(about, link))
        self.numbers.append(pc.add(pc.indices_nonzero(link), batch.first_row))
        return no_rows(batch)

    def finish(self) -> None:
        sources, targets = _concat(self.sources, STRING), _concat(self.targets, STRING)
        numbers = _concat(self.numbers, pa.uint64())
        for _ in range(PRUNING_ROUNDS):
            if not len(sources):
                return
            keep = pc.is_in(targets, value_set=sources)
            if pc.all(keep).as_py():
                break
            sources, targets, numbers = (pc.filter(c, keep) for c in (sources, targets, numbers))
        for event_id, about, number in zip(sources.to_pylist(), targets.to_pylist(), numbers.to_pylist(), strict=True):
            row = FastRow(event_id=event_id, about_event_id=about)
            row.row_number = number
            self.check.row(row)
