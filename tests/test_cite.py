"""Citation rendering: pinned URL from homepage, DOI from id, and every format's shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator, Draft202012Validator

from timeline.citation import FORMATS, citation_cff, citation_from, render_citation, render_downloads, zenodo_json

SHA = "a" * 64
DESCRIPTOR = {
    "name": "belgorod-raid-timeline",
    "title": "A title with & and _",
    "description": "About it.",
    "homepage": "https://example.org/belgorod-raid-timeline/",
    "id": "https://doi.org/10.5281/zenodo.1234567",
    "keywords": ["event data"],
    "contributors": [{"title": "Team", "roles": ["creator"]}, {"givenName": "Ada", "familyName": "Lovelace"}],
    "resources": [{"name": "events", "path": "data/events.csv", "hash": f"sha256:{SHA}"}],
}
BASE = "https://example.org/belgorod-raid-timeline"
TEXT = "data/sources/guardian-2023-05-25-b8d63b13.txt"


@pytest.fixture
def citation():
    cff = citation_cff(DESCRIPTOR, "1.2.0", "2026-12-24")
    return citation_from(DESCRIPTOR, cff, "1.2.0", "2026-12-24")


def test_url_is_pinned_to_the_release_and_doi_comes_from_id(citation) -> None:
    assert citation.url == "https://example.org/belgorod-raid-timeline/releases/tag/v1.2.0"
    assert citation.doi == "10.5281/zenodo.1234567"
    assert citation.authors == ["Team", "Ada Lovelace"]
    assert render_citation(citation, "text") == (
        "Team, Ada Lovelace (2026). A title with & and _ (Version 1.2.0) [Data set]. belgorod-raid-timeline, "
        "released 2026-12-24. https://example.org/belgorod-raid-timeline/releases/tag/v1.2.0. "
        f"sha256 of data/events.csv: {SHA}.\n"
    )


def test_bibtex_escapes_and_carries_url_and_doi(citation) -> None:
    bibtex = render_citation(citation, "bibtex")
    assert bibtex.startswith("@misc{belgorod-raid-timeline_1_2_0,\n")
    assert "  title = {{A title with \\& and \\_}},\n" in bibtex
    assert "  author = {{Team} and Lovelace, Ada},\n" in bibtex  # a group braced whole; a person family first
    assert "  url = {https://example.org/belgorod-raid-timeline/releases/tag/v1.2.0},\n" in bibtex
    assert bibtex.endswith("  doi = {10.5281/zenodo.1234567}\n}\n")


def test_ris_and_csl_carry_url_and_doi(citation) -> None:
    ris = render_citation(citation, "ris").splitlines()
    assert "DO  - 10.5281/zenodo.1234567" in ris
    assert [line for line in ris if line.startswith("AU")] == ["AU  - Team", "AU  - Lovelace, Ada"]
    csl = json.loads(render_citation(citation, "csl-json"))
    schema = json.loads((Path(__file__).parent / "schemas/csl-data.json").read_text())
    assert list(Draft7Validator(schema).iter_errors(csl)) == []
    assert csl[0]["DOI"] == "10.5281/zenodo.1234567" and csl[0]["issued"] == {"date-parts": [[2026, 12, 24]]}
    assert csl[0]["author"] == [{"literal": "Team"}, {"family": "Lovelace", "given": "Ada"}]


def test_cff_and_zenodo_meet_their_schemas_with_identifiers(repo: Path, citation) -> None:
    cff = yaml.safe_load(citation.cff)
    schema = json.loads((repo / "schemas/citation-cff.schema.json").read_text())
    assert list(Draft202012Validator(schema).iter_errors(cff)) == []
    assert cff["authors"] == [{"name": "Team"}, {"family-names": "Lovelace", "given-names": "Ada"}]
    assert [(i["type"], i["value"]) for i in cff["identifiers"]] == [
        ("doi", "10.5281/zenodo.1234567"),
        ("url", f"{BASE}/releases/tag/v1.2.0"),
        ("url", f"{BASE}/releases/download/v1.2.0/belgorod-raid-timeline-1.2.0.zip"),
        ("url", f"{BASE}/releases/download/v1.2.0/belgorod-raid-timeline-1.2.0.tar.gz"),
        ("other", f"sha256:{SHA}"),
    ]
    official = json.loads((Path(__file__).parent / "schemas/citation-file-format-1.2.0.schema.json").read_text())
    assert list(Draft7Validator(official).iter_errors(cff)) == []
    zenodo = json.loads(zenodo_json(DESCRIPTOR, "1.2.0", "2026-12-24"))
    schema = json.loads((repo / "schemas/zenodo.schema.json").read_text())
    assert list(Draft202012Validator(schema).iter_errors(zenodo)) == []
    assert [(r["identifier"], r["relation"]) for r in zenodo["related_identifiers"]] == [
        (f"{BASE}/releases/tag/v1.2.0", "isSupplementTo"),
        (f"{BASE}/releases/download/v1.2.0/belgorod-raid-timeline-1.2.0.zip", "isIdenticalTo"),
        (f"{BASE}/releases/download/v1.2.0/belgorod-raid-timeline-1.2.0.tar.gz", "isIdenticalTo"),
    ]
    assert zenodo["creators"] == [{"name": "Team"}, {"name": "Lovelace, Ada"}]  # Zenodo's "Family, Given"


def test_unknown_format_is_refused(citation) -> None:
    assert "cff" in FORMATS
    with pytest.raises(ValueError, match="unknown citation format 'mla'"):
        render_citation(citation, "mla")


def test_download_urls_are_pinned_to_the_release_tag(citation) -> None:
    assert citation.downloads == [
        {
            "file": "belgorod-raid-timeline-1.2.0.zip",
            "url": f"{BASE}/releases/download/v1.2.0/belgorod-raid-timeline-1.2.0.zip",
        },
        {
            "file": "belgorod-raid-timeline-1.2.0.tar.gz",
            "url": f"{BASE}/releases/download/v1.2.0/belgorod-raid-timeline-1.2.0.tar.gz",
        },
        {"file": "data/events.csv", "url": f"{BASE}/raw/v1.2.0/data/events.csv"},
    ]
    assert render_downloads(citation) == (
        "\nDownload release 1.2.0:\n"
        f"  belgorod-raid-timeline-1.2.0.zip: {BASE}/releases/download/v1.2.0/belgorod-raid-timeline-1.2.0.zip\n"
        f"  belgorod-raid-timeline-1.2.0.tar.gz: {BASE}/releases/download/v1.2.0/belgorod-raid-timeline-1.2.0.tar.gz\n"
        f"  data/events.csv: {BASE}/raw/v1.2.0/data/events.csv\n"
    )


def test_without_a_homepage_no_location_is_guessed() -> None:
    bare = {k: v for k, v in DESCRIPTOR.items() if k not in ("homepage", "id")}
    cff_text = citation_cff(bare, "1.2.0", "2026-12-24")
    citation = citation_from(bare, cff_text, "1.2.0", "2026-12-24")
    assert (citation.url, citation.doi, citation.downloads, render_downloads(citation)) == ("", "", [], "")
    assert [i["type"] for i in yaml.safe_load(cff_text)["identifiers"]] == ["other"]
    assert "related_identifiers" not in json.loads(zenodo_json(bare, "1.2.0", "2026-12-24"))


def test_a_maintainer_sets_homepage_and_doi_and_the_next_release_cites_them(released: Path) -> None:
    from helpers import commit_all, invoke

    descriptor_path = released / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text())
    descriptor = {**descriptor, "homepage": BASE, "id": "https://doi.org/10.5281/zenodo.1234567"}
    descriptor_path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n")
    commit_all(released, "Homepage and concept DOI")
    code, out, err = invoke("release", "--package", str(released), "--date", "2026-12-01")
    assert code == 0, out + err

    code, out, _ = invoke("cite", "--package", str(released), "--json")
    data = json.loads(out)
    assert (data["version"], data["url"], data["doi"]) == (
        "1.0.1",
        f"{BASE}/releases/tag/v1.0.1",
        "10.5281/zenodo.1234567",
    )
    assert [d["file"] for d in data["downloads"]] == [
        "belgorod-raid-timeline-1.0.1.zip",
        "belgorod-raid-timeline-1.0.1.tar.gz",
        *[r["path"] for r in descriptor["resources"]],
    ]
    assert data["downloads"][5] == {"file": "data/events.csv", "url": f"{BASE}/raw/v1.0.1/data/events.csv"}
    _, text, _ = invoke("cite", "--package", str(released))
    assert f"released 2026-12-01. {BASE}/releases/tag/v1.0.1. sha256 of data/events.csv: " in text
    assert text.endswith(f"  {TEXT}: {BASE}/raw/v1.0.1/{TEXT}\n")
    cff = yaml.safe_load((released / "CITATION.cff").read_text())
    assert cff["doi"] == "10.5281/zenodo.1234567"
    assert f"{BASE}/releases/download/v1.0.1/belgorod-raid-timeline-1.0.1.zip" in [
        i["value"] for i in cff["identifiers"]
    ]
    zenodo = json.loads((released / ".zenodo.json").read_text())
    assert len(zenodo["related_identifiers"]) == 3
    # the earlier release had no homepage: its citation names no location
    _, old, _ = invoke("cite", "--package", str(released), "--version", "1.0.0", "--json")
    assert (json.loads(old)["url"], json.loads(old)["downloads"]) == ("", [])
