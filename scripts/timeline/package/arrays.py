"""pyarrow arrays and scalars from Python values, built from buffers.

``pyarrow.array`` and ``pyarrow.scalar`` (which every ``pyarrow.compute`` call takes a Python
value through) ask whether a value is a pandas object, and to ask they import pandas when it is
installed: 0.4 s and 50 MB, for nothing here. These builders make the same arrays from
``array.array`` buffers and a validity bitmap, so no pandas is imported
(tests/test_engine_rules.py checks a validation; tests/test_fastrows.py a diff).
"""

from __future__ import annotations

import array
import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: a small package's commands never load pyarrow
    import pyarrow as pa

EPOCH = datetime.date(1970, 1, 1)


def _validity(values: Sequence[Any]) -> Any:
    """The validity bitmap of VALUES (None: null), or None when every value is set."""
    import pyarrow as pa

    if all(value is not None for value in values):
        return None
    bits = bytearray((len(values) + 7) // 8)
    for index, value in enumerate(values):
        if value is not None:
            bits[index >> 3] |= 1 << (index & 7)
    return pa.py_buffer(bytes(bits))


def _numbers(kind: pa.DataType, code: str, values: Iterable[Any]) -> pa.Array:
    import pyarrow as pa

    listed = list(values)
    packed = array.array(code, (0 if value is None else value for value in listed))
    return pa.Array.from_buffers(kind, len(listed), [_validity(listed), pa.py_buffer(packed)])


def int64s(values: Iterable[int | None]) -> pa.Array:
    import pyarrow as pa

    return _numbers(pa.int64(), "q", values)


def int32s(values: Iterable[int | None]) -> pa.Array:
    import pyarrow as pa

    return _numbers(pa.int32(), "i", values)


def float64s(values: Iterable[float | None]) -> pa.Array:
    import pyarrow as pa

    return _numbers(pa.float64(), "d", values)


def dates(values: Iterable[datetime.date | None]) -> pa.Array:
    import pyarrow as pa

    return _numbers(pa.date32(), "i", (None if day is None else (day - EPOCH).days for day in values))


def bools(values: Iterable[bool | None]) -> pa.Array:
    import pyarrow as pa

    listed = list(values)
    bits = bytearray((len(listed) + 7) // 8)
    for index, value in enumerate(listed):
        if value:
            bits[index >> 3] |= 1 << (index & 7)
    return pa.Array.from_buffers(pa.bool_(), len(listed), [_validity(listed), pa.py_buffer(bytes(bits))])


def falses(count: int) -> pa.Array:
    import pyarrow as pa

    return pa.Array.from_buffers(pa.bool_(), count, [None, pa.py_buffer(bytes((count + 7) // 8))])


def _texts(kind: pa.DataType, values: Iterable[bytes | None]) -> pa.Array:
    import pyarrow as pa

    listed = list(values)
    offsets, at = array.array("i", [0]), 0
    for value in listed:
        at += len(value or b"")
        offsets.append(at)
    data = b"".join(value or b"" for value in listed)
    return pa.Array.from_buffers(kind, len(listed), [_validity(listed), pa.py_buffer(offsets), pa.py_buffer(data)])


def strings(values: Iterable[str | None]) -> pa.Array:
    import pyarrow as pa

    return _texts(pa.string(), (None if value is None else value.encode("utf-8") for value in values))


def binaries(values: Iterable[bytes | None]) -> pa.Array:
    import pyarrow as pa

    return _texts(pa.binary(), values)


def of_type(values: Iterable[Any], kind: pa.DataType) -> pa.Array:
    """VALUES as an array of KIND (string, int64, int32, float64, date32 or bool)."""
    import pyarrow as pa

    builders: dict[Any, Callable[[Iterable[Any]], pa.Array]] = {
        pa.string(): strings, pa.int64(): int64s, pa.int32(): int32s, pa.float64(): float64s,
        pa.date32(): dates, pa.bool_(): bools,
    }
    return builders[kind](values)


def string_scalar(value: str) -> pa.Scalar:
    return strings([value])[0]


def binary_scalar(value: bytes) -> pa.Scalar:
    return binaries([value])[0]


def int_scalar(value: int) -> pa.Scalar:
    return int64s([value])[0]


def float_scalar(value: float) -> pa.Scalar:
    return float64s([value])[0]


def null_string() -> pa.Scalar:
    import pyarrow as pa

    return pa.nulls(1, pa.string())[0]


def any_empty_row(columns: Sequence[pa.Array]) -> bool:
    """Some row has every cell of COLUMNS empty (how pyarrow reads a blank line; frictionless's blank row)."""
    import pyarrow.compute as pc

    blank = empty(columns[0])
    if not pc.any(blank).as_py():
        return False
    for column in columns[1:]:
        blank = pc.and_(blank, empty(column))
    return bool(pc.any(blank).as_py())


def empty(cells: pa.Array) -> pa.Array:
    """Per cell: it is the empty string (by length, which also spares comparing strings)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.invert(pc.cast(pc.binary_length(cells), pa.bool_()))
