"""timeline export: SQLite opened by Datasette, GeoJSON checked by `geojson`, TimelineJS by its documented fields."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import geojson
import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from conftest import REPO
from timeline.cli import cli

# the version of the package being exported (the real one): each export must carry it
VERSION = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))["version"]

SCHEMAS = Path(__file__).parent / "schemas"
FORMATS = {"sqlite": "belgorod-raid-timeline.db", "geojson": "x.geojson", "timelinejs": "x.timelinejs.json"}


def export(package: Path, fmt: str, out: Path) -> dict:
    result = CliRunner().invoke(cli, ["export", fmt, "--package", str(package), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from conftest import copy_package

    package = copy_package(tmp_path_factory.mktemp("export") / "pkg")
    paths = {}
    for fmt, name in FORMATS.items():
        paths[fmt] = package.parent / "out" / name
        export(package, fmt, paths[fmt])
    paths["package"] = package
    return paths


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_export_is_byte_identical_when_made_again(exported: dict[str, Path], fmt: str, tmp_path: Path) -> None:
    again = tmp_path / FORMATS[fmt]
    result = export(exported["package"], fmt, again)
    assert again.read_bytes() == exported[fmt].read_bytes()
    assert result["version"] == VERSION and result["files"][0]["path"] == str(again)


def test_default_export_path_has_the_version_in_its_folder(package: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "geojson", "--package", str(package)])
    assert result.exit_code == 0, result.output
    assert (package / f"dist/exports-{VERSION}/belgorod-raid-timeline.geojson").is_file()


def test_sqlite_has_types_keys_clean_foreign_keys_and_search(exported: dict[str, Path]) -> None:
    db = sqlite3.connect(exported["sqlite"])
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    columns = {row[1]: row[2] for row in db.execute("PRAGMA table_info(events)")}
    assert (columns["event_id"], columns["quote_start"], columns["fatalities"], columns["date_start"]) == (
        "TEXT", "INTEGER", "INTEGER", "TEXT",
    )  # fmt: skip
    assert {row[1]: row[2] for row in db.execute("PRAGMA table_info(places)")}["latitude"] == "REAL"
    pk = [row[1] for row in db.execute("PRAGMA table_info(events)") if row[5]]
    assert pk == ["event_id"]
    references = sorted((row[3], row[2], row[4]) for row in db.execute("PRAGMA foreign_key_list(events)"))
    assert references == [
        ("about_event_id", "events", "event_id"),
        ("actor1_id", "actors", "actor_id"),
        ("actor2_id", "actors", "actor_id"),
        ("attributed_to", "actors", "actor_id"),
        ("place_id", "places", "place_id"),
        ("source_id", "sources", "source_id"),
    ]
    found = db.execute(
        "SELECT event_id FROM events WHERE rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH 'Shahed')"
    ).fetchall()
    assert found == [("ev-0014",)]
    assert dict(db.execute("SELECT key, value FROM release"))["version"] == VERSION
    assert dict(db.execute("SELECT key, value FROM release"))["license"] == "CC-BY-4.0"


def test_datasette_metadata_describes_every_column_from_the_table_schemas(exported: dict[str, Path]) -> None:
    metadata = json.loads(exported["sqlite"].with_name("belgorod-raid-timeline.metadata.json").read_text("utf-8"))
    assert metadata["license"] == "CC-BY-4.0" and f"(version {VERSION})" in metadata["title"]
    assert metadata["source"].startswith("The Guardian")
    tables = metadata["databases"]["belgorod-raid-timeline"]["tables"]
    for name in ("sources", "actors", "places", "events"):
        schema = json.loads((exported["package"] / f"schemas/{name}.schema.json").read_text("utf-8"))
        assert tables[name]["columns"] == {f["name"]: f["description"] for f in schema["fields"]}


def test_datasette_serves_the_events_table_a_row_and_a_search(exported: dict[str, Path]) -> None:
    from datasette.app import Datasette

    metadata = json.loads(exported["sqlite"].with_name("belgorod-raid-timeline.metadata.json").read_text("utf-8"))
    datasette = Datasette([str(exported["sqlite"])], metadata=metadata)

    async def fetch() -> list:
        return [
            await datasette.client.get(path)
            for path in (
                "/belgorod-raid-timeline/events.json?_shape=array&_size=max",
                "/belgorod-raid-timeline/events/ev-0016.json?_shape=array",
                "/belgorod-raid-timeline/events.json?_search=drones&_shape=array",
                "/belgorod-raid-timeline/events",
            )
        ]

    table, row, search, page = asyncio.run(fetch())
    assert table.status_code == row.status_code == search.status_code == page.status_code == 200
    assert [r["event_id"] for r in table.json()] == [f"ev-{n:04d}" for n in range(1, 21)]
    assert row.json()[0]["claim_status"] == "denied" and row.json()[0]["about_event_id"] == "ev-0015"
    assert sorted(r["event_id"] for r in search.json()) == ["ev-0013", "ev-0014", "ev-0019"]  # "drones", not "drone"
    for shown in (
        "CC-BY-4.0",
        "Data source: The Guardian, article of 2023-05-25",
        f"of belgorod-raid-timeline {VERSION}",
    ):
        assert shown in page.text


def test_geojson_is_valid_rfc7946_without_invented_points(exported: dict[str, Path]) -> None:
    collection = geojson.loads(exported["geojson"].read_text("utf-8"))
    assert collection.is_valid, collection.errors()
    assert collection["type"] == "FeatureCollection"
    assert [f["id"] for f in collection["features"]] == ["belgorod-oblast", "kyiv", "moscow-ministry-of-defence"]
    kyiv = next(f for f in collection["features"] if f["id"] == "kyiv")
    assert kyiv["geometry"]["coordinates"] == [30.52, 50.45]  # longitude first
    assert [e["event_id"] for e in kyiv["properties"]["events"]] == ["ev-0011", "ev-0012", "ev-0013", "ev-0019"]
    unplaced = {p["place_id"]: [e["event_id"] for e in p["events"]] for p in collection["places_without_coordinates"]}
    assert unplaced == {
        "northern-ukraine-near-russian-border": ["ev-0007"],
        "ukrainian-side-of-russian-border": ["ev-0006"],
        "russia": ["ev-0017"],
    }
    assert collection["version"] == VERSION and collection["license"] == "CC-BY-4.0"


def test_timelinejs_uses_only_documented_fields_and_keeps_open_bounds_honest(exported: dict[str, Path]) -> None:
    document = json.loads(exported["timelinejs"].read_text("utf-8"))
    schema = json.loads((SCHEMAS / "timelinejs.schema.json").read_text("utf-8"))
    assert [e.message for e in Draft202012Validator(schema).iter_errors(document)] == []
    slides = {s["unique_id"]: s for s in document["events"]}
    assert len(slides) == 20
    assert slides["ev-0001"]["start_date"] == {"year": 2023, "month": 5, "day": 22}
    assert slides["ev-0001"]["end_date"] == {"year": 2023, "month": 5, "day": 25}
    assert slides["ev-0001"]["display_date"] == "22–25 May 2023 · “this week”"
    assert slides["ev-0012"]["display_date"] == "from about 25 Apr to 25 May 2023 · “month-long”"
    assert slides["ev-0016"]["display_date"] == "on or before 25 May 2023 · no dating words"
    assert "end_date" not in slides["ev-0016"] and "end_date" not in slides["ev-0007"]
    assert {s["group"] for s in document["events"]} == {"occurrence", "statement"}
    assert "Russia has denied a fire broke out" in slides["ev-0016"]["text"]["text"]
    assert "Who says so: Government of Russia (denied)" in slides["ev-0016"]["text"]["text"]
    assert (
        f"Version {VERSION}" in document["title"]["text"]["text"] and "CC-BY-4.0" in document["title"]["text"]["text"]
    )


def test_export_refuses_an_unknown_format() -> None:
    result = CliRunner().invoke(cli, ["export", "kml"])
    assert result.exit_code == 2
    assert "Invalid value for 'FORMAT': 'kml' is not one of 'sqlite', 'geojson', 'timelinejs'." in result.stderr
