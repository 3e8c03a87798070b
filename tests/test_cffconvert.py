"""CITATION.cff through cffconvert, as users run it: its own validation and its APA, Zenodo, RIS and BibTeX.

cffconvert pins jsonschema<4, which our own tools cannot share, so it lives in its own virtual
environment, `.venv-cffconvert` (`.ci/run` makes it). Without it the tests skip on a laptop and
fail in CI (CI=true). What the conversions cannot say (a group in Zenodo's legacy metadata, a
version in cffconvert's RIS and BibTeX) is pinned here too, and the README's "How to cite" says it.
"""

from __future__ import annotations

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO
from timeline.citation import citation_cff

CFFCONVERT = REPO / ".venv-cffconvert" / "bin" / "cffconvert"
GROUP = "belgorod-raid-timeline contributors"
FORMATS = ("apalike", "zenodo", "ris", "bibtex")
# A release with a person beside the group, a homepage and a DOI: everything our files can carry.
DESCRIPTOR = {
    "name": "belgorod-raid-timeline",
    "title": "Belgorod raid timeline",
    "description": "About it.",
    "homepage": "https://example.org/belgorod-raid-timeline",
    "id": "https://doi.org/10.5281/zenodo.1234567",
    "keywords": ["event data"],
    "contributors": [{"title": GROUP, "roles": ["creator"]}, {"givenName": "Ada", "familyName": "Lovelace"}],
    "resources": [{"name": "events", "hash": "sha256:" + "a" * 64}],
}


def cffconvert_or_skip() -> Path:
    if CFFCONVERT.is_file():
        return CFFCONVERT
    reason = (
        f"cffconvert is not installed at {CFFCONVERT.relative_to(REPO)} (make it with: python3 -m venv "
        ".venv-cffconvert && .venv-cffconvert/bin/pip install 'cffconvert==2.0.0'; .ci/run does)"
    )
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run these tests")
    pytest.skip(reason)


def convert(tool: Path, cff: Path, args: tuple[str, ...]) -> str:
    result = subprocess.run([str(tool), "-i", str(cff), *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """cffconvert's verdict and conversions of the repository's CITATION.cff and of a fuller one we write."""
    tool = cffconvert_or_skip()
    fuller = tmp_path_factory.mktemp("cff") / "CITATION.cff"
    fuller.write_text(citation_cff(DESCRIPTOR, "1.2.0", "2026-12-24"), encoding="utf-8")
    files = {"repository": REPO / "CITATION.cff", "fuller": fuller}
    jobs = {(name, fmt): (path, ("-f", fmt)) for name, path in files.items() for fmt in FORMATS}
    del jobs["fuller", "bibtex"]  # only the repository's BibTeX is checked
    jobs |= {(name, "validate"): (path, ("--validate",)) for name, path in files.items()}
    with ThreadPoolExecutor(max_workers=4) as pool:
        outputs = dict(zip(jobs, pool.map(lambda job: convert(tool, *job), jobs.values()), strict=True))
    result: dict[str, dict[str, Any]] = {}
    for name, path in files.items():
        result[name] = {fmt: output for (of, fmt), output in outputs.items() if of == name}
        result[name]["cff"] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return result


@pytest.mark.parametrize("name", ["repository", "fuller"])
def test_cffconvert_validates_our_citation(converted: dict[str, dict[str, Any]], name: str) -> None:
    assert converted[name]["validate"] == "Citation metadata are valid according to schema version 1.2.0.\n"


@pytest.mark.parametrize("name", ["repository", "fuller"])
def test_apa_keeps_the_version_the_year_and_the_group_whole(converted: dict[str, dict[str, Any]], name: str) -> None:
    cff = converted[name]["cff"]
    authors = f"{GROUP}, Lovelace A." if name == "fuller" else GROUP  # a group is never inverted to "contributors, b."
    assert converted[name]["apalike"].startswith(
        f"{authors} ({cff['date-released'][:4]}). {cff['title']} (version {cff['version']})."
    )


@pytest.mark.parametrize("name", ["repository", "fuller"])
def test_zenodo_keeps_version_and_date_but_cannot_mark_a_group(converted: dict[str, dict[str, Any]], name: str) -> None:
    cff = converted[name]["cff"]
    zenodo = json.loads(converted[name]["zenodo"])
    assert (zenodo["version"], zenodo["publication_date"]) == (cff["version"], cff["date-released"])
    # Zenodo's legacy `creators` has a name only ("Family, Given"): the group stays whole, with no comma to
    # split it, but nothing says it is a group (the README says so). A person is "Family, Given".
    people = [{"name": "Lovelace, Ada"}] if name == "fuller" else []
    assert zenodo["creators"] == [{"name": GROUP}, *people]


@pytest.mark.parametrize("name", ["repository", "fuller"])
def test_ris_keeps_the_date_and_the_group_but_has_no_version(converted: dict[str, dict[str, Any]], name: str) -> None:
    cff = converted[name]["cff"]
    lines = converted[name]["ris"].splitlines()
    # An AU without a comma is a single-field (corporate) name to RIS readers (Zotero: fieldMode 1).
    people = ["AU  - Lovelace, Ada"] if name == "fuller" else []
    assert [line for line in lines if line.startswith("AU  - ")] == [f"AU  - {GROUP}", *people]
    assert f"DA  - {cff['date-released']}" in lines
    assert f"PY  - {cff['date-released'][:4]}" in lines
    # cffconvert's RIS has no version field (RIS has one: ET, as `timeline cite --format ris` writes);
    # only a release URL, once `homepage` is set, carries the version.
    assert [line for line in lines if cff["version"] in line] == (
        ["UR  - https://example.org/belgorod-raid-timeline/releases/tag/v1.2.0"] if name == "fuller" else []
    )
    if name == "fuller":
        assert "DO  - 10.5281/zenodo.1234567" in lines


def test_cffconverts_bibtex_has_no_version_and_reads_the_group_as_a_person(
    converted: dict[str, dict[str, Any]],
) -> None:
    bibtex = converted["repository"]["bibtex"]
    assert f"author = {{{GROUP}}}," in bibtex.splitlines()  # BibTeX splits this into given and family names
    assert "version" not in bibtex and "1.0" not in bibtex  # `timeline cite --format bibtex` has both right
