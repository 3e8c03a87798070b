"""The columnar row diff (versioning/fastrows.py) gives exactly the csv join's answer, or none.

Every case diffs two tables twice, with the csv module's join (``reference_diff_rows``) and the
columnar one, and compares rows added, removed and changed (keys, order, each changed field's
old and new value). Table-driven cases for the hard shapes; a property-based test for random
pairs of tables. Where the columnar join must step aside (repeated keys, a table pyarrow might
misread), ``diff_rows`` must still give the csv join's result or its exact message.
"""

from __future__ import annotations

import csv
import io
import os
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import REPO, copy_package
from helpers import edit_row
from timeline.errors import TableReadError
from timeline.package import fastcsv
from timeline.versioning import fastrows, rows
from timeline.versioning.model import ResourceDiff
from timeline.versioning.rows import TableFile, diff_rows, reference_diff_rows

EXAMPLES = int(os.environ.get("TIMELINE_DIFF_EXAMPLES", "40"))
Table = list[list[str]]
Result = tuple[list[str], list[str], list[tuple[str, dict[str, list[str]]]]]


def write(path: Path, table: Table) -> Path:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(table)
    path.write_bytes(text.getvalue().encode("utf-8"))
    return path


def answer(diff: ResourceDiff) -> Result:
    return diff.rows_added, diff.rows_removed, [(c.key, c.changes) for c in diff.rows_changed]


def reference(old: Path, new: Path, key: list[str]) -> Result:
    diff = ResourceDiff("t", "unchanged")
    reference_diff_rows(TableFile(old, "old: t.csv"), TableFile(new, "new: t.csv"), key, diff)
    return answer(diff)


def fast(old: Path, new: Path, key: list[str]) -> Result | None:
    diff = fastrows.fast_diff_rows(old, new, key)
    return None if diff is None else (diff.added, diff.removed, [(c.key, c.changes) for c in diff.changed])


def both(folder: Path, old: Table, new: Table, key: list[str]) -> tuple[Result | None, Result]:
    old_path, new_path = write(folder / "old.csv", old), write(folder / "new.csv", new)
    return fast(old_path, new_path, key), reference(old_path, new_path, key)


HEADER = ["id", "name", "note", "n"]
BASE = [
    ["e1", "Belgorod", "plain", "1"],
    ["e2", "Kozinka, Grayvoron", 'a "quoted" word', ""],
    ["e3", "Шебекино", "a note\nover two lines", "3"],
    ["e4", "", "", ""],
    ["e5", "日本 🙂", "comma, quote \" and\nnewline", "5"],
]


def edit(table: Table, row: int, column: int, value: str) -> Table:
    copy = [list(r) for r in table]
    copy[row][column] = value
    return copy


NAMED = edit([HEADER, *BASE], 4, 1, "Valuyki")  # every row named, so "name" can be the key


def reorder_columns(table: Table, order: list[int]) -> Table:
    return [[r[i] for i in order] for r in table]


def many_changes(shuffled: bool = True) -> tuple[Table, Table]:
    """5,000 rows; 1,500 changed, 1,000 removed, 1,000 added; shuffled, or added in place."""
    old = [HEADER] + [[f"k{i:05d}", f"name {i}", f"note, {i}\n\"x\"", str(i)] for i in range(5000)]
    new = [list(r) for r in old[1:4001]]
    for r in new[::2][:1500]:
        r[2 if int(r[3]) % 2 else 3] += "!"
    added = [[f"n{i:05d}", "new", "", str(i)] for i in range(1000)]
    if shuffled:
        new += added
        random.Random(14).shuffle(new)
    else:
        for i, row in enumerate(added):
            new.insert(i * 4, row)
    return old, [HEADER, *new]


def spy_on_ways(patch: pytest.MonkeyPatch) -> list[str]:
    """Record which way the columnar join compares the rows both tables have."""
    ways: list[str] = []
    for name, way in (("changed_in_order", "in order"), ("changed_by_hash", "by hash")):
        real = getattr(fastrows, name)
        patch.setattr(fastrows, name, lambda *args, real=real, way=way: ways.append(way) or real(*args))
    return ways


Case = Callable[[], tuple[Table, Table, list[str]]]
CASES: list[tuple[str, Case]] = [
    ("identical", lambda: ([HEADER, *BASE], [HEADER, *BASE], ["id"])),
    ("cell-edited", lambda: ([HEADER, *BASE], edit([HEADER, *BASE], 2, 2, 'now "two"\nlines, still'), ["id"])),
    ("empty-cell-filled", lambda: ([HEADER, *BASE], edit([HEADER, *BASE], 4, 1, "filled"), ["id"])),
    ("unicode-edited", lambda: ([HEADER, *BASE], edit([HEADER, *BASE], 5, 1, "日本 🙃"), ["id"])),
    ("key-changed", lambda: ([HEADER, *BASE], edit([HEADER, *BASE], 3, 0, "e3b"), ["id"])),
    ("rows-reordered", lambda: ([HEADER, *BASE], [HEADER, *BASE[::-1]], ["id"])),
    ("rows-added-and-removed", lambda: ([HEADER, *BASE[:3]], [HEADER, *BASE[1:], ["e9", "x", "y", "9"]], ["id"])),
    ("column-order-changed", lambda: ([HEADER, *BASE], reorder_columns([HEADER, *BASE], [3, 1, 0, 2]), ["id"])),
    ("column-order-changed-and-edited",
     lambda: ([HEADER, *BASE], reorder_columns(edit([HEADER, *BASE], 1, 3, "7"), [2, 3, 1, 0]), ["id"])),
    ("column-added", lambda: ([HEADER, *BASE], [[*r, f"x{i}"] for i, r in enumerate([HEADER, *BASE])], ["id"])),
    ("column-removed", lambda: ([HEADER, *BASE], [r[:2] + r[3:] for r in edit([HEADER, *BASE], 1, 1, "B")], ["id"])),
    ("composite-key", lambda: ([HEADER, *BASE], edit([HEADER, *BASE], 2, 3, "2"), ["id", "name"])),
    ("composite-key-part-changed", lambda: ([HEADER, *BASE], edit([HEADER, *BASE], 2, 1, "K"), ["name", "id"])),
    # "x|y" + "z" and "x" + "y|z" make the same key string "x|y|z" in both joins: one changed row
    ("composite-key-with-the-separator",
     lambda: ([["a", "b", "v"], ["x|y", "z", "1"]], [["a", "b", "v"], ["x", "y|z", "1"]], ["a", "b"])),
    # the same characters in a row, moved across a cell boundary: a naive join of cells sees no change
    ("characters-moved-between-cells",
     lambda: ([HEADER, *BASE], edit(edit([HEADER, *BASE], 1, 1, "Belgoro"), 1, 2, "dplain"), ["id"])),
    ("key-not-first", lambda: (NAMED, edit(NAMED, 1, 0, "e1b"), ["name"])),
    ("composite-key-part-empty", lambda: ([HEADER, *BASE], edit([HEADER, *BASE], 1, 3, "9"), ["note", "id"])),
    ("header-only", lambda: ([HEADER], [HEADER], ["id"])),
    ("all-rows-added", lambda: ([HEADER], [HEADER, *BASE], ["id"])),
    ("all-rows-removed", lambda: ([HEADER, *BASE], [HEADER], ["id"])),
    ("1000-plus-changes", lambda: (*many_changes(), ["id"])),
    ("1000-plus-changes-in-place", lambda: (*many_changes(shuffled=False), ["id"])),
]


REORDERED = {"rows-reordered", "1000-plus-changes"}  # shared rows compared by hash; the others in order


BIG = {"1000-plus-changes", "1000-plus-changes-in-place"}
BLOCKS = [(name, case, 1 << 20) for name, case in CASES] + [(name, case, 4096) for name, case in CASES if name in BIG]


@pytest.mark.parametrize("name, case, block", BLOCKS, ids=[f"{c[0]}-{c[2]}" for c in BLOCKS])
def test_the_columnar_join_gives_the_csv_joins_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, case: Case, block: int
) -> None:
    """Big tables in 4 KiB blocks too: old and new batches then end at different rows."""
    monkeypatch.setattr(fastcsv, "BLOCK_BYTES", block)
    old, new, key = case()
    ways = spy_on_ways(monkeypatch)
    got, expected = both(tmp_path, old, new, key)
    assert got is not None, "the fast path must take a clean table"
    assert got == expected
    assert ways == ["by hash" if name in REORDERED else "in order"]


def test_the_big_case_really_has_every_kind_of_change(tmp_path: Path) -> None:
    old, new = many_changes()
    added, removed, changed = both(tmp_path, old, new, ["id"])[1]
    assert (len(added), len(removed), len(changed)) == (1000, 1000, 1500)
    assert added == [r[0] for r in new[1:] if r[0].startswith("n")]  # the new table's (shuffled) order
    assert removed == [f"k{i:05d}" for i in range(4000, 5000)]
    assert [key for key, _ in changed] == [f"k{i:05d}" for i in range(0, 3000, 2)]  # the old table's order
    assert changed[:2] == [("k00000", {"n": ["0", "0!"]}), ("k00002", {"n": ["2", "2!"]})]
    assert changed[-1] == ("k02998", {"n": ["2998", "2998!"]})


# (id, old bytes, new bytes): the columnar join steps aside; diff_rows must still give the csv join's answer
ASIDE = [
    ("repeated-old-key", b"id,v\na,1\na,2\nb,3\n", b"id,v\na,1\nb,4\n"),
    ("repeated-new-key", b"id,v\na,1\nb,3\n", b"id,v\na,2\na,1\nc,3\nc,4\n"),
    ("blank-line", b"id,v\na,1\nb,2\n", b"id,v\na,1\n\nb,2\n"),
    ("bom", b"id,v\na,1\n", b"\xef\xbb\xbfid,v\na,2\n"),
    ("crlf", b"id,v\r\na,1\r\nb,2\r\n", b"id,v\na,1\nb,3\n"),
    ("nul", b"id,v\na,1\n", b"id,v\na,\x00\n"),
    ("latin-1", b"id,v\na,1\n", b"id,v\na,\xe9\n"),
    ("ragged", b"id,v\na,1\n", b"id,v\na,1,2\n"),
    ("malformed-quote", b"id,v\na,1\n", b'id,v\na,"1"2\n'),
    ("repeated-header-name", b"id,v,v\na,1,2\n", b"id,v,v\na,1,3\n"),
    ("key-missing-in-old", b"key,v\na,1\n", b"id,v\na,1\n"),
    ("empty-file", b"", b"id,v\na,1\n"),
    ("row-of-empty-cells", b"id,v\na,1\n,\n", b"id,v\na,2\n,\n"),
    ("empty-key", b"id,v\na,1\n,2\n", b"id,v\na,2\n,2\n"),  # a blank line reads as one, to pyarrow
]


def outcome(run: Callable[[], object], diff: ResourceDiff) -> Result | str:
    try:
        run()
    except TableReadError as error:
        return f"TableReadError: {error}"
    return answer(diff)


@pytest.mark.parametrize("old_bytes, new_bytes", [c[1:] for c in ASIDE], ids=[c[0] for c in ASIDE])
def test_where_the_columnar_join_steps_aside_the_csv_join_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old_bytes: bytes, new_bytes: bytes
) -> None:
    monkeypatch.setattr(rows, "FAST_FROM_BYTES", 0)
    (tmp_path / "old.csv").write_bytes(old_bytes)
    (tmp_path / "new.csv").write_bytes(new_bytes)
    old, new = TableFile(tmp_path / "old.csv", "old: t.csv"), TableFile(tmp_path / "new.csv", "new: t.csv")
    assert fastrows.fast_diff_rows(old.path, new.path, ["id"]) is None
    via_dispatch, via_csv = ResourceDiff("t", "unchanged"), ResourceDiff("t", "unchanged")
    got = outcome(lambda: diff_rows(old, new, ["id"], via_dispatch), via_dispatch)
    assert got == outcome(lambda: reference_diff_rows(old, new, ["id"], via_csv), via_csv)


def test_diff_rows_takes_the_columnar_join_for_big_tables_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    real = rows.fast_diff_rows
    monkeypatch.setattr(rows, "fast_diff_rows", lambda *args: calls.append(args) or real(*args))
    old_path = write(tmp_path / "old.csv", [HEADER, *BASE])
    new_path = write(tmp_path / "new.csv", edit([HEADER, *BASE], 1, 1, "B"))
    old, new = TableFile(old_path, "old: t.csv"), TableFile(new_path, "new: t.csv")
    small = ResourceDiff("t", "unchanged")
    diff_rows(old, new, ["id"], small)
    assert not calls
    monkeypatch.setattr(rows, "FAST_FROM_BYTES", old_path.stat().st_size + new_path.stat().st_size)
    big = ResourceDiff("t", "unchanged")
    diff_rows(old, new, ["id"], big)
    assert len(calls) == 1 and answer(big) == answer(small) == reference(old_path, new_path, ["id"])
    assert answer(big)[2] == [("e1", {"name": ["Belgorod", "B"]})]


def test_diffing_the_real_package_does_not_load_pyarrow(tmp_path: Path) -> None:
    """Start-up dominates on 16 rows: importing pyarrow would double `timeline diff`'s time there."""
    new = copy_package(tmp_path / "new")
    edit_row(new, "events", 0, summary="An edited summary.")
    script = (
        "import sys; from pathlib import Path; from timeline.versioning import diff_packages\n"
        f"diff = diff_packages(Path({str(REPO)!r}), Path({str(new)!r}))\n"
        "assert any(r.rows_changed for r in diff.resources), 'no row diff ran'\n"
        "assert 'pyarrow' not in sys.modules, 'pyarrow was imported'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


KEYS = st.sampled_from(["a", "b", "c", "d", "e", "f", "a|b", "é", ""])
CELLS = st.text(alphabet=st.sampled_from(list('xy ,"\n|é🙂')), max_size=5)


@st.composite
def table_pairs(draw: st.DrawFn) -> tuple[Table, Table, list[str]]:
    """An old table, and a new one made from it: rows edited, dropped, inserted, maybe reordered
    (in order, the shared rows are compared cell by cell; reordered, by hash), columns shuffled,
    added or dropped."""
    names = ["k1", "k2", "v1", "v2", "v3"]
    key = ["k1", "k2"] if draw(st.booleans()) else ["k1"]
    ids = draw(st.lists(st.tuples(KEYS, KEYS), max_size=10, unique=True))
    old_rows = [{"k1": a, "k2": b, **{n: draw(CELLS) for n in names[2:]}} for a, b in ids]
    new_rows = []
    for row in old_rows:
        action = draw(st.sampled_from(["keep", "keep", "edit", "drop", "insert"]))
        if action == "edit":
            row = {**row, draw(st.sampled_from(names)): draw(CELLS)}
        if action == "insert":
            new_rows.append({"k1": draw(KEYS), "k2": draw(KEYS), **{n: draw(CELLS) for n in names[2:]}})
        if action != "drop":
            new_rows.append(row)
    if draw(st.booleans()):
        new_rows = draw(st.permutations(new_rows))
    old_columns = draw(st.permutations(names))
    new_columns = [c for c in draw(st.permutations(names)) if c in key or draw(st.booleans())]
    return (
        [old_columns] + [[row[c] for c in old_columns] for row in old_rows],
        [new_columns] + [[row[c] for c in new_columns] for row in new_rows],
        key,
    )


@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 100, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(pair=table_pairs())
def test_random_pairs_of_tables_get_the_csv_joins_answer(pair: tuple[Table, Table, list[str]]) -> None:
    old, new, key = pair
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        ways = spy_on_ways(patch)
        got, expected = both(Path(folder), old, new, key)
    event(f"shared rows compared {' and '.join(ways) or 'by neither'}")
    keys = [[[r[t[0].index(k)] for k in key] for r in t[1:]] for t in (old, new)]
    unique = all(len({"|".join(k) for k in t}) == len(t) for t in keys)
    empty_key = any(not any(k) for t in keys for k in t)  # what a blank line looks like to pyarrow
    event("read fast" if got is not None else "left to csv")
    if unique and not empty_key:
        assert got is not None, "the fast path must take clean tables"
    if got is not None:
        assert got == expected


def keys_both_ways(path: Path, key: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[list[str] | None, object]:
    """The keys a new resource lists: the columnar way (None: stepped aside), and the csv way (or its message)."""
    schema = {"primaryKey": key}
    table = TableFile(path, "new: t.csv")
    with monkeypatch.context() as patch:
        patch.setattr(rows, "FAST_FROM_BYTES", 1 << 60)
        try:
            expected: object = list(rows.primary_keys(table, schema))
        except TableReadError as error:
            expected = f"TableReadError: {error}"
    monkeypatch.setattr(rows, "FAST_FROM_BYTES", 0)
    calls: list[Path] = []
    monkeypatch.setattr(rows, "fast_keys", lambda path, key: calls.append(path) or fastrows.fast_keys(path, key))
    try:
        dispatched: object = list(rows.primary_keys(table, schema))
    except TableReadError as error:
        dispatched = f"TableReadError: {error}"
    assert dispatched == expected and calls == [path]
    return fastrows.fast_keys(path, key), expected


@pytest.mark.parametrize("case", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_a_new_resources_keys_are_the_csv_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: Case) -> None:
    _, new, key = case()
    got, expected = keys_both_ways(write(tmp_path / "new.csv", new), key, monkeypatch)
    assert got is not None and got == expected


@pytest.mark.parametrize("new_bytes", [c[2] for c in ASIDE], ids=[c[0] for c in ASIDE])
def test_where_the_columnar_keys_step_aside_the_csv_path_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_bytes: bytes
) -> None:
    (tmp_path / "new.csv").write_bytes(new_bytes)
    got, expected = keys_both_ways(tmp_path / "new.csv", ["id"], monkeypatch)
    assert got is None or got == expected  # a repeated key is listed twice by both


def test_the_columnar_join_does_not_load_pandas(tmp_path: Path) -> None:
    """pyarrow.array and pyarrow.scalar import pandas when it is installed (0.4 s) to ask whether
    their argument is a pandas object; the join builds its arrays without them."""
    old_path = write(tmp_path / "old.csv", [HEADER, *BASE])
    new_path = write(tmp_path / "new.csv", edit([HEADER, *BASE[1:]], 1, 2, "B") + [["e9", "x", "", "9"]])
    script = (
        "import sys; from pathlib import Path; from timeline.versioning.fastrows import fast_diff_rows, fast_keys\n"
        f"diff = fast_diff_rows(Path({str(old_path)!r}), Path({str(new_path)!r}), ['id', 'name'])\n"
        "assert diff is not None and diff.added and diff.removed and diff.changed, diff\n"
        f"assert fast_keys(Path({str(new_path)!r}), ['id', 'name'])\n"
        "assert 'pandas' not in sys.modules, 'pandas was imported'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
