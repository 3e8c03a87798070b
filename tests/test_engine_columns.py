"""The fast engine's exact decisions, tested without a package: patterns RE2 and Python read alike,
EDTF strings the edtf parser chokes on, frictionless's CSV sniffer, and the engine's safety net.

Maintainers run more examples with ``TIMELINE_DIFF_EXAMPLES=2000``.
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from test_engine_rules import edited
from timeline.validation import validate_package
from timeline.validation.checks.dating import EdtfError, read_edtf
from timeline.validation.engine import link_rules
from timeline.validation.engine.columns import SAFE_PATTERN, supported
from timeline.validation.engine.reading import sniffed_skipinitialspace
from timeline.validation.engine.vector import lookup

EXAMPLES = int(os.environ.get("TIMELINE_DIFF_EXAMPLES", "8"))
REAL_PATTERNS = ["^ev-[0-9]{4,}$", "^[a-z0-9][a-z0-9-]*$", "^[A-Z]{3}$", "^[a-z]{2}$", "^[0-9a-f]{64}$",
                 "^data/sources/[a-z0-9][a-z0-9-]*\\.txt$"]
# Each is read differently by RE2 and Python's re (or is an error to one of them only)
DIFFERENT = ["a{3,0}", "a{,2}", "a{,}", "a{01}", "a{1,02}", "[[:digit:]]", "[[:^alpha:]]", "^*a", "a*+", "a{1,2}+",
             "a{1001}"]


@pytest.mark.parametrize("pattern", REAL_PATTERNS)
def test_the_real_patterns_are_decided_on_columns(pattern: str) -> None:
    assert SAFE_PATTERN.fullmatch(pattern)


@pytest.mark.parametrize("pattern", DIFFERENT)
def test_patterns_the_two_regex_engines_read_differently_are_left_to_frictionless(pattern: str) -> None:
    assert not supported({"name": "x", "type": "string", "constraints": {"pattern": pattern}})


CELLS = st.text(alphabet="aAz09-_/:=@ ,.{}[]^$", max_size=8)


@settings(max_examples=max(40, EXAMPLES * 5), deadline=None, derandomize=EXAMPLES <= 50, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(pattern=st.from_regex(SAFE_PATTERN, fullmatch=True).filter(lambda p: len(p) < 40), data=st.data())
def test_a_pattern_the_engine_decides_matches_as_python_matches(pattern: str, data: st.DataObject) -> None:
    assume(supported({"name": "x", "type": "string", "constraints": {"pattern": pattern}}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        python = re.compile(f"^{pattern}$")
    # a cell with a newline is never decided on columns (Python's $ matches before one)
    matching = st.from_regex(python, fullmatch=True).filter(lambda cell: "\n" not in cell)
    cells = data.draw(st.lists(st.one_of(CELLS, matching), min_size=1, max_size=6))  # RE2 compiles for a cell
    try:
        matched = pc.match_substring_regex(pa.array(cells, pa.string()), f"^{pattern}$").to_pylist()
    except pa.ArrowInvalid:
        return  # RE2 refuses the pattern: the engine defers (fast.FastEngine.run)
    assert matched == [python.match(cell) is not None for cell in cells]  # frictionless's check_pattern


HOSTILE_EDTF = ["../", "../%", "..//", "../20XX", "0000-01-01", "-2023-01-01", "-2023-01-01/2023-01-01",
                "Y-12345", "2023-02-30", "2023-07-01T25:00:00", "", "x" * 300, "2023-" * 60]


@pytest.mark.parametrize("text", HOSTILE_EDTF)
def test_any_edtf_string_is_read_or_refused_and_nothing_is_printed(
    text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The edtf parser raises TypeError and ValueError on some strings, and prints what it tried."""
    try:
        read_edtf(text)
    except EdtfError:
        pass
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    ("lines", "skips"),
    [
        (['a,b\n', '1, "x"\n'], True),  # every quoted cell after ", "
        (['a,b\n', '1,"x"\n'], False),
        (['a,b\n', '1, "x"\n', '2,"y"\n'], False),  # one without the space
        (['a,b\n', '1, x\n'], False),  # no quote: the header decides (no ", " in it)
        (['a,b\n'] + ['1,"x"\n'] * 100 + ['2, "y"\n'], False),  # the 102nd line is not in the sample
        (['a\n', 'x\n'], False),  # one column: the sniffer finds no delimiter
    ],
)
def test_the_sniffed_skipinitialspace_is_frictionless_s(tmp_path: Path, lines: list[str], skips: bool) -> None:
    path = tmp_path / "t.csv"
    path.write_text("".join(lines), encoding="utf-8")
    assert sniffed_skipinitialspace(path) is skips


def test_an_unexpected_failure_of_the_fast_engine_is_a_deferral(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never a traceback: whatever a rule raises, the reference decides and stats say why."""

    def broken(self: object, batch: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(link_rules.CycleColumns, "rows", broken)
    report = validate_package(edited(tmp_path, {(1, "summary"): "=1"}), engine="fast")
    assert report.stats["deferred"] == "the fast engine stopped (KeyError: 'boom')"
    assert [f.type for f in report.findings] == ["formula-injection"]


class OnlyAsked(dict[str, int]):
    """A table that may be asked about keys, never walked (a package may have a million sources)."""

    asked: list[str | None]

    def get(self, key: Any, default: Any = None) -> Any:
        self.asked.append(key)
        return super().get(key, default)

    def __iter__(self) -> Any:
        raise AssertionError("the whole table was walked")

    def values(self) -> Any:
        raise AssertionError("the whole table was walked")


def test_a_lookup_asks_the_table_only_about_the_keys_of_the_batch() -> None:
    table = OnlyAsked({f"source-{n}": n for n in range(1000)})
    table.asked = []
    keys = pa.array(["source-7", None, "source-7", "nope", "source-999"], pa.string())
    assert lookup(keys, table, pa.int64(), lambda n: n * 2).to_pylist() == [14, None, 14, None, 1998]
    assert sorted(map(str, table.asked)) == ["None", "nope", "source-7", "source-999"]  # each distinct key once
