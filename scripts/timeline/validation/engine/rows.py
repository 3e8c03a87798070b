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


class FastRow:
    """One valid row: typed values by field name, raw cells, its row number; no errors."""

    __slots__ = ("row_number", "_index", "_values", "_raw")
    errors: tuple[Any, ...] = ()
    valid = True

    def __init__(self, row_number: int, index: int, values: dict[str, list[Any]], raw: list[list[str]]) -> None:
        self.row_number = row_number
        self._index = index
        self._values = values
        self._raw = raw

    def __getitem__(self, name: str) -> Any:
        return self._values[name][self._index]

    @property
    def cells(self) -> list[str]:
        index = self._index
        return [column[index] for column in self._raw]
