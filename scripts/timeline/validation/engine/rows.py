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
    its row number, and its raw cells on demand; no errors, as in every row the fast engine lets
    through. Built without a Python ``__init__`` (attributes set after), which costs a call a row."""

    __slots__ = ("row_number", "raw", "index")
    errors: tuple[Any, ...] = ()
    valid = True
    row_number: int
    raw: list[Any]  # the batch's raw pyarrow columns
    index: int

    @property
    def cells(self) -> list[str]:
        """The raw cells, read from the columns only when a check asks (the prefilters make that rare)."""
        return [column[self.index].as_py() for column in self.raw]
