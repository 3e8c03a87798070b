"""Every row of the README's bump table: each kind of change gives its bump and its exact reason.

Pure diffs of two folders (versioning.diff_packages), no git: fast. The recipe's lines are
written out here again, verbatim from the Data Package Version recipe, so a misquote in
the code fails these tests.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, copy_package
from helpers import read_rows, write_rows
from timeline.versioning import diff_packages
from timeline.versioning.rules import BUMPS, bump_rules_table

NAME = '"Change the data package, resource or field `name` or `identifier`"'
FIELDS = '"Add, remove or re-order fields"'
TYPE = '"Change a field `type` or `format`"'
TIGHTER = '"Change a field `constraint` to be more restrictive"'
REFERENCED = '"Combine, split, delete or change the meaning of data that is referenced by another data resource"'
NEW_RESOURCE = '"Add a new data resource to a data package"'
NEW_DATA = '"Add new data to an existing data resource"'
LOOSER = '"Change a field `constraint` to be less restrictive"'
REFERENCE = '"Update a reference to another data resource"'
CORRECT = '"Correct errors in existing data"'
DESCRIPTIVE = '"Change descriptive metadata properties"'
APPEND_ROWS = '"You append last months data to an existing release. Increment the MINOR version number"'
APPEND_COLUMN = '"You append a column to the data. Increment the MAJOR version number"'
RELOCATE = '"You relocate the data to a new `URL` or `path`. No change in the version number"'
RETITLE = '"You change a `title`, `description`, or other descriptive metadata. Increment the PATCH version"'
FIX_VALUE = '"You fix a data entry error by modifying a value. Increment the PATCH version"'
SPLIT_ROW = '"You split a row of data in a foreign key reference table. Increment the MAJOR version number"'
NEW_REFERENCE_VERSION = (
    '"You update the data and schema to refer to a new version of a foreign key reference table. '
    'Increment the MINOR version number"'
)
TEXT = "source-text-guardian-2023-05-25-b8d63b13"
TEXT_LICENSES = next(
    r["licenses"] for r in json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    if r["name"] == TEXT
)

Mutation = Callable[[Path, Path], None]


def descriptor(package: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = package / "datapackage.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def resource(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in data["resources"] if r["name"] == name)


def schema(package: Path, table: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = package / "schemas" / f"{table}.schema.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def field(table_schema: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in table_schema["fields"] if f["name"] == name)


def on_new(change: Callable[[Path], None]) -> Mutation:
    return lambda old, new: change(new)


def add_resource(package: Path) -> None:
    (package / "data" / "regions.csv").write_bytes((package / "data" / "places.csv").read_bytes())
    descriptor(package, lambda d: d["resources"].append(dict(resource(d, "places"), name="regions",
                                                             path="data/regions.csv")))


def relocate(package: Path) -> None:
    (package / "data" / "places.csv").rename(package / "data" / "places-2.csv")
    descriptor(package, lambda d: resource(d, "places").update(path="data/places-2.csv"))


def add_row(package: Path) -> None:
    header, rows = read_rows(package, "events")
    write_rows(package, "events", header, [*rows, dict(rows[14], event_id="ev-0099")])


def remove_row(package: Path) -> None:
    header, rows = read_rows(package, "events")
    write_rows(package, "events", header, [r for r in rows if r["event_id"] != "ev-0016"])


def correct_value(package: Path) -> None:
    header, rows = read_rows(package, "events")
    rows[0]["summary"] += " (corrected)"
    write_rows(package, "events", header, rows)


def append_column(package: Path) -> None:
    """The recipe's scenario: a column appended to the data (and declared in its schema)."""
    schema(package, "events", lambda s: s["fields"].append(
        {"name": "verified", "type": "boolean", "description": "Whether a second source confirms the event."}))
    header, rows = read_rows(package, "events")
    write_rows(package, "events", [*header, "verified"], [dict(r, verified="") for r in rows])


def rename_column(package: Path) -> None:
    schema(package, "events", lambda s: field(s, "notes").update(name="remarks"))
    header, rows = read_rows(package, "events")
    write_rows(package, "events", [h.replace("notes", "remarks") for h in header],
               [dict(r, remarks=r["notes"]) for r in rows])


def remove_column(package: Path) -> None:
    schema(package, "events", lambda s: s["fields"].remove(field(s, "notes")))
    header, rows = read_rows(package, "events")
    write_rows(package, "events", [h for h in header if h != "notes"], rows)


def reorder(table_schema: dict[str, Any]) -> None:
    fields = table_schema["fields"]
    fields[-1], fields[-2] = fields[-2], fields[-1]


def edit_text(package: Path) -> None:
    path = package / "data" / "sources" / "guardian-2023-05-25-b8d63b13.txt"
    path.write_bytes(path.read_bytes() + b"\n")


def set_id(value: str) -> Callable[[Path], None]:
    return lambda package: descriptor(package, lambda d: d.update(id=value))


def both(change: Callable[[Path], None], then: Callable[[Path], None]) -> Mutation:
    def mutate(old: Path, new: Path) -> None:
        change(old)
        change(new)
        then(new)

    return mutate


FK_PLACE = "{'fields': ['place_id'], 'reference': {'resource': 'places', 'fields': ['place_id']}}"
FK_ACTOR = "{'fields': ['attributed_to'], 'reference': {'resource': 'actors', 'fields': ['actor_id']}}"
FK_NEW = "{'fields': ['source_id', 'quote_start'], 'reference': {'resource': 'sources', 'fields': ['source_id']}}"

# (the kind of change, the change, required bump, every reason the diff gives, exactly)
CASES: list[tuple[str, Mutation, str, list[str]]] = [
    ("resource-added", on_new(add_resource), "minor", [
        f"minor: resource regions added (recipe: {NEW_RESOURCE})"]),
    ("resource-removed", on_new(lambda p: descriptor(p, lambda d: d["resources"].remove(resource(d, TEXT)))),
     "major", [f"major: resource {TEXT} removed (recipe: {REFERENCED}; project rule: any resource, referenced "
               "or not: users' code reads resources by name)"]),
    ("resource-renamed", on_new(lambda p: descriptor(p, lambda d: resource(d, "places").update(name="locations"))),
     "major", [f"major: locations: resource-renamed places -> locations (recipe: {NAME})"]),
    ("path-changed", on_new(relocate), "none", [
        f"none: places: path-changed data/places.csv -> data/places-2.csv (recipe: {RELOCATE})"]),
    ("resource-documentation-changed",
     on_new(lambda p: descriptor(p, lambda d: resource(d, "events").update(title="Events"))), "patch", [
         f"patch: events: resource-documentation-changed title changed (recipe: {DESCRIPTIVE}; {RETITLE})"]),
    ("rows-added", on_new(add_row), "minor", [f"minor: events: 1 rows added (recipe: {NEW_DATA}; {APPEND_ROWS})"]),
    ("rows-removed", on_new(remove_row), "major", [
        f"major: events: 1 rows removed (recipe: {REFERENCED}; {SPLIT_ROW}; project rule: any row, referenced "
        "or not: event ids are cited outside the package)"]),
    ("rows-changed", on_new(correct_value), "patch", [
        f"patch: events: 1 rows changed (recipe: {CORRECT}; {FIX_VALUE}; project rule: a diff cannot tell a "
        'correction from "Change data to reflect changes in referenced data" (MINOR): pass --bump minor for that)']),
    ("file-changed", on_new(edit_text), "patch", [f"patch: {TEXT}: file content changed (recipe: {CORRECT})"]),
    ("field-added", on_new(append_column), "major", [
        f"major: events: field-added field verified added (recipe: {FIELDS}; {APPEND_COLUMN})"]),
    ("field-removed", on_new(remove_column), "major", [
        f"major: events: field-removed field notes removed (recipe: {FIELDS})"]),
    ("field-renamed", on_new(rename_column), "major", [
        f"major: events: field-renamed notes -> remarks (recipe: {NAME})"]),
    ("fields-reordered", on_new(lambda p: schema(p, "events", reorder)), "major", [
        "major: events: fields-reordered ['event_id', 'kind', 'event_type', 'summary', 'date_start', 'date_end', "
        "'date_precision', 'date_text', 'date_basis', 'place_id', 'actor1_id', 'actor2_id', 'attributed_to', "
        "'claim_status', 'about_event_id', 'fatalities', 'source_id', 'quote', 'quote_start', 'quote_end', 'notes', "
        "'date_edtf', 'date_text_start', 'date_text_end'] "
        "-> ['event_id', 'kind', 'event_type', 'summary', 'date_start', 'date_end', 'date_precision', 'date_text', "
        "'date_basis', 'place_id', 'actor1_id', 'actor2_id', 'attributed_to', 'claim_status', 'about_event_id', "
        "'fatalities', 'source_id', 'quote', 'quote_start', 'quote_end', 'notes', 'date_edtf', 'date_text_end', "
        f"'date_text_start'] (recipe: {FIELDS})"]),
    ("field-retyped", on_new(lambda p: schema(p, "events", lambda s: field(s, "fatalities").update(
        type="number"))), "major", [f"major: events: field-retyped type: integer -> number (recipe: {TYPE})"]),
    ("field-retyped", on_new(lambda p: schema(p, "events", lambda s: field(s, "date_start").update(
        format="%d/%m/%Y"))), "major", [f"major: events: field-retyped format: None -> %d/%m/%Y (recipe: {TYPE})"]),
    ("field-documentation-changed", on_new(lambda p: schema(p, "events", lambda s: field(s, "notes").update(
        description="Free-text notes."))), "patch", [
            f"patch: events: field-documentation-changed description changed (recipe: {DESCRIPTIVE})"]),
    ("primary-key-changed", on_new(lambda p: schema(p, "events", lambda s: s.update(primaryKey=["quote"]))),
     "major", [f"major: events: primary-key-changed ['event_id'] -> ['quote'] (recipe: {TIGHTER}; project rule: "
               "also a key removed or widened (less restrictive): rows are addressed by their key (event_id))"]),
    ("primary-key-changed", on_new(lambda p: schema(p, "events", lambda s: s.pop("primaryKey"))),
     "major", [f"major: events: primary-key-changed ['event_id'] -> None (recipe: {TIGHTER}; project rule: "
               "also a key removed or widened (less restrictive): rows are addressed by their key (event_id))"]),
    ("foreign-key-added", on_new(lambda p: schema(p, "events", lambda s: s["foreignKeys"].append(
        {"fields": ["source_id", "quote_start"], "reference": {"resource": "sources", "fields": ["source_id"]}}))),
     "major", [f"major: events: foreign-key-added {FK_NEW} (recipe: {TIGHTER})"]),
    ("foreign-key-removed", on_new(lambda p: schema(p, "events", lambda s: s["foreignKeys"].pop(1))),
     "minor", [f"minor: events: foreign-key-removed {FK_PLACE} (recipe: {LOOSER})"]),
    ("foreign-key-reference-changed", on_new(lambda p: schema(p, "events", lambda s: s["foreignKeys"][4].update(
        reference={"resource": "places", "fields": ["place_id"]}))), "minor", [
            f"minor: events: foreign-key-reference-changed {FK_ACTOR} -> "
            "{'fields': ['attributed_to'], 'reference': {'resource': 'places', 'fields': ['place_id']}} "
            f"(recipe: {REFERENCE}; {NEW_REFERENCE_VERSION})"]),
    ("missing-values-changed", on_new(lambda p: schema(p, "events", lambda s: s.update(missingValues=["", "NA"]))),
     "major", ["major: events: missing-values-changed [''] -> ['', 'NA'] (project rule: not in the recipe; the same "
               'cell now reads as a different value (e.g. "NA" as empty), a change of meaning like a type change)']),
    ("metadata-changed", on_new(lambda p: descriptor(p, lambda d: d.update(title="A new title"))), "patch", [
        f"patch: metadata title changed (recipe: {DESCRIPTIVE}; {RETITLE})"]),
    ("metadata-changed", on_new(lambda p: descriptor(p, lambda d: d["keywords"].append("drones"))),
     "patch", [f"patch: metadata keywords changed (recipe: {DESCRIPTIVE}; {RETITLE})"]),
    ("package-renamed", on_new(lambda p: descriptor(p, lambda d: d.update(name="belgorod-timeline"))), "major", [
        f"major: metadata name changed (recipe: {NAME})"]),
    ("identifier-added", on_new(set_id("https://doi.org/10.5281/zenodo.1")), "patch", [
        f"patch: metadata id changed (recipe: {DESCRIPTIVE}; project rule: a first identifier changes no "
        "reference anyone could hold)"]),
    ("identifier-changed", both(set_id("https://doi.org/10.5281/zenodo.1"), set_id("https://doi.org/10.5281/zenodo.2")),
     "major", [f"major: metadata id changed (recipe: {NAME})"]),
    ("license-changed", on_new(lambda p: descriptor(p, lambda d: d["licenses"][0].update(name="CC0-1.0"))), "major", [
        "major: metadata licenses changed (project rule: not in the recipe; a licence says what users may do, "
        "so it is not descriptive metadata)"]),
    ("license-changed", on_new(lambda p: descriptor(p, lambda d: resource(d, TEXT).pop("licenses"))),
     "major", [f"major: {TEXT}: license-changed licenses: {TEXT_LICENSES} -> None (project rule: not in the "
               "recipe; a licence says what users may do, so it is not descriptive metadata)"]),
]

TIGHTENED = f"(recipe: {TIGHTER})"
PATTERN_CHANGED = (
    f"(recipe: {TIGHTER}; project rule: counted as more restrictive: whether a new pattern accepts every old "
    "value cannot be decided)"
)
LOOSENED = f"(recipe: {LOOSER})"
# Every constraint of the Table Schema, tightened and loosened: (field, key, new value, bump, detail)
CONSTRAINTS: list[tuple[str, str, Any, str, str]] = [
    ("notes", "required", True, "major", "constraint-tightened required: False -> True"),
    ("summary", "required", None, "minor", "constraint-loosened required: True -> False"),
    ("summary", "unique", True, "major", "constraint-tightened unique: False -> True"),
    ("event_id", "unique", None, "minor", "constraint-loosened unique: True -> False"),
    ("kind", "enum", ["occurrence"], "major", "constraint-tightened enum values removed: ['statement']"),
    ("kind", "enum", ["occurrence", "statement", "rumour"], "minor",
     "constraint-loosened enum values added: ['rumour']"),
    ("notes", "enum", ["x"], "major", "constraint-tightened enum added: ['x']"),
    ("kind", "enum", None, "minor", "constraint-loosened enum removed"),
    ("fatalities", "minimum", 1, "major", "constraint-tightened minimum: 0 -> 1"),
    ("quote_end", "minimum", 0, "minor", "constraint-loosened minimum: 1 -> 0"),
    ("fatalities", "minimum", None, "minor", "constraint-loosened minimum removed (was 0)"),
    ("fatalities", "maximum", 1000, "major", "constraint-tightened maximum added: 1000"),
    ("summary", "minLength", 10, "major", "constraint-tightened minLength added: 10"),
    ("summary", "maxLength", 5000, "major", "constraint-tightened maxLength added: 5000"),
    ("notes", "pattern", "^[A-Z]", "major", "constraint-tightened pattern: None -> ^[A-Z]"),
    ("event_id", "pattern", "^ev-[0-9]+$", "major",
     "pattern-changed pattern: ^ev-[0-9]{4,}$ -> ^ev-[0-9]+$"),
    ("event_id", "pattern", None, "minor", "constraint-loosened pattern removed (was ^ev-[0-9]{4,}$)"),
]
# Bounds moved both ways on a field that already has them: (key, old value, new value, bump, detail)
BOUNDS: list[tuple[str, int, int, str, str]] = [
    ("maximum", 100, 50, "major", "constraint-tightened maximum: 100 -> 50"),
    ("maximum", 100, 200, "minor", "constraint-loosened maximum: 100 -> 200"),
    ("minLength", 2, 3, "major", "constraint-tightened minLength: 2 -> 3"),
    ("minLength", 2, 1, "minor", "constraint-loosened minLength: 2 -> 1"),
    ("maxLength", 9000, 8000, "major", "constraint-tightened maxLength: 9000 -> 8000"),
    ("maxLength", 9000, 9001, "minor", "constraint-loosened maxLength: 9000 -> 9001"),
    ("maxLength", 9000, None, "minor", "constraint-loosened maxLength removed (was 9000)"),  # type: ignore[list-item]
]


def set_constraint(package: Path, name: str, key: str, value: Any) -> None:
    """Set (or, with value None, drop) constraint KEY of events field NAME."""

    def change(table_schema: dict[str, Any]) -> None:
        constraints = field(table_schema, name).setdefault("constraints", {})
        if value is None:
            constraints.pop(key)
        else:
            constraints[key] = value

    schema(package, "events", change)


def diff_after(tmp_path: Path, mutate: Mutation) -> Any:
    old, new = copy_package(tmp_path / "old"), copy_package(tmp_path / "new")
    mutate(old, new)
    return diff_packages(old, new)


def kinds(diff: Any) -> set[str]:
    """The kinds of change a diff found, as the rules table names them."""
    found = {kind for r in diff.resources for kind, _ in r.classified()}
    return found | {m.kind for m in diff.metadata_changes}


IDS = [f"{kind}-{i}" for i, (kind, *_) in enumerate(CASES)]


@pytest.mark.parametrize(("kind", "change", "bump", "reasons"), CASES, ids=IDS)
def test_each_kind_of_change_requires_its_bump_for_the_recipe_reason(
    tmp_path: Path, kind: str, change: Mutation, bump: str, reasons: list[str]
) -> None:
    diff = diff_after(tmp_path, change)
    assert diff.reasons == reasons
    assert kinds(diff) == {kind}
    assert diff.required_bump == bump
    assert diff.changed


@pytest.mark.parametrize(("name", "key", "value", "bump", "detail"), CONSTRAINTS, ids=[c[4] for c in CONSTRAINTS])
def test_each_constraint_tightened_is_major_and_loosened_is_minor(
    tmp_path: Path, name: str, key: str, value: Any, bump: str, detail: str
) -> None:
    diff = diff_after(tmp_path, lambda old, new: set_constraint(new, name, key, value))
    source = PATTERN_CHANGED if detail.startswith("pattern-changed") else TIGHTENED if bump == "major" else LOOSENED
    assert diff.reasons == [f"{bump}: events: {detail} {source}"]
    assert diff.required_bump == bump


@pytest.mark.parametrize(("key", "before", "after", "bump", "detail"), BOUNDS, ids=[b[4] for b in BOUNDS])
def test_bounds_moved_either_way(
    tmp_path: Path, key: str, before: int, after: int | None, bump: str, detail: str
) -> None:
    def mutate(old: Path, new: Path) -> None:
        set_constraint(old, "summary", key, before)
        set_constraint(new, "summary", key, before)
        set_constraint(new, "summary", key, after)

    diff = diff_after(tmp_path, mutate)
    assert diff.reasons == [f"{bump}: events: {detail} {TIGHTENED if bump == 'major' else LOOSENED}"]
    assert diff.required_bump == bump


def test_an_unchanged_package_needs_no_version() -> None:
    diff = diff_packages(Path(__file__).parents[1], Path(__file__).parents[1])
    assert (diff.required_bump, diff.reasons, diff.changed) == ("none", [], False)


def test_every_rule_of_the_bump_table_has_a_case() -> None:
    """The README's table is BUMPS; each of its rows is produced by a case above."""
    covered = {kind for kind, *_ in CASES} | {detail.split(" ", 1)[0] for *_, detail in CONSTRAINTS}
    assert covered == set(BUMPS)


def test_readme_bump_table_is_generated_from_the_rules(repo: Path) -> None:
    readme = (repo / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- bump-rules:start -->\n", 1)[1].split("<!-- bump-rules:end -->", 1)[0]
    assert block == bump_rules_table()
    assert all(f"| `{kind}` | **{rule.bump.upper()}** |" in block for kind, rule in BUMPS.items())


def test_a_moved_bound_that_is_not_a_number_counts_as_tightened(tmp_path: Path) -> None:
    def mutate(old: Path, new: Path) -> None:
        set_constraint(old, "date_end", "minimum", "2023-01-01")
        set_constraint(new, "date_end", "minimum", "2023-02-01")

    diff = diff_after(tmp_path, mutate)
    assert diff.reasons == [f"major: events: constraint-tightened minimum: 2023-01-01 -> 2023-02-01 {TIGHTENED}"]
