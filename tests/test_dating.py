"""timeline validate: dating and linking rules (checks/dating.py, checks/statement_needs.py), one case each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import edit_row
from timeline.cli import cli
from timeline.validation.checks.dating import EdtfError, read_common_form, read_edtf, read_with_edtf

EVENTS = "data/events.csv"
# Row indexes into the real events.csv (frictionless numbers rows from the header = 1, so row = index + 2).
EV_0001, EV_0002, EV_0003, EV_0008, EV_0012, EV_0015, EV_0016, EV_0018 = 0, 1, 2, 7, 11, 14, 15, 17

# (id, row index, changes, expected (type, row, field), exact message)
CASES = [
    (
        "edtf-not-edtf",
        EV_0002,
        {"date_edtf": "2023-13-01"},
        ("date-edtf-invalid", 3, "date_edtf"),
        "date_edtf '2023-13-01': not EDTF (Library of Congress EDTF level 0 or 1)",
    ),
    (
        "edtf-level-2-set",
        EV_0015,
        {"date_edtf": "[..2023-05-25]"},
        ("date-edtf-invalid", 16, "date_edtf"),
        "date_edtf '[..2023-05-25]': an EDTF OneOfASet is beyond what date_start and date_end can express",
    ),
    (
        "edtf-end-disagrees",
        EV_0001,
        {"date_edtf": "2023-05-22/2023-05-23"},
        ("date-edtf-mismatch", 2, "date_edtf"),
        "date_edtf '2023-05-22/2023-05-23' disagrees with date_start 2023-05-22, date_end 2023-05-25, "
        "date_precision 'range': it ends 2023-05-23 but date_end is 2023-05-25",
    ),
    (
        "edtf-approximate-start-unmarked",
        EV_0012,
        {"date_edtf": "2023-04-25/2023-05-25"},
        ("date-edtf-mismatch", 13, "date_edtf"),
        "date_edtf '2023-04-25/2023-05-25' disagrees with date_start 2023-04-25, date_end 2023-05-25, "
        "date_precision 'approximate-start': date_precision 'approximate-start' needs an approximate start (~)",
    ),
    (
        "edtf-closed-start-on-or-before",
        EV_0015,
        {"date_edtf": "2023-05-20/2023-05-25"},
        ("date-edtf-mismatch", 16, "date_edtf"),
        "date_edtf '2023-05-20/2023-05-25' disagrees with date_start empty, date_end 2023-05-25, "
        "date_precision 'on-or-before': it starts 2023-05-20 but date_start is empty",
    ),
    (
        "edtf-qualified-day",
        EV_0002,
        {"date_edtf": "2023-05-23~"},
        ("date-edtf-mismatch", 3, "date_edtf"),
        "date_edtf '2023-05-23~' disagrees with date_start 2023-05-23, date_end 2023-05-23, "
        "date_precision 'day': its start is qualified (~ ? %) but date_precision is 'day'",
    ),
    (
        "date-text-at-wrong-offsets",
        EV_0008,
        {"date_text_start": "1284", "date_text_end": "1296"},
        ("date-text-mismatch", 9, "date_text"),
        "date_text 'on Wednesday' differs from the source text at 1284:1296 ('n Wednesday.'); "
        "it stands at 312:324, 1283:1295",
    ),
    (
        "date-text-offsets-outside",
        EV_0002,
        {"date_text_start": "5000", "date_text_end": "5011"},
        ("date-text-offsets-out-of-range", 3, "date_text_start"),
        "offsets 5000:5011 are outside the source text (0:2245)",
    ),
    (
        "date-text-without-offsets",
        EV_0002,
        {"date_text_end": ""},
        ("date-text-offsets-missing", 3, "date_text_start"),
        "date_text 'a day after' has no offsets",
    ),
    (
        "offsets-without-date-text",
        EV_0003,
        {"date_text_start": "10", "date_text_end": "20"},
        ("date-text-offsets-missing", 4, "date_text_start"),
        "date_text_start/date_text_end are set but date_text is empty",
    ),
    (
        "raid-without-second-side",
        EV_0001,
        {"actor2_id": ""},
        ("actor2-required", 2, "actor2_id"),
        "a cross-border-raid needs a second side (actor2: required in the codebook), but actor2_id is empty",
    ),
    (
        "investigation-without-target",
        EV_0008,
        {"about_event_id": ""},
        ("about-event-required", 9, "about_event_id"),
        "an investigation must say what it is about",
    ),
    (
        "denial-of-a-statement",
        EV_0016,
        {"about_event_id": "ev-0014"},
        ("about-event-wrong-kind", 17, "about_event_id"),
        "a denial must be about an occurrence; ev-0014 is a statement",
    ),
    (
        "assertion-about-a-later-statement",
        EV_0002,
        {"about_event_id": "ev-0018"},
        ("about-event-wrong-kind", 3, "about_event_id"),
        "an assertion must be about an occurrence; ev-0018 is a statement",
    ),
    (
        "denial-without-target-reported-once",
        EV_0016,
        {"about_event_id": ""},
        ("about-event-required", 17, "about_event_id"),
        "a denial must say what it is about",
    ),
]


def validate(package: Path) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(cli, ["validate", "--package", str(package), "--json"])
    return result.exit_code, json.loads(result.stdout)["findings"]


@pytest.mark.parametrize(
    "index, changes, expected, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_rule_gives_exactly_its_finding(
    package: Path, index: int, changes: dict[str, str], expected: tuple, message: str
) -> None:
    edit_row(package, "events", index, **changes)
    code, findings = validate(package)
    assert code == 1
    assert [(f["type"], f["file"], f["row"], f["field"]) for f in findings] == [(expected[0], EVENTS, *expected[1:])]
    assert findings[0]["message"] == message
    assert findings[0]["fix"]


@pytest.mark.parametrize(
    "index, changes",
    [
        (EV_0015, {"date_edtf": "/2023-05-25"}),  # an unknown start is as good as an open one
        (EV_0008, {"date_text_start": "1283", "date_text_end": "1295"}),  # the occurrence it already names
        (EV_0016, {"about_event_id": "ev-0020"}),  # the other report of the call-out: still an occurrence
    ],
    ids=["unknown-start", "same-offsets", "other-occurrence"],
)
def test_equivalent_codings_stay_valid(package: Path, index: int, changes: dict[str, str]) -> None:
    edit_row(package, "events", index, **changes)
    assert validate(package) == (0, [])


@pytest.mark.parametrize(
    "text",
    ["2023-05-24", "2023-05-22/2023-05-25", "../2023-05-25", "/2023-05-25", "2023-04-25~/2023-05-25", "2024-02-29"],
)
def test_the_fast_reader_reads_what_edtf_reads(text: str) -> None:
    assert read_common_form(text) == read_with_edtf(text)


@pytest.mark.parametrize("text", ["2023-05", "2023-05-25/..", "2023-02-30", "2023-05-24~"])
def test_other_forms_are_left_to_edtf(text: str) -> None:
    assert read_common_form(text) is None


@pytest.mark.parametrize(
    "text", [" 2023-05-24", "2023-05-24 ", "2023-05-24\n", "2023-05-22 / 2023-05-25", "\u20032023-05-24"]
)
def test_edtf_with_whitespace_is_not_edtf(text: str) -> None:
    """The edtf parser (pyparsing) skips whitespace; EDTF has none, and the cell would pass as a date."""
    with pytest.raises(EdtfError, match="it holds whitespace"):
        read_edtf(text)
