"""What our row checks see in the fast engine: the parts of frictionless's Resource and Row they read."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyarrow as pa

from ...package.arrays import int64s


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
        """The raw cells, read from the columns only when a check asks (the column rules make that rare)."""
        return [column[self.index].as_py() for column in self.raw]


@dataclass
class Batch:
    """One block of a table: raw cells and decided values, as columns; rows are built only when asked."""

    names: list[str]
    raw: list[pa.Array]  # strings, as read (an empty cell is "")
    typed: dict[str, pa.Array]  # frictionless's values: null for an empty cell; int64, date32; numbers as strings
    numbers: frozenset[str]  # fields whose values frictionless reads as Decimal
    first_row: int  # the row number of the first row (frictionless counts the header as row 1)

    @property
    def count(self) -> int:
        return len(self.raw[0]) if self.raw else 0

    def column(self, name: str, kind: pa.DataType) -> pa.Array | None:
        """The typed column NAME if the table has it with values of KIND (else a rule looks at every row)."""
        column = self.typed.get(name)
        return column if column is not None and column.type == kind else None

    def rows(self, indices: list[int]) -> list[FastRow]:
        """FastRows for the rows at INDICES, values exactly as frictionless would type them."""
        if not indices:
            return []
        positions = int64s(indices)
        values = []
        for name in self.names:
            cells = self.typed[name].take(positions).to_pylist()
            if name in self.numbers:
                cells = [None if cell is None else Decimal(cell) for cell in cells]
            values.append(cells)
        rows = []
        for at, index in enumerate(indices):
            row = FastRow(zip(self.names, (column[at] for column in values), strict=True))
            row.row_number, row.raw, row.index = self.first_row + index, self.raw, index
            rows.append(row)
        return rows
