"""The vectorised side of a row check: which rows it could find anything in, decided on columns.

A :class:`ColumnRule` belongs to one check (:class:`~..checks.base.TimelineCheck`). For each
batch, ``rows`` returns a mask that is ``True`` at least on every row where the check's ``row``
would add a finding or change what its ``end`` finds; the engine calls ``row`` on those rows
only, so the check itself still decides every finding and its words. ``finish`` runs after the
last batch, before the check's ``end``: a rule whose check keeps state across rows (links,
cycles) does its whole-table part there, and raises :class:`Defer` when only the reference
engine can be sure. ``None`` from ``rows`` means "every row": the safe answer for a table a
rule does not know.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from ...package.arrays import falses
from .rows import Batch


class Defer(Exception):
    """frictionless or one of our checks might say something here: the reference engine must decide."""


def first_line(error: BaseException) -> str:
    """The first line of ERROR's message (or its class name), for a deferral reason."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class ColumnRule:
    def __init__(self, check: Any) -> None:
        self.check = check  # connected and started: its start() has read what it needs from the schema

    def rows(self, batch: Batch) -> pa.Array | None:
        return None

    def finish(self) -> None:
        pass


def no_rows(batch: Batch) -> pa.Array:
    return falses(batch.count)
