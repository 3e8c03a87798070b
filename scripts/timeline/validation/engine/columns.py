"""Cells decided on columns: valid and in a form whose frictionless value is known, or not decided.

Each decision is vectorised over one column of strings as pyarrow read them. A column is
*decided* when every cell is provably read by frictionless's own field parser to a valid value
(no type error, no constraint error); then its values are returned as a column whose cells turn
into the very Python objects frictionless would hand to a check (``str``/``None``, ``int``,
``datetime.date``; a number's column holds its canonical string, read as ``Decimal``).
Anything else — a cell in a form frictionless might read differently (``" 5"``, ``1_000``,
Arabic-Indic or full-width digits, ``nan``, a number near a bound, a 20-digit integer), a type,
format or constraint not listed here — returns ``None``: the caller defers to the reference.
"""

from __future__ import annotations

import re
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ...package import arrays

# Canonical forms: plain ASCII, no sign but '-', no leading zeros, lengths that int64 and
# float64 hold exactly enough. A cell outside them is not decided here.
INTEGER = r"^(0|-?[1-9][0-9]{0,17})$"
NUMBER = r"^-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,15})?$"
DATE = r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$"
# A number this close to a bound (relative) is left to frictionless's exact Decimal comparison.
BOUND_MARGIN = 1e-6
# Patterns in which RE2 (pyarrow) and Python's re agree on any string without a newline, as a
# grammar: an optional ^, then literals and character classes, each with an optional quantifier,
# then an optional $. No groups, no alternation, no class shorthands such as \d or \w
# (Unicode-aware in Python, ASCII in RE2). The grammar keeps out what the two engines read
# differently: "{,n}" and "{,}" (0 to n in Python, literal text in RE2), "{01}" (a count in
# Python, literal in RE2), a POSIX class "[[:digit:]]" (a class in RE2, a set and a literal "]"
# in Python), a quantifier on an anchor "^*" (an error in Python), and counts beyond RE2's 1000.
_LITERAL = r"[A-Za-z0-9_/:=@ ,-]|\\[.\-/]"
_CLASS = r"\[\^?(?:[A-Za-z0-9](?:-[A-Za-z0-9])?|[_/:=@ ,]|\\[.\-/])+-?\]"
_COUNT = r"(?:0|[1-9][0-9]{0,2}|1000)"
_QUANTIFIER = rf"(?:[*+?]|\{{{_COUNT}(?:,{_COUNT}?)?\}})\??"
SAFE_PATTERN = re.compile(rf"\^?(?:(?:{_LITERAL}|{_CLASS})(?:{_QUANTIFIER})?)*\$?")
# Bounds beyond this are left to frictionless: a number's bound is moved by a relative margin in
# float64, which holds integers exactly only up to here (and int64 not at all beyond 2**63).
MAX_BOUND = 2**53
SUPPORTED = {
    "string": {"required", "unique", "pattern", "enum"},
    "integer": {"required", "unique", "minimum", "maximum"},
    "number": {"required", "minimum", "maximum"},
    "date": {"required"},
}
FIELD_KEYS = {"name", "type", "format", "constraints", "description", "title", "example", "categories",
              "categoriesOrdered", "rdfType"}


def supported(field: dict[str, Any]) -> bool:
    """The field's type, format and constraints are ones this module decides exactly."""
    kind = field.get("type", "any")
    if kind not in SUPPORTED or not set(field) <= FIELD_KEYS:
        return False
    if field.get("format", "default") != "default" and not (kind == "string" and field["format"] == "uri"):
        return False
    constraints = field.get("constraints", {})
    if not isinstance(constraints, dict) or not set(constraints) <= SUPPORTED[kind]:
        return False
    pattern = constraints.get("pattern")
    if pattern is not None and not (isinstance(pattern, str) and SAFE_PATTERN.fullmatch(pattern)
                                    and _compiles(pattern)):
        return False
    enum = constraints.get("enum")
    if enum is not None and not (isinstance(enum, list) and all(isinstance(v, str) for v in enum)):
        return False
    for bound in ("minimum", "maximum"):
        value = constraints.get(bound)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or abs(value) >= MAX_BOUND):
            return False
    return all(isinstance(constraints.get(k, False), bool) for k in ("required", "unique"))


def _compiles(pattern: str) -> bool:
    """Python's re takes PATTERN as frictionless writes it ("a{3,0}" is an error to both engines)."""
    try:
        re.compile(f"^{pattern}$")
    except re.error:
        return False
    return True


def all_true(mask: pa.Array) -> bool:
    return bool(pc.all(mask, skip_nulls=True).as_py() is not False)


def decide(field: dict[str, Any], cells: pa.Array, uri_reader: Any = None) -> pa.Array | None:
    """The frictionless values of a column of raw cells (null for empty), or None when any cell is not decided."""
    kind = field.get("type")
    constraints = field.get("constraints", {})
    empty = arrays.empty(cells)
    if constraints.get("required") and pc.any(empty).as_py():
        return None
    present = pc.if_else(empty, arrays.null_string(), cells)
    if kind == "string":
        return _strings(field, present, uri_reader)
    if kind == "integer":
        return _integers(constraints, present)
    if kind == "number":
        return _numbers(constraints, present)
    if kind == "date":
        return _dates(present)
    return None


def _strings(field: dict[str, Any], present: pa.Array, uri_reader: Any) -> pa.Array | None:
    constraints = field.get("constraints", {})
    pattern = constraints.get("pattern")
    if pattern is not None:
        # frictionless matches "^{pattern}$" with re.match; a newline would meet Python's '$' rule
        if pc.any(pc.match_substring(present, "\n")).as_py():
            return None
        if not all_true(pc.match_substring_regex(present, f"^{pattern}$")):
            return None
    enum = constraints.get("enum")
    # an empty cell passes (frictionless checks no constraint on it); is_in says False for a null
    members = None if enum is None else pc.is_in(present, value_set=arrays.strings(enum))
    if members is not None and not all_true(pc.or_(pc.is_null(present), members)):
        return None
    if field.get("format") == "uri":
        if uri_reader is None:
            return None
        for value in present.to_pylist():
            if value is not None and uri_reader(value)[1]:
                return None  # frictionless's own reader found the cell wanting
    return present


def _within(constraints: dict[str, Any], numbers: pa.Array, margin: float) -> bool:
    low, high = constraints.get("minimum"), constraints.get("maximum")
    bound = arrays.int_scalar if margin == 0 else arrays.float_scalar
    if low is not None and not all_true(pc.greater_equal(numbers, bound(low + margin * max(1, abs(low))))):
        return False
    return high is None or all_true(pc.less_equal(numbers, bound(high - margin * max(1, abs(high)))))


def _integers(constraints: dict[str, Any], present: pa.Array) -> pa.Array | None:
    if not all_true(pc.match_substring_regex(present, INTEGER)):
        return None
    numbers = pc.cast(present, pa.int64())
    if not _within(constraints, numbers, 0):
        return None
    return numbers


def _numbers(constraints: dict[str, Any], present: pa.Array) -> pa.Array | None:
    if not all_true(pc.match_substring_regex(present, NUMBER)):
        return None
    if not _within(constraints, pc.cast(present, pa.float64()), BOUND_MARGIN):
        return None
    return present  # canonical strings: a row reads them as Decimal (rows.Batch)


def _dates(present: pa.Array) -> pa.Array | None:
    if not all_true(pc.match_substring_regex(present, DATE)):
        return None
    stamps = pc.strptime(present, format="%Y-%m-%d", unit="s", error_is_null=True)
    if stamps.null_count != present.null_count:
        return None
    # pyarrow rolls 2023-02-29 over to 2023-03-01 where Python's strptime refuses it: a date must
    # keep the month and day it was written with (any roll-over changes one of them)
    month = pc.cast(pc.utf8_slice_codeunits(present, 5, 7), pa.int64())
    day = pc.cast(pc.utf8_slice_codeunits(present, 8, 10), pa.int64())
    if not all_true(pc.and_(pc.equal(pc.month(stamps), month), pc.equal(pc.day(stamps), day))):
        return None
    return pc.cast(stamps, pa.date32())
