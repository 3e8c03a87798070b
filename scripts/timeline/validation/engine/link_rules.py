"""Column rules of the checks that follow links between events: what a statement is about, and cycles.

Their checks keep state across rows, so these rules gather the link columns batch by batch and
do the whole-table part in ``finish``, on columns: a check is then called only on the rows that
can matter, and the rule makes sure that leaving the others out cannot change what it finds.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ...package.arrays import int32s, int_scalar, strings
from ..checks.rows import NEEDS_ABOUT_TYPES
from .rows import Batch, FastRow
from .rule import ColumnRule, Defer, no_rows
from .vector import any_of, flagged, is_, solid, within

STRING = pa.string()
# Codes of a row's kind besides its place among the kinds links may point at (StatementColumns).
NO_KIND, OTHER_KIND = int32s([-2])[0], int32s([-1])[0]
# Rounds of pruning links that cannot lie on a cycle; a longer chain is handed to the check as it stands.
PRUNING_ROUNDS = 32


def _columns(batch: Batch, names: tuple[str, ...]) -> list[pa.Array]:
    found = [batch.column(name, STRING) for name in names]
    if any(column is None for column in found):
        raise Defer("a link column that is not text")  # a contract finding stops validation before this
    return [column for column in found if column is not None]


def _concat(chunks: list[pa.Array], kind: pa.DataType) -> pa.Array:
    return pa.concat_arrays(chunks) if chunks else pa.nulls(0, kind)


class StatementColumns(ColumnRule):
    """checks.statement_needs.StatementLinks: actor2 and about_event_id where the type needs them, row by row;
    the kind of what a statement is about, for the whole table at the end.

    The check is called only on rows that lack actor2 or about_event_id. Its ``end`` then sees a
    part of the links and kinds, and finds a wrong kind only where one exists; ``finish`` checks
    every link on columns first and defers when any is of the wrong kind. It keeps the event_id
    columns the engine keeps for the key check anyway, each row's kind as a small code, and the
    links; the lookup is hashed on the events linked to, not on every event.
    """

    def __init__(self, check: Any) -> None:
        super().__init__(check)
        if not all(isinstance(kind, str) for kinds in check.about_kinds.values() for kind in kinds):
            raise Defer("an event_type category whose about_kinds are not text")
        self.allowed = {kind for kinds in check.about_kinds.values() for kind in kinds}
        self.kind_names = strings(sorted(self.allowed))
        self.ids: list[pa.Array] = []
        self.kind_codes: list[pa.Array] = []
        self.link_types: list[pa.Array] = []
        self.link_targets: list[pa.Array] = []

    def rows(self, batch: Batch) -> pa.Array:
        event_id, kind, event_type, actor2, about = _columns(
            batch, ("event_id", "kind", "event_type", "actor2_id", "about_event_id")
        )
        self.ids.append(batch.raw[batch.names.index("event_id")])  # the very array the key check keeps
        code = pc.index_in(kind, value_set=self.kind_names)  # null: no kind, or one no link may point at
        code = pc.if_else(pc.is_null(kind), NO_KIND, pc.fill_null(pc.cast(code, pa.int32()), OTHER_KIND))
        self.kind_codes.append(code)
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
        types, targets = _concat(self.link_types, STRING), _concat(self.link_targets, STRING)
        if not len(targets):
            return
        wanted = pc.unique(targets)
        at = pc.index_in(pa.chunked_array(self.ids, STRING), value_set=wanted)  # one hash of wanted for all
        found = pc.is_valid(at)
        position = pc.filter(at, found).combine_chunks()
        code = pc.filter(pa.chunked_array(self.kind_codes, pa.int32()), found).combine_chunks()
        if len(position) != len(wanted) or pc.count_distinct(position).as_py() != len(wanted):
            # an event linked to is missing (a foreign-key finding) or its id repeats (a key finding)
            raise Defer("events.about_event_id: a statement about an event that is not once in the table")
        wanted_codes = pc.take(code, pc.sort_indices(position))  # positions are 0..n-1: one per wanted id
        target_codes = pc.take(wanted_codes, pc.index_in(targets, value_set=wanted))
        names = self.kind_names.to_pylist()
        for event_type, allowed in self.check.about_kinds.items():
            fine = int32s([NO_KIND.as_py()] + [names.index(kind) for kind in allowed])
            wrong = pc.and_(is_(types, event_type), pc.invert(pc.is_in(target_codes, value_set=fine)))
            if flagged(wrong):
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
        self.numbers.append(pc.add(pc.cast(pc.indices_nonzero(link), pa.int64()), int_scalar(batch.first_row)))
        return no_rows(batch)

    def finish(self) -> None:
        sources, targets = _concat(self.sources, STRING), _concat(self.targets, STRING)
        numbers = _concat(self.numbers, pa.int64())
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
