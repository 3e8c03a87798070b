"""`timeline diff`, `release --dry-run` and `cite` on unreadable or hostile packages (issue 10, classes 2-3).

The git cases use conftest's ``released`` repository (release 1.0.0 made by `timeline release`).

An unreadable table or schema is one message naming the snapshot, the file, the line and what
is wrong (exit 2), as clear as `timeline validate`, never an internal error; a committed YAML
alias bomb hangs nothing. ``attack`` asserts no file changed, no network, the time bound.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from attack_helpers import (
    ALIAS_BOMB,
    DEEP,
    EVENTS,
    Mutation,
    NetworkRecorder,
    attack,
    delete,
    fifo,
    replace_bytes,
    symlink_outside,
    table_schema,
    write,
)
from conftest import copy_package
from helpers import git

HINT = "; run `timeline validate` on that version for every problem"


def append_line(relative: str, line: str) -> Mutation:
    def mutate(pkg: Path, url: str) -> None:
        with open(pkg / relative, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")

    return mutate


def lines(pkg: Path, relative: str) -> int:
    return (pkg / relative).read_bytes().count(b"\n")


# (id, mutation of NEW, expected message after "<NEW>: "; {line} is the line the mutation added)
UNREADABLE = [
    ("unquoted-comma", append_line(EVENTS, ",".join(["x"] * 25)), "data/events.csv, line {line}: 25 cells, "
     "the header has 24 (an unquoted comma?)" + HINT),
    ("missing-cell", append_line(EVENTS, "ev-0099,occurrence"), "data/events.csv, line {line}: 2 cells, "
     "the header has 24 (a missing cell?)" + HINT),
    ("blank-line", append_line(EVENTS, ""), "data/events.csv, line {line}: a blank line" + HINT),
    ("latin1-byte", replace_bytes(EVENTS, "Kyiv’s".encode(), b"Kyiv\xe9s", stamp=False),
     "data/events.csv: line 14, byte {column} (0xe9) is not UTF-8" + HINT),
    ("missing-places", delete("data/places.csv"), "data/places.csv: no such file"),
    ("fifo-events", fifo(EVENTS), "data/events.csv: is a FIFO (named pipe), not a regular file; not opened"),
    ("events-symlink-outside", symlink_outside(EVENTS), "data/events.csv: resolves to {outside}, "
     "outside the package (a symlink?); not opened"),
    ("fifo-schema", fifo("schemas/places.schema.json"), "schemas/places.schema.json: is a FIFO (named pipe), "
     "not a regular file; not opened"),
    ("schema-not-json", write("schemas/places.schema.json", "{oops"), "schemas/places.schema.json: invalid JSON "
     "at line 1, column 2: Expecting property name enclosed in double quotes"),
    ("deep-schema", write("schemas/places.schema.json", DEEP), "schemas/places.schema.json: nested more than "
     "64 levels deep"),
    ("schema-a-list", write("schemas/places.schema.json", "[]"), "resource 'places': its Table Schema is not a "
     "JSON object"),
]


@pytest.mark.parametrize("mutate, expected", [c[1:] for c in UNREADABLE], ids=[c[0] for c in UNREADABLE])
def test_diff_names_the_unreadable_file_and_line(
    tmp_path: Path, network: NetworkRecorder, mutate: Mutation, expected: str
) -> None:
    old, new = copy_package(tmp_path / "old"), copy_package(tmp_path / "new")
    added = lines(new, EVENTS) + 1
    column = (new / EVENTS).read_bytes().split(b"\n")[13].find("Kyiv’s".encode()) + 5
    mutate(new, network.url)
    code, output = attack(tmp_path / "old", network, "diff", str(old), str(new))
    message = expected.format(line=added, outside=tmp_path / "outside-events.csv", column=column)
    assert code == 2
    assert output.startswith(f"Error: {new}: ") and output.count("\n") == 1, output
    assert output == f"Error: {new}: {message}\n"


def test_diff_survives_schemas_it_cannot_compare(tmp_path: Path, network: NetworkRecorder) -> None:
    """Nameless fields, constraints of the wrong type, odd foreign keys: reported changes, not a crash."""
    old, new = copy_package(tmp_path / "old"), copy_package(tmp_path / "new")

    def garble(schema: dict) -> None:
        schema["fields"][0]["constraints"] = ["required"]
        schema["fields"][1]["constraints"] = {"maxLength": "ten", "enum": 5}
        schema["fields"].append({"type": "string"})
        schema["foreignKeys"] = "none"
        schema["primaryKey"] = "event_id"

    table_schema("events", garble)(new, network.url)
    code, output = attack(tmp_path / "old", network, "diff", str(old), str(new), "--json")
    assert code == 0, output
    changes = json.loads(output)["resources"]
    events = next(r for r in changes if r["name"] == "events")
    assert events["schema_changes"], events


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (append_line(EVENTS, ",".join(["x"] * 25)), "Error: working tree: data/events.csv, line {line}: 25 cells"),
        (delete("data/places.csv"), "Error: working tree: data/places.csv: no such file\n"),
        (fifo(EVENTS), "Error: working tree: data/events.csv: is a FIFO (named pipe)"),
    ],
    ids=["unquoted-comma", "missing-places", "fifo-events"],
)
def test_release_dry_run_names_the_unreadable_table(
    released: Path, network: NetworkRecorder, mutate: Mutation, expected: str
) -> None:
    added = lines(released, EVENTS) + 1
    mutate(released, network.url)
    code, output = attack(released, network, "release", "--dry-run", "--package", str(released))
    assert code == 2
    assert output.startswith(expected.format(line=added)) and output.count("\n") == 1, output


def test_committed_alias_bomb_hangs_neither_cite_diff_nor_release(released: Path, network: NetworkRecorder) -> None:
    write("CITATION.cff", ALIAS_BOMB)(released, network.url)
    git(released, "commit", "-q", "-am", "a CITATION.cff alias bomb")
    code, output = attack(released, network, "cite", "--package", str(released))
    assert code == 0 and "(Version 1.0.0)" in output, output
    code, output = attack(released, network, "diff", "--package", str(released))
    assert code == 0, output
    code, output = attack(released, network, "release", "--dry-run", "--package", str(released))
    assert code == 1 and "`timeline validate` finds" in output, output
