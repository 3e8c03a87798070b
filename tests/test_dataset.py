"""The real package, checked independently of the timeline library where possible."""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
from pathlib import Path

from frictionless import Package

from timeline.codebook import CODEBOOK_PATH, render_codebook

TABLES = ["sources", "actors", "places", "events"]


def rows(repo: Path, table: str) -> list[dict[str, str]]:
    with open(repo / "data" / f"{table}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def texts(repo: Path) -> dict[str, str]:
    return {s["source_id"]: (repo / s["text_path"]).read_text(encoding="utf-8") for s in rows(repo, "sources")}


def test_frictionless_validates_with_no_errors_or_warnings(repo: Path) -> None:
    report = Package(str(repo / "datapackage.json")).validate()
    flat = report.flatten(["type", "note"])
    assert report.valid, flat
    assert report.warnings == []
    assert all(task.warnings == [] for task in report.tasks)
    assert [task.name for task in report.tasks] == [*TABLES, "source-text-guardian-2023-05-25-b8d63b13"]


def test_every_resource_declares_sha256_hash_bytes_and_encoding(repo: Path) -> None:
    descriptor = json.loads((repo / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        data = (repo / resource["path"]).read_bytes()
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest(), resource["name"]
        assert resource["bytes"] == len(data)
        assert resource["encoding"] == "utf-8"


def test_csv_files_are_utf8_lf_without_bom(repo: Path) -> None:
    for table in TABLES:
        data = (repo / "data" / f"{table}.csv").read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf")
        assert b"\r" not in data
        data.decode("utf-8")


def test_every_quote_is_the_source_text_at_its_offsets(repo: Path) -> None:
    source_texts = texts(repo)
    events = rows(repo, "events")
    assert len(events) >= 12
    for event in events:
        text = source_texts[event["source_id"]]
        start, end = int(event["quote_start"]), int(event["quote_end"])
        assert 0 <= start < end <= len(text), event["event_id"]
        assert text[start:end] == event["quote"], event["event_id"]


def test_date_text_is_verbatim_from_the_source(repo: Path) -> None:
    source_texts = texts(repo)
    for event in rows(repo, "events"):
        if event["date_text"]:
            assert event["date_text"] in source_texts[event["source_id"]], event["event_id"]


def test_dates_are_ordered_and_never_after_publication(repo: Path) -> None:
    published = {s["source_id"]: datetime.date.fromisoformat(s["published"]) for s in rows(repo, "sources")}
    for event in rows(repo, "events"):
        end = datetime.date.fromisoformat(event["date_end"])
        assert end <= published[event["source_id"]], event["event_id"]
        if event["date_start"]:
            assert datetime.date.fromisoformat(event["date_start"]) <= end, event["event_id"]
        else:
            assert event["date_precision"] == "on-or-before", event["event_id"]


def test_ids_are_unique_and_foreign_keys_resolve(repo: Path) -> None:
    ids = {table: [r[f"{table[:-1]}_id"] for r in rows(repo, table)] for table in TABLES}
    for table, values in ids.items():
        assert len(values) == len(set(values)), table
    for event in rows(repo, "events"):
        assert event["source_id"] in ids["sources"]
        assert not event["place_id"] or event["place_id"] in ids["places"]
        for column in ("actor1_id", "actor2_id", "attributed_to"):
            assert not event[column] or event[column] in ids["actors"], (event["event_id"], column)
        assert not event["about_event_id"] or event["about_event_id"] in ids["events"]


def test_statements_say_who_asserts_them_and_denials_point_at_what_they_deny(repo: Path) -> None:
    events = {e["event_id"]: e for e in rows(repo, "events")}
    for event in events.values():
        assert event["attributed_to"], event["event_id"]
        if event["claim_status"] == "denied" or event["event_type"] in ("denial", "claim-of-responsibility"):
            assert event["kind"] == "statement"
            assert events[event["about_event_id"]]["kind"] == "occurrence"
    denial = next(e for e in events.values() if e["event_type"] == "denial")
    assert events[denial["about_event_id"]]["event_type"] == "fire"


def test_no_invented_headline_or_url(repo: Path) -> None:
    (source,) = rows(repo, "sources")
    assert source["title"] == "" and source["url"] == ""
    assert source["published"] == "2023-05-25"


def test_archived_text_matches_its_recorded_sha256_and_length(repo: Path) -> None:
    for source in rows(repo, "sources"):
        data = (repo / source["text_path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == source["text_sha256"]
        assert len(data.decode("utf-8")) == int(source["text_chars"])


# sha256 of the article as received (shared/source/000_b8d63b131d24ebce.txt): recorded here so the
# test needs nothing outside the repository, and fails if the archived copy or its record drifts.
ARTICLE_AS_RECEIVED_SHA256 = "80e14b4c5ebde2edd56b58c75d55d5889df4142644878f2848946432885e9dc3"


def test_archived_text_is_byte_identical_to_the_article_as_received(repo: Path) -> None:
    (source,) = rows(repo, "sources")
    assert hashlib.sha256((repo / source["text_path"]).read_bytes()).hexdigest() == ARTICLE_AS_RECEIVED_SHA256
    assert source["text_sha256"] == ARTICLE_AS_RECEIVED_SHA256


def test_codebook_is_generated_from_the_schemas(repo: Path) -> None:
    assert (repo / CODEBOOK_PATH).read_text(encoding="utf-8") == render_codebook(repo)


def test_every_vocabulary_value_is_documented_with_its_enum(repo: Path) -> None:
    codebook = (repo / CODEBOOK_PATH).read_text(encoding="utf-8")
    vocabularies = 0
    for schema_path in sorted((repo / "schemas").glob("*.schema.json")):
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        for field in schema.get("fields", []):
            if "categories" in field:
                vocabularies += 1
                values = [c["value"] for c in field["categories"]]
                assert field["constraints"]["enum"] == values, field["name"]
                for value in values:
                    assert f"| `{value}` |" in codebook, value
    assert vocabularies == 6  # kind, event_type, claim_status, date_precision, geo_precision, actor_type


def test_event_types_map_to_acled_and_plover(repo: Path) -> None:
    schema = json.loads((repo / "schemas/events.schema.json").read_text(encoding="utf-8"))
    (field,) = [f for f in schema["fields"] if f["name"] == "event_type"]
    for category in field["categories"]:
        assert category["kind"] in ("occurrence", "statement")
        assert category["acled"] and category["plover"] and category["mapping_basis"], category["value"]
        assert category["actor2"] in ("required", "optional"), category["value"]
        if category["kind"] == "statement":  # ACLED codes no statements (issue 12)
            assert category["acled"] == "not coded by ACLED (statements are not events)", category["value"]
        assert "ACLED Codebook" in category["mapping_basis"] and "PLOVER Manual" in category["mapping_basis"]
    denial = next(c for c in field["categories"] if c["value"] == "denial")
    assert denial["plover"].startswith("none") and denial["about_kinds"] == ["occurrence"]


def test_citation_cff_meets_the_official_cff_1_2_0_schema(repo: Path) -> None:
    import yaml
    from jsonschema import Draft7Validator

    official = json.loads((Path(__file__).parent / "schemas/citation-file-format-1.2.0.schema.json").read_text())
    citation = yaml.safe_load((repo / "CITATION.cff").read_text(encoding="utf-8"))
    assert list(Draft7Validator(official).iter_errors(citation)) == []
    descriptor = json.loads((repo / "datapackage.json").read_text(encoding="utf-8"))
    assert citation["version"] == descriptor["version"]
