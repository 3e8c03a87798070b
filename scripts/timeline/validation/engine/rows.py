"""What our row checks see in the fast engine: the parts of frictionless's Resource and Row they read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Stats:
    bytes: int = 0


@dataclass
class ResourceView:
    """A table as the checks' ``start``/``end`` read it: name, path, schema, header, first bytes."""

    name: str
    path: str
    schema: Any  # frictionless Schema, built from the inline Table Schema
    labels: list[str]
    buffer: bytes
    type: str = "table"
    stats: Stats = field(default_factory=Stats)


class FastRow(dict[str, Any]):
    """One valid row: typed values by field name (a dict, so ``row[name]`` costs no Python call),
    its raw cells and its row number; no errors, as in every row the fast engine lets through."""

    __slots__ = ("row_number", "cells")
    errors: tuple[Any, ...] = ()
    valid = True

    def __init__(self, pairs: Any, row_number: int, cells: tuple[str, ...]) -> None:
        super().__init__(pairs)
        self.row_number = row_number
        self.cells = cells
