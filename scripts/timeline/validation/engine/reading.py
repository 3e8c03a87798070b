"""What frictionless decides by itself where a declaration is silent; the fast engine defers on it.

frictionless's own metadata checks run first, as in the reference. Then two things the engine's
columns of raw strings cannot see:

- frictionless's CSV parser asks :class:`csv.Sniffer` about the first 100 lines for every dialect
  setting the descriptor leaves out, and our dialect leaves out ``skipInitialSpace``: when every
  quoted cell in those lines follows its comma after a space, the sniffer says "skip initial
  space", and Python's csv reader then drops the spaces after every comma of the file
  (``a, "=1"`` reads as ``=1``; pyarrow reads `` "=1"``).
- frictionless compares a foreign key's *typed* values (``5`` is not ``"5"``; ``Decimal("5.0")``
  is ``Decimal("5")``); the engine compares the cells as written, which agrees only when both
  fields have one type whose canonical cells are one to one with their values.
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path
from typing import Any

from .rule import Defer, first_line

SNIFFED_LINES = 100  # frictionless.formats.csv.parser.SAMPLE_SIZE
# Types whose cells the engine decides only in a canonical form that is one to one with the value.
KEY_TYPES = frozenset({"string", "integer", "date"})


def check_metadata(descriptor: dict[str, Any], root: Path) -> None:
    """Defer when frictionless refuses the descriptor, as the reference's first step (``Package(...)``)
    would: it checks more than our profiles do (a ``created`` that is no datetime, a field's example
    that is no value of the field)."""
    from frictionless import FrictionlessException, Package

    from ..offline import offline

    try:
        with offline():
            Package(descriptor, basepath=str(root))
    except FrictionlessException as error:
        raise Defer(f"frictionless refuses the descriptor ({first_line(error)})") from None


def sniffed_skipinitialspace(path: Path) -> bool:
    """Whether frictionless's sniffer reads PATH with ``skipinitialspace`` (its sample, its call)."""
    with open(path, encoding="utf-8", newline="") as handle:  # as frictionless's loader opens a csv
        sample = "".join(itertools.islice(handle, SNIFFED_LINES))
    try:
        return bool(csv.Sniffer().sniff(sample, ",").skipinitialspace)
    except csv.Error:
        return False  # frictionless falls back to csv.excel, which does not skip


def check_foreign_key_types(resources: list[dict[str, Any]], keys: dict[str, list[tuple[str, str, str]]]) -> None:
    """Defer unless each foreign key (KEYS: table -> [(field, target table, target field)]) joins two
    declared fields of one type in KEY_TYPES."""
    types = {
        resource["name"]: {f.get("name"): f.get("type") for f in resource["schema"]["fields"]}
        for resource in resources
        if resource["name"] in keys
    }
    for table, foreign in keys.items():
        for name, target, target_name in foreign:
            kind, target_kind = types[table].get(name), types[target].get(target_name)
            if kind is None or target_kind is None:
                raise Defer(f"{table}.{name}: a foreign key from or to a field that is not declared")
            if kind != target_kind or kind not in KEY_TYPES:
                raise Defer(
                    f"{table}.{name}: a foreign key from a field of type {kind} to {target}.{target_name} "
                    f"of type {target_kind}; frictionless compares typed values"
                )
