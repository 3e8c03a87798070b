"""Null-aware masks over pyarrow columns, and the one per-row test that cannot be vectorised: spans of a text.

A *mask* here is a boolean array without nulls: ``True`` where a row may need a look. Typed
columns hold ``null`` for an empty cell, as frictionless hands ``None`` to a check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ...package.arrays import bools, falses, of_type, string_scalar, strings

FALSE = bools([False])[0]


def solid(mask: Any) -> pa.Array:
    """MASK with null read as False."""
    return pc.fill_null(mask, FALSE)


def any_of(masks: Iterable[Any], length: int) -> pa.Array:
    combined: Any = None
    for mask in masks:
        combined = solid(mask) if combined is None else pc.or_(combined, solid(mask))
    return falses(length) if combined is None else combined


def is_(column: Any, value: str) -> pa.Array:
    """column == value (an empty cell is never equal)."""
    return solid(pc.equal(column, string_scalar(value)))


def within(column: Any, values: Iterable[str]) -> pa.Array:
    """column is one of VALUES (an empty cell never is)."""
    return solid(pc.is_in(column, value_set=strings(sorted(values))))


def differ(left: Any, right: Any) -> pa.Array:
    """left != right, where two empty cells are equal and an empty and a value differ (Python's None != x)."""
    unequal = solid(pc.not_equal(left, right))
    return pc.or_(unequal, pc.xor(pc.is_null(left), pc.is_null(right)))


def lookup(keys: Any, table: Mapping[str, Any], value_type: pa.DataType,
           of: Callable[[Any], Any] | None = None) -> pa.Array:
    """table[key] (or of(table[key])) for each cell of KEYS (null where the key is empty or not in TABLE).

    TABLE is asked only about the distinct keys of KEYS: a package of a million sources costs a
    batch what its own rows name, not a million entries (the reference looks up one key a row).
    """
    distinct = pc.unique(keys)
    found = [table.get(key) for key in distinct.to_pylist()]
    values = of_type(found if of is None else [None if value is None else of(value) for value in found], value_type)
    return pc.take(values, pc.index_in(keys, value_set=distinct))


def flagged(mask: pa.Array) -> bool:
    return bool(pc.any(mask).as_py())


def spans_differ(texts: Mapping[str, str], source_ids: Any, starts: Any, ends: Any, expected: Any) -> pa.Array:
    """Per row: TEXTS[source_id][start:end] is not EXPECTED (False where a cell is empty or the text unknown).

    Python slices code points exactly as the checks do; the columns are turned into lists once
    and walked in one comprehension, which is where this engine still pays per row.
    """
    rows = zip(source_ids.to_pylist(), starts.to_pylist(), ends.to_pylist(), expected.to_pylist(), strict=True)
    get = texts.get
    return bools(
        [
            (text := get(source)) is not None
            and start is not None
            and end is not None
            and words is not None
            and text[start:end] != words
            for source, start, end, words in rows
        ]
    )
