"""Citation rendering: pinned URL from homepage, DOI from id, and every format's shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator, Draft202012Validator

from timeline.citation import FORMATS, citation_cff, citation_from, render_citation, zenodo_json

SHA = "a" * 64
DESCRIPTOR = {
    "name": "belgorod-raid-timeline",
    "title": "A title with & and _",
    "description": "About it.",
    "homepage": "https://example.org/belgorod-raid-timeline/",
    "id": "https://doi.org/10.5281/zenodo.1234567",
    "keywords": ["event data"],
    "contributors": [{"title": "Team", "roles": ["creator"]}, {"givenName": "Ada", "familyName": "Lovelace"}],
    "resources": [{"name": "events", "hash": f"sha256:{SHA}"}],
}


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
    assert [i["type"] for i in cff["identifiers"]] == ["doi", "url", "other"]
    official = json.loads((Path(__file__).parent / "schemas/citation-file-format-1.2.0.schema.json").read_text())
    assert list(Draft7Validator(official).iter_errors(cff)) == []
    zenodo = json.loads(zenodo_json(DESCRIPTOR, "1.2.0", "2026-12-24"))
    schema = json.loads((repo / "schemas/zenodo.schema.json").read_text())
    assert list(Draft202012Validator(schema).iter_errors(zenodo)) == []
    assert zenodo["related_identifiers"][0]["identifier"].endswith("/releases/tag/v1.2.0")
    assert zenodo["creators"] == [{"name": "Team"}, {"name": "Lovelace, Ada"}]  # Zenodo's "Family, Given"


def test_unknown_format_is_refused(citation) -> None:
    assert "cff" in FORMATS
    with pytest.raises(ValueError, match="unknown citation format 'mla'"):
        render_citation(citation, "mla")
