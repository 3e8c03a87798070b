"""Differential tests: the fast engine and the reference (frictionless) reach the same verdict and findings.

Every case validates one package twice, ``engine="fast"`` and ``engine="reference"``, and
compares valid, and every finding's type, file, row, field, message and fix, in order. The
table-driven cases are the hard ones (forms frictionless reads leniently, bounds, Unicode
digits and whitespace, file layout); the property-based test mutates random cells of the real
package. CI runs a bounded number of examples; maintainers run more with, e.g.::

    TIMELINE_DIFF_EXAMPLES=2000 .venv/bin/python -m pytest -q tests/test_engine_diff.py
"""

from __future__ import annotations

import atexit
import csv
import functools
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from synth import generate

from conftest import copy_package
from test_validate import BAD_INPUTS
from timeline.stamp import stamp_package
from timeline.validation import validate_package

EXAMPLES = int(os.environ.get("TIMELINE_DIFF_EXAMPLES", "8"))
# The long run takes every table-driven case; CI a fixed sample of them (every validation costs ~0.3 s).
LONG_RUN = EXAMPLES >= 100


def verdict(report: Any) -> tuple[bool, list[tuple[Any, ...]]]:
    return report.valid, [(f.type, f.file, f.row, f.field, f.message, f.fix) for f in report.findings]


def compare(root: Path) -> str:
    """Both engines on ROOT; asserts the same result and returns which engine the fast run ended in."""
    fast = validate_package(root, engine="fast")
    reference = validate_package(root, engine="reference")
    assert verdict(fast) == verdict(reference)
    assert reference.stats.get("engine", "reference") == "reference"
    return str(fast.stats.get("engine", "none"))


def set_cell(root: Path, table: str, row: int, field: str, value: str) -> None:
    set_column(root, table, field, lambda number: value, only=row)


def set_column(root: Path, table: str, field: str, value: Callable[[int], str], only: int | None = None) -> None:
    """Set FIELD of every data row (or of row ONLY, 1-based after the header) to value(row)."""
    path = root / f"data/{table}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    column = rows[0].index(field)
    for number in [only] if only is not None else range(1, len(rows)):
        rows[number][column] = value(number)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


HARD_INTEGERS = [" 5", "5 ", "1_000", "+5", "05", "-0", "٥", "５", "\u00a05", "12345678901234567890",
                 "999999999999999999999999", "nan", "inf", "1e3", "-1", "5.0", "0", "7"]
HARD_NUMBERS = ["90", "90.0", "-90", "89.99999999999999999999", "90.00000000000000001", "-90.0000000000000001",
                "89.9999999", "nan", "inf", "-inf", "1e1", " 50.1", "50,1", "٥٠", "５０.１", "1_0.5", "50.", ".5"]
HARD_DATES = ["2023-5-25", "２０２３-05-25", "2023-02-29", "2024-02-29", "0999-01-01", "2023-05-25 ", "20230525",
              "2023-13-01", "2023-05-25T00:00:00", "٢٠٢٣-05-25"]
HARD_STRINGS = ["ev-0001\n", "ev-00001", "EV-0001", " ev-0001", "ev-0001\u2003", "=cmd", " x", "\u200bx", "x\u00a0",
                "\u2003", "line1\nline2", "a\r\nb", '"quoted"', "", "café", "\x01"]

CELL_CASES = [
    *[("events", "fatalities", v) for v in HARD_INTEGERS],
    *[("events", "quote_start", v) for v in ["-1", " 3", "１"]],
    *[("places", "latitude", v) for v in HARD_NUMBERS],
    *[("places", "longitude", v) for v in ["180", "180.0000000001", "-179.9999999", "1e2"]],
    *[("sources", "published", v) for v in HARD_DATES],
    *[("events", "date_start", v) for v in HARD_DATES[:4]],
    *[("events", "event_id", v) for v in HARD_STRINGS[:6]],
    *[("actors", "name", v) for v in HARD_STRINGS[5:]],
    ("actors", "actor_type", "Person"),
    ("events", "kind", "occurrence "),
    ("events", "about_event_id", "ev-9999"),
    ("events", "source_id", "nope"),
    ("events", "event_id", "ev-0002"),  # a duplicate primary key
    ("actors", "actor_id", "x" * 40),
    ("actors", "description", "y" * 33_000),
    ("sources", "url", "not a uri"),
    ("sources", "url", "https://example.org/a b"),
]


@pytest.mark.parametrize(("table", "field", "value"), CELL_CASES if LONG_RUN else CELL_CASES[::4])
def test_hard_cells_get_the_same_verdict(package: Path, table: str, field: str, value: str) -> None:
    set_cell(package, table, 1, field, value)
    stamp_package(package)
    compare(package)


def _replace(path: Path, old: bytes, new: bytes, count: int = 1) -> None:
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, count))


FILE_CASES = {
    "bom": lambda p: p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes()),
    "crlf": lambda p: p.write_bytes(p.read_bytes().replace(b"\n", b"\r\n")),
    "blank line inside": lambda p: _replace(p, b"\n", b"\n\n", 2),
    "blank line at the end": lambda p: p.write_bytes(p.read_bytes() + b"\n"),
    "two blank lines at the end": lambda p: p.write_bytes(p.read_bytes() + b"\n\n"),
    "a blank line inside a quoted cell": lambda p: _replace(p, b"for the raid.", b"for the\n\nraid."),
    "no newline at the end": lambda p: p.write_bytes(p.read_bytes().rstrip(b"\n")),
    "a row of empty cells": lambda p: p.write_bytes(p.read_bytes() + b"," * p.read_bytes().count(b",", 0, 80) + b"\n"),
    "an extra cell": lambda p: _replace(p, b"\n", b",extra\n", 2),
    "a missing cell": lambda p: p.write_bytes(p.read_bytes().rstrip(b"\n").rsplit(b",", 1)[0] + b"\n"),
    "latin-1 byte": lambda p: p.write_bytes(p.read_bytes() + b"caf\xe9\n"),
    "surrogate bytes": lambda p: p.write_bytes(p.read_bytes().replace(b"Person", b"Pers\xed\xa0\x80n", 1)),
    "NUL byte": lambda p: p.write_bytes(p.read_bytes().replace(b"Ukraine", b"Ukr\x00ine", 1)),
    "header renamed": lambda p: _replace(p, b"name", b"Name"),
    "header quoted": lambda p: _replace(p, b"actor_id", b'"actor_id"'),
    "header only": lambda p: p.write_bytes(p.read_bytes().split(b"\n")[0] + b"\n"),
    "empty file": lambda p: p.write_bytes(b""),
    "a quote inside a cell": lambda p: _replace(p, b",person,", b',per"son,'),
    "a quote after a quoted cell": lambda p: _replace(p, b",person,", b',"per"son,'),
}


FILE_RUNS = [(case, True) for case in sorted(FILE_CASES)] + [
    (case, False) for case in (sorted(FILE_CASES) if LONG_RUN else ["bom", "header only", "an extra cell"])
]


@pytest.mark.parametrize(("case", "stamp"), FILE_RUNS)
def test_file_layouts_get_the_same_verdict(package: Path, case: str, stamp: bool) -> None:
    FILE_CASES[case](package / "data/actors.csv")
    if stamp:
        stamp_package(package)
    compare(package)


def test_the_real_package_is_decided_fast(package: Path) -> None:
    assert compare(package) == "fast"


def test_a_synthetic_package_is_decided_fast_with_the_same_findings(tmp_path: Path) -> None:
    root = generate(tmp_path / "synth", 300)
    set_cell(root, "events", 5, "summary", "=SUM(A1)")  # our checks' findings, decided on the fast path
    set_cell(root, "events", 7, "date_text", "on Tuesday")
    stamp_package(root)
    assert compare(root) == "fast"


def test_more_findings_of_one_type_than_are_listed_on_the_fast_path(tmp_path: Path) -> None:
    """Our checks' per-type cap (too-many-findings) when the fast engine decides: 260 formula cells."""
    root = generate(tmp_path / "synth", 260)
    set_column(root, "events", "summary", lambda row: f"=A{row}")
    stamp_package(root)
    assert compare(root) == "fast"
    findings = validate_package(root, engine="fast").findings
    assert [f.type for f in findings].count("too-many-findings") == 1


def test_over_a_thousand_errors_in_one_file(tmp_path: Path) -> None:
    root = generate(tmp_path / "synth", 1100)
    set_column(root, "events", "fatalities", lambda row: "many")
    stamp_package(root)
    assert compare(root) == "reference"


BAD_RUNS = [(case, True) for case in BAD_INPUTS] + [(case, False) for case in (BAD_INPUTS if LONG_RUN else [])]


@pytest.mark.parametrize(
    ("mutate", "stamp"),
    [(case[1], stamp) for case, stamp in BAD_RUNS],
    ids=[f"{case[0]}-{'stamped' if stamp else 'unstamped'}" for case, stamp in BAD_RUNS],
)
def test_every_bad_input_of_the_validate_tests_gets_the_same_verdict(package: Path, mutate: Any, stamp: bool) -> None:
    """The cases that produce each finding type, restamped so the fast engine meets them, not a stale hash."""
    mutate(package)
    if stamp and (package / "datapackage.json").is_file():
        try:
            stamp_package(package)
        except Exception:  # noqa: BLE001 - a package stamp refuses (no descriptor, bad JSON) is compared as it is
            pass
    compare(package)


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_the_cli_selects_the_engine(package: Path, engine: str) -> None:
    from click.testing import CliRunner

    from timeline.cli import cli

    result = CliRunner().invoke(cli, ["validate", "--engine", engine, "--json", "--package", str(package)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["stats"]["engine"] == engine


def _real_cells() -> list[tuple[str, int, str]]:
    cells = []
    for table in ("sources", "actors", "places", "events"):
        rows = list(csv.reader(io.StringIO((Path(__file__).parents[1] / f"data/{table}.csv").read_text("utf-8"))))
        cells += [(table, index, name) for index in range(1, len(rows)) for name in rows[0]]
    return cells


VALUES = st.one_of(
    st.sampled_from(HARD_INTEGERS + HARD_NUMBERS + HARD_DATES + HARD_STRINGS),
    st.text(max_size=8),
    st.from_regex(r"-?[0-9]{1,3}(\.[0-9]{1,3})?", fullmatch=True),
)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 50, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.sampled_from(_real_cells()), VALUES), min_size=1, max_size=3), stamp=st.booleans())
def test_random_edits_of_the_real_package_get_the_same_verdict(edits: list[Any], stamp: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = copy_package(Path(folder) / "pkg")
        for (table, row, field), value in edits:
            set_cell(root, table, row, field, value)
        if stamp:
            stamp_package(root)
        compare(root)


@functools.cache
def _synthetic_template() -> Path:
    """One small synthetic package per test session (60 events), copied for each example; removed at exit."""
    folder = tempfile.mkdtemp(prefix="engine-diff-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return generate(Path(folder) / "synth", 60)


def _synthetic_cells() -> list[tuple[str, int, str]]:
    header = ["event_id", "kind", "event_type", "date_start", "date_end", "date_precision", "about_event_id",
              "fatalities", "quote_start", "quote_end", "date_edtf", "summary", "source_id", "actor1_id"]
    return [("events", row, name) for row in (1, 2, 30, 60) for name in header]


@settings(max_examples=max(2, EXAMPLES // 2), deadline=None, derandomize=EXAMPLES <= 50, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.sampled_from(_synthetic_cells()), VALUES), min_size=1, max_size=3))
def test_random_edits_of_a_synthetic_package_get_the_same_verdict(edits: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "synth"
        shutil.copytree(_synthetic_template(), root)
        for (table, row, field), value in edits:
            set_cell(root, table, row, field, value)
        stamp_package(root)
        compare(root)
