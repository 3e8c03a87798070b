"""The fast engine's column rules: every finding of our row checks, decided on the fast path, as the reference finds it.

A column rule may only *narrow* the rows a check looks at; a rule that marks too few rows loses a
finding. These cases change a synthetic package so that frictionless stays silent (every value
is of its type, in its enum, and every key has its row) and one of our checks speaks; each must
be decided by the fast engine (or deferred where the rule says so) with the reference's
findings, in order. The property-based test draws such edits at random.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_engine_diff import _synthetic_template, compare, set_cell, set_column, verdict
from timeline.stamp import stamp_package
from timeline.validation import validate_package
from timeline.validation.checks.safety import INVISIBLE
from timeline.validation.engine.rules import SCAN_BELOW, safe_value

EXAMPLES = int(os.environ.get("TIMELINE_DIFF_EXAMPLES", "8"))

# Synthetic rows (tools/synth.py): row k is ev-000000k; every third row is a statement about the row before.
# Row 1: an occurrence dated 2023-07-01 (day); its source was published 2023-07-20.
CASES: list[tuple[str, dict[tuple[int, str], str], str, str]] = [
    ("kind-type-mismatch", {(1, "kind"): "statement"}, "kind-type-mismatch", "fast"),
    ("date-order", {(1, "date_start"): "2023-07-05"}, "date-order", "fast"),
    ("after publication", {(1, "date_end"): "2023-08-01", (1, "date_start"): "2023-08-01",
                           (1, "date_edtf"): "2023-08-01"}, "date-after-publication", "fast"),
    ("after publication, no start", {(1, "date_end"): "2023-08-01", (1, "date_start"): "",
                                     (1, "date_precision"): "on-or-before", (1, "date_edtf"): "../2023-08-01"},
     "date-after-publication", "fast"),
    ("overnight", {(1, "date_precision"): "overnight"}, "date-precision-mismatch", "fast"),
    ("week", {(1, "date_precision"): "week", (1, "date_start"): "2023-06-01",
              (1, "date_edtf"): "2023-06-01/2023-07-01"}, "date-precision-mismatch", "fast"),
    ("month", {(1, "date_precision"): "month", (1, "date_start"): "2023-06-30",
               (1, "date_edtf"): "2023-06-30/2023-07-01"}, "date-precision-mismatch", "fast"),
    ("on-or-before", {(1, "date_precision"): "on-or-before"}, "date-precision-mismatch", "fast"),
    ("range without start", {(1, "date_precision"): "range", (1, "date_start"): "",
                             (1, "date_edtf"): "../2023-07-01"}, "date-precision-mismatch", "fast"),
    ("denial without target", {(3, "event_type"): "denial", (3, "about_event_id"): ""}, "about-event-required", "fast"),
    ("assertion without target", {(3, "event_type"): "assertion", (3, "about_event_id"): ""},
     "about-event-required", "fast"),
    ("about on an occurrence", {(1, "about_event_id"): "ev-0000002"}, "about-event-on-occurrence", "fast"),
    ("about itself", {(3, "about_event_id"): "ev-0000003"}, "about-event-self", "fast"),
    ("denied occurrence", {(1, "claim_status"): "denied"}, "denial-not-statement", "fast"),
    ("raid without a second side", {(1, "event_type"): "cross-border-raid", (1, "actor2_id"): ""},
     "actor2-required", "fast"),
    ("denial of a statement", {(3, "event_type"): "denial", (3, "about_event_id"): "ev-0000006"},
     "about-event-wrong-kind", "reference"),
    ("a cycle", {(3, "event_type"): "accusation", (3, "about_event_id"): "ev-0000006",
                 (6, "event_type"): "accusation", (6, "about_event_id"): "ev-0000003"}, "about-event-cycle", "fast"),
    ("a chain into a cycle", {(3, "event_type"): "accusation", (3, "about_event_id"): "ev-0000006",
                              (6, "event_type"): "accusation", (6, "about_event_id"): "ev-0000009",
                              (9, "event_type"): "accusation", (9, "about_event_id"): "ev-0000006"},
     "about-event-cycle", "fast"),
    ("quote beyond the text", {(1, "quote_start"): "9999990", (1, "quote_end"): "9999999"},
     "quote-offsets-out-of-range", "fast"),
    ("quote reversed", {(1, "quote_start"): "50", (1, "quote_end"): "40"}, "quote-offsets-out-of-range", "fast"),
    ("quote edited", {(1, "quote"): "Sentence that the source never had."}, "quote-mismatch", "fast"),
    ("dating words not in the source", {(1, "date_text"): "on Caturday"}, "date-text-not-in-source", "fast"),
    ("edtf not edtf", {(1, "date_edtf"): "1st of July"}, "date-edtf-invalid", "fast"),
    ("edtf another day", {(1, "date_edtf"): "2020-01-01"}, "date-edtf-mismatch", "fast"),
    ("edtf approximate start", {(1, "date_edtf"): "2023-07-01~/2023-07-01"}, "date-edtf-mismatch", "fast"),
    ("approximate-start without ~", {(1, "date_precision"): "approximate-start"}, "date-edtf-mismatch", "fast"),
    ("date text without offsets", {(1, "date_text_start"): ""}, "date-text-offsets-missing", "fast"),
    ("offsets without date text", {(1, "date_text"): ""}, "date-text-offsets-missing", "fast"),
    ("date text beyond the text", {(1, "date_text_start"): "9999990", (1, "date_text_end"): "9999999"},
     "date-text-offsets-out-of-range", "fast"),
    ("date text moved", {(1, "date_text_start"): "0", (1, "date_text_end"): "12"}, "date-text-mismatch", "fast"),
    ("formula", {(1, "summary"): "=1+1"}, "formula-injection", "fast"),
    ("formula behind a no-break space", {(1, "notes"): "\u00a0=1+1"}, "formula-injection", "fast"),
    ("zero-width space", {(1, "summary"): "a\u200bb"}, "invisible-character", "fast"),
    ("bidi override", {(2, "notes"): "left \u202e right"}, "invisible-character", "fast"),
    ("a tab inside", {(1, "notes"): "a\x07b"}, "invisible-character", "fast"),
    ("whitespace only", {(1, "notes"): "\u2003 "}, "whitespace-only-cell", "fast"),
    ("too long", {(1, "notes"): "x" * 33_000}, "cell-too-long", "fast"),
]


# Row 1 is set to a known day before each case's own edits.
ROW_1 = {(1, "date_start"): "2023-07-01", (1, "date_end"): "2023-07-01", (1, "date_precision"): "day",
         (1, "date_edtf"): "2023-07-01", (1, "event_type"): "fire", (1, "kind"): "occurrence"}


def edited(folder: Path, edits: dict[tuple[int, str], str], tweak: Callable[[Path], None] | None = None) -> Path:
    """A copy of the synthetic package with EDITS to its events (and TWEAK to anything), stamped."""
    root = folder / "synth"
    shutil.copytree(_synthetic_template(), root)
    for (row, field), value in {**ROW_1, **edits}.items():
        set_cell(root, "events", row, field, value)
    if tweak is not None:
        tweak(root)
    stamp_package(root)
    return root


@pytest.mark.parametrize(("edits", "expected", "engine"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_row_finding_is_decided_as_the_reference_decides_it(
    tmp_path: Path, edits: dict[tuple[int, str], str], expected: str, engine: str
) -> None:
    root = edited(tmp_path, edits)
    assert compare(root) == engine
    assert expected in [f.type for f in validate_package(root, engine="fast").findings]


def test_text_that_is_safe_but_not_ascii_has_no_finding_on_the_fast_path(tmp_path: Path) -> None:
    root = edited(tmp_path, {(1, "summary"): "Café “raid” — Бєлгород", (2, "notes"): "a\tb\nc"})
    report = validate_package(root, engine="fast")
    assert (report.valid, report.stats["engine"]) == (True, "fast")


def test_every_space_and_invisible_character_lies_below_the_scanned_range() -> None:
    beyond = [c for c in range(SCAN_BELOW, sys.maxunicode + 1) if chr(c).isspace() or INVISIBLE.match(chr(c))]
    assert beyond == []


@pytest.mark.parametrize(("value", "safe"), [("occurrence", True), ("=x", False), (" x", False), ("a\u200bb", False),
                                             ("\u3000x", False), ("", True), ("x" * 40_000, False)])
def test_an_enum_member_is_safe_only_when_the_check_would_find_nothing(value: str, safe: bool) -> None:
    assert safe_value(value) is safe


EVENT_TYPES = ["cross-border-raid", "drone-attack", "fire", "threat", "claim-of-responsibility", "assertion",
               "accusation", "denial", "investigation", "position-statement"]
DOMAIN: dict[str, Any] = {
    "kind": st.sampled_from(["occurrence", "statement"]),
    "event_type": st.sampled_from(EVENT_TYPES),
    "date_precision": st.sampled_from(["day", "overnight", "range", "week", "month", "on-or-before",
                                       "approximate-start"]),
    "claim_status": st.sampled_from(["reported", "claimed", "denied", "confirmed"]),
    "about_event_id": st.sampled_from(["", "ev-0000001", "ev-0000002", "ev-0000003", "ev-0000030", "ev-0000060"]),
    "actor2_id": st.sampled_from(["", "actor-00001"]),
    "date_start": st.sampled_from(["", "2023-06-01", "2023-06-30", "2023-07-01", "2023-07-02", "2023-07-25"]),
    "date_end": st.sampled_from(["2023-06-30", "2023-07-01", "2023-07-02", "2023-08-01"]),
    "date_edtf": st.sampled_from(["2023-07-01", "2023-07-01/2023-07-02", "../2023-07-01", "/2023-07-01",
                                  "2023-07-01~/2023-07-01", "2023-07~", "2023-07-01?", "x", "2023-02-30"]),
    "date_text": st.sampled_from(["", "on Wednesday", "on Caturday", "Sentence"]),
    "date_text_start": st.sampled_from(["", "0", "13", "99999"]),
    "date_text_end": st.sampled_from(["", "8", "25", "100000"]),
    "quote_start": st.sampled_from(["0", "1", "13", "99999"]),
    "quote_end": st.sampled_from(["1", "8", "25", "100000"]),
    "summary": st.sampled_from(["=1", "plain", "café", "a\u200bb", "\u00a0+x", "  "]),
    "notes": st.text(max_size=4),
}


@settings(max_examples=max(4, EXAMPLES), deadline=None, derandomize=EXAMPLES <= 50, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(edits=st.dictionaries(
    st.tuples(st.sampled_from([1, 2, 3, 30, 60]), st.sampled_from(sorted(DOMAIN))), st.just(""), min_size=1, max_size=5
).flatmap(lambda keys: st.fixed_dictionaries({key: DOMAIN[key[1]] for key in keys})))
def test_random_edits_our_checks_see_get_the_same_findings(edits: dict[tuple[int, str], str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        compare(edited(Path(folder), edits))


DEFERRALS = [
    ({(1, "fatalities"): "many"}, "data/events.csv: a fatalities cell the fast engine does not decide"),
    ({(3, "event_type"): "denial", (3, "about_event_id"): "ev-0000006"},
     "a statement about an event of the wrong kind"),
    ({(2, "event_id"): "ev-0000001"}, "events.event_id: a key repeated"),
    ({(3, "about_event_id"): "ev-9999999"}, "events.about_event_id: a foreign key without its row in events"),
    ({(1, "place_id"): "place-99999"}, "events.place_id: a foreign key without its row in places"),
]


@pytest.mark.parametrize(("edits", "reason"), DEFERRALS, ids=[reason for _, reason in DEFERRALS])
def test_a_deferral_says_why_in_the_stats(tmp_path: Path, edits: dict[tuple[int, str], str], reason: str) -> None:
    report = validate_package(edited(tmp_path, edits), engine="fast")
    assert (report.stats["engine"], report.stats["deferred"]) == ("reference", reason)


def test_a_package_decided_fast_has_no_deferral(tmp_path: Path) -> None:
    assert "deferred" not in validate_package(edited(tmp_path, {}), engine="fast").stats


NO_PANDAS = """
import sys
asked = []
class Watch:
    def find_spec(self, name, path, target=None):
        if name == "pandas":
            asked.append(name)
        return None
sys.meta_path.insert(0, Watch())
from timeline.validation import validate_package
report = validate_package(sys.argv[1], engine="fast")
print(report.stats["engine"], len(report.findings), asked)
"""


def test_the_fast_engine_never_imports_pandas(tmp_path: Path) -> None:
    """pyarrow imports pandas (0.4 s, 50 MB) to ask whether a Python value is a pandas object:
    the engine builds every array and scalar from buffers (timeline.package.arrays)."""
    import subprocess

    root = edited(tmp_path, {(1, "summary"): "=1", (1, "date_edtf"): "2020-01-01", (2, "notes"): "a\u200bb",
                             (3, "event_type"): "accusation", (3, "about_event_id"): "ev-0000006",
                             (6, "event_type"): "accusation", (6, "about_event_id"): "ev-0000003"})
    run = subprocess.run([sys.executable, "-c", NO_PANDAS, str(root)], capture_output=True, text=True, check=True)
    assert run.stdout.split(maxsplit=2) == ["fast", "4", "[]\n"]


# Hostile declarations and layouts (red team): each once made the engines disagree, or the fast one
# crash. The reference's findings are given exactly; the fast engine either decides ("") or says why not.
def _events_schema(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def tweak(root: Path) -> None:
        path = root / "schemas/events.schema.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        change(schema)
        path.write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")

    return tweak


def _descriptor(**changes: Any) -> Callable[[Path], None]:
    def tweak(root: Path) -> None:
        path = root / "datapackage.json"
        path.write_text(json.dumps({**json.loads(path.read_text(encoding="utf-8")), **changes}, indent=2) + "\n",
                        encoding="utf-8")

    return tweak


def _field(schema: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in schema["fields"] if f["name"] == name)


def _every_note_matched_by(pattern: str, note: str) -> Callable[[Path], None]:
    """Every notes cell is NOTE, and notes must match PATTERN."""

    def tweak(root: Path) -> None:
        set_column(root, "events", "notes", lambda number: note)
        _events_schema(lambda s: _field(s, "notes").setdefault("constraints", {}).update(pattern=pattern))(root)

    return tweak


def _raw_notes_of_row_1(raw: str) -> Callable[[Path], None]:
    """Row 1's notes written as RAW bytes (the synthetic rows hold no quoted cell)."""

    def tweak(root: Path) -> None:
        path = root / "data/events.csv"
        lines = path.read_text(encoding="utf-8").split("\n")
        assert '"' not in lines[1]
        cells = lines[1].split(",")
        cells[lines[0].split(",").index("notes")] = raw
        lines[1] = ",".join(cells)
        path.write_text("\n".join(lines), encoding="utf-8")

    return tweak


def _place_ids_as_integers(root: Path) -> None:
    """places.place_id "1", "2"...; row 1 points at "1" from a place_id of type integer."""
    path = root / "data/places.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    for number, row in enumerate(rows[1:], 1):
        row[rows[0].index("place_id")] = str(number)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    set_column(root, "events", "place_id", lambda number: "1" if number == 1 else "")
    _events_schema(lambda s: _field(s, "place_id").update(type="integer"))(root)


def _category(value: str, **changes: Any) -> Callable[[Path], None]:
    def change(schema: dict[str, Any]) -> None:
        next(c for c in _field(schema, "event_type")["categories"] if c["value"] == value).update(changes)

    return _events_schema(change)


UNDECIDED = "table 'events': a field type, format or constraint the fast engine does not decide"
EVERY_NOTE = [("constraint-error", number, "notes") for number in range(2, 62)]
HOSTILE: list[tuple[str, dict[tuple[int, str], str], Callable[[Path], None], list[tuple[Any, ...]], str]] = [
    # RE2 reads "{,2}" as text, Python's re as 0 to 2: the fast engine found every cell "a{,2}" matching
    ("pattern {,n}", {}, _every_note_matched_by("a{,2}", "a{,2}"), EVERY_NOTE, UNDECIDED),
    ("pattern {01}", {}, _every_note_matched_by("a{01}", "a{01}"), EVERY_NOTE, UNDECIDED),
    # a POSIX class to RE2; to Python a set of "[:digt" and then a literal "]"
    ("pattern [[:digit:]]", {}, _every_note_matched_by("[[:digit:]]", "5"), EVERY_NOTE, UNDECIDED),
    # the fast engine stopped with OverflowError building an int64 bound
    ("minimum beyond int64", {}, _events_schema(lambda s: _field(s, "fatalities")["constraints"].update(
        minimum=-(2**70))), [], UNDECIDED),
    # csv.Sniffer in frictionless guesses skipinitialspace: Python's csv reads =1, pyarrow ' "=1"'
    ("a space after the comma before every quote", {}, _raw_notes_of_row_1(' "=1"'),
     [("formula-injection", 2, "notes", "cell starts with '=', which a spreadsheet runs as a formula")],
     "data/events.csv: frictionless's CSV sniffer reads it with skipInitialSpace (every quoted cell of the "
     "first 100 lines follows a comma and a space)"),
    # frictionless compares typed values: 1 is not "1"; the fast engine compared the cells as written
    ("a foreign key from an integer to a string", {}, _place_ids_as_integers,
     [("foreign-key", 2, "")], "events.place_id: a foreign key from a field of type integer to places.place_id "
     "of type string; frictionless compares typed values"),
    # the edtf parser raised TypeError: the fast engine crashed, the reference stopped ("validation-stopped")
    ("edtf ../", {(1, "date_edtf"): "../"}, lambda root: None,
     [("date-edtf-invalid", 2, "date_edtf", "date_edtf '../': not EDTF (Library of Congress EDTF level 0 or 1)")],
     ""),
    # year 0 is EDTF but no Python date: ValueError stopped both engines ("validation-stopped")
    ("edtf year 0", {(1, "date_edtf"): "0000-01-01"}, lambda root: None,
     [("date-edtf-invalid", 2, "date_edtf", "date_edtf '0000-01-01': 0000-01-01 is outside the years "
       "date_start and date_end can hold (1 to 9999)")], ""),
    # the edtf parser skipped the space: the reference (and the engine) took it as a day
    ("edtf with a trailing space", {(1, "date_edtf"): "2023-07-01 "}, lambda root: None,
     [("date-edtf-invalid", 2, "date_edtf", "date_edtf '2023-07-01 ': not EDTF (Library of Congress EDTF level 0 "
       "or 1): it holds whitespace")], ""),
    # a category's kind that is not text: the fast engine crashed making a column of it
    ("a kind that is a number", {}, _category("fire", kind=1),
     [("kind-type-mismatch", 2, "kind", "event_type 'fire' is a kind of 1, but kind is 'occurrence'")], ""),
    # frictionless refuses an example that is not a value of its field; the fast engine crashed building the Schema
    ("an example that is no value of its field", {}, _events_schema(lambda s: _field(s, "fatalities").update(
        example="many")), [("field-error", None, "", 'Field is not valid: example value "many" for field '
                            '"fatalities" is not valid')],
     "frictionless refuses the descriptor ([package-error] The data package has an error: descriptor is not valid "
     '(Field is not valid: example value "many" for field "fatalities" is not valid))'),
    # frictionless reads "created" as a datetime; our profile checks only its pattern
    ("a created date with month 13", {}, _descriptor(created="2026-13-25T00:00:00Z"),
     [("package-error", None, "", 'The data package has an error: property "created" is not valid "datetime"')],
     "frictionless refuses the descriptor ([package-error] The data package has an error: descriptor is not valid "
     '(The data package has an error: property "created" is not valid "datetime"))'),
    # optional enum fields left empty: nulls in the masks (the engine used to defer on them)
    ("an optional kind left empty", {(1, "kind"): "", (1, "claim_status"): "denied"},
     _events_schema(lambda s: _field(s, "kind")["constraints"].pop("required")),
     [("about-event-required", 2, "about_event_id"), ("denial-not-statement", 2, "claim_status")], ""),
    ("an optional date_precision left empty", {(1, "date_precision"): "", (1, "date_edtf"): "2023-07-01?"},
     _events_schema(lambda s: _field(s, "date_precision")["constraints"].pop("required")),
     [("date-edtf-mismatch", 2, "date_edtf", "date_edtf '2023-07-01?' disagrees with date_start 2023-07-01, "
       "date_end 2023-07-01, date_precision None: its start is qualified (~ ? %) but date_precision is None")], ""),
    # about_kinds that are not text: the fast engine crashed sorting them; the reference stops
    ("about_kinds that are numbers", {}, _category("accusation", about_kinds=[1]),
     [("validation-stopped", None, "", "frictionless stopped (TypeError: sequence item 0: expected str instance, "
       "int found); no table was checked")], "an event_type category whose about_kinds are not text"),
]


@pytest.mark.filterwarnings("ignore:Possible nested set:FutureWarning")  # Python's re on "[[:digit:]]"
@pytest.mark.parametrize(("edits", "tweak", "expected", "deferred"), [c[1:] for c in HOSTILE],
                         ids=[c[0] for c in HOSTILE])
def test_hostile_declarations_and_layouts_get_the_reference_verdict(
    tmp_path: Path, edits: dict[tuple[int, str], str], tweak: Callable[[Path], None],
    expected: list[tuple[Any, ...]], deferred: str
) -> None:
    root = edited(tmp_path, edits, tweak)
    fast, reference = (validate_package(root, engine=engine) for engine in ("fast", "reference"))
    assert verdict(fast) == verdict(reference)
    shown = [(f.type, f.row, f.field, f.message) for f in reference.findings]
    if len(shown) == len(expected) and all(len(e) == 3 for e in expected):
        shown = [finding[:3] for finding in shown]
    assert shown[: len(expected)] == expected
    if expected[:1] and expected[0][0] == "kind-type-mismatch":
        assert {f.type for f in reference.findings} == {"kind-type-mismatch"}  # every fire row
    else:
        assert len(shown) == len(expected)
    assert fast.stats.get("deferred", "") == deferred
