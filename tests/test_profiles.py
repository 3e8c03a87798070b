"""The descriptor and Table Schemas meet the official Data Package v2 profiles, checked offline."""

from __future__ import annotations

import filecmp
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from timeline.validation import validate_package
from timeline.validation.checks.profiles import PROFILE_FILES, PROFILES_DIR, check_official_profiles

TEXT = "data/sources/guardian-2023-05-25-b8d63b13.txt"
FRICTIONLESS = str(Path(sys.executable).parent / "frictionless")
FIX = "edit the file to meet the Data Package v2 standard (https://datapackage.org/standard/)"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a profile check tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def edit_json(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def test_the_real_descriptor_and_schemas_meet_the_v2_profiles() -> None:
    descriptor = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    paths = [r["schema"] for r in descriptor["resources"] if "schema" in r]
    schemas = {path: json.loads((REPO / path).read_text(encoding="utf-8")) for path in paths}
    assert len(schemas) == 4
    assert list(check_official_profiles(REPO, descriptor, schemas)) == []


def set_text_type(d: dict) -> None:
    d["resources"][4]["type"] = "text"


def set_dialect_delimiter(d: dict) -> None:
    d["resources"][0]["dialect"]["delimiter"] = 5


def set_schema_url(d: dict) -> None:
    d["$schema"] = "https://datapackage.org/profiles/1.0/datapackage.json"


def misspell_field_type(d: dict) -> None:
    d["fields"][0]["type"] = "strnig"


@pytest.mark.parametrize(
    "file, change, field, message",
    [
        (
            "datapackage.json",
            set_text_type,
            "/resources/4/type",
            "/resources/4/type: 'text' is not one of ['table'] (Data Package v2 profile datapackage.json)",
        ),
        (
            "datapackage.json",
            set_dialect_delimiter,
            "/resources/0/dialect/delimiter",
            "/resources/0/dialect/delimiter: 5 is not of type 'string' (Data Package v2 profile datapackage.json)",
        ),
        (
            "schemas/events.schema.json",
            misspell_field_type,
            "/fields/0/type",
            "/fields/0/type: 'strnig' is not one of ['string'] (Data Package v2 profile tableschema.json)",
        ),
    ],
)
def test_a_profile_violation_is_reported_at_its_json_pointer(
    package: Path, file: str, change, field: str, message: str
) -> None:
    edit_json(package / file, change)
    findings = [f for f in validate_package(package).findings if f.type == "profile-violation"]
    assert [(f.file, f.field, f.message, f.fix) for f in findings] == [(file, field, message, FIX)]


def test_a_descriptor_declaring_another_profile_is_told_which_one_it_is_checked_against(package: Path) -> None:
    edit_json(package / "datapackage.json", set_schema_url)
    findings = [f for f in validate_package(package).findings if f.type == "profile-violation"]
    assert [(f.field, f.message) for f in findings] == [
        (
            "/$schema",
            "/$schema: 'https://datapackage.org/profiles/1.0/datapackage.json' is not "
            "'https://datapackage.org/profiles/2.0/datapackage.json', the profile this package is checked against",
        )
    ]


def test_a_reference_outside_the_vendored_profiles_is_refused_not_fetched(package: Path) -> None:
    profile = package / PROFILES_DIR / "tableschema.json"
    edit_json(profile, lambda d: d.update({"$ref": "https://example.org/elsewhere.json"}))
    findings = [f for f in validate_package(package).findings if f.type == "profile-missing"]
    assert {(f.file, f.message) for f in findings} == {
        (
            PROFILES_DIR,
            "https://datapackage.org/profiles/2.0/tableschema.json refers to "
            "'https://example.org/elsewhere.json', which is not vendored (never fetched)",
        )
    }


def test_missing_vendored_profiles_are_a_finding(package: Path) -> None:
    (package / PROFILES_DIR / "datapackage.json").unlink()
    findings = [f for f in validate_package(package).findings if f.type == "profile-missing"]
    assert [(f.file, f.message) for f in findings] == [(f"{PROFILES_DIR}/datapackage.json", "no such file")]


def test_frictionless_still_hashes_the_untyped_text_resource(package: Path) -> None:
    def run() -> dict:
        result = subprocess.run(
            [FRICTIONLESS, "validate", "--json", "datapackage.json"], cwd=package, capture_output=True, text=True
        )
        return json.loads(result.stdout)

    clean = run()
    text_task = next(t for t in clean["tasks"] if t["place"] == TEXT)
    declared = json.loads((package / "datapackage.json").read_text())["resources"][4]
    assert "type" not in declared  # v2 allows only 'table'; frictionless infers 'text' from format
    assert clean["valid"] and not clean.get("warnings") and text_task["type"] == "text"
    assert (text_task["stats"]["sha256"], text_task["stats"]["bytes"]) == (declared["hash"][7:], declared["bytes"])

    data = bytearray((package / TEXT).read_bytes())
    data[0] ^= 1
    (package / TEXT).write_bytes(bytes(data))
    changed = run()
    text_task = next(t for t in changed["tasks"] if t["place"] == TEXT)
    assert not changed["valid"] and [e["type"] for e in text_task["errors"]] == ["hash-count"]


@pytest.mark.filterwarnings('ignore:Field name "schema":UserWarning')  # dplib's own pydantic model
def test_dplib_accepts_the_descriptor_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """dplib-py (the Data Package standard's own Python library) checks the descriptor and its Table Schemas."""
    import dplib.helpers.profile as dplib_profile
    from dplib.actions.package.check import check_package

    base_url = dplib_profile.settings.PROFILE_BASEURL + "/"
    bundled = Path(dplib_profile.settings.PROFILE_BASEDIR)
    for name in PROFILE_FILES:  # dplib's bundled copies are the same files we vendored
        assert filecmp.cmp(bundled / "2.0" / name, REPO / PROFILES_DIR / name, shallow=False), name
    # dplib 1.1.0's parse_profile splits https://datapackage.org/profiles/2.0/X.json into four parts instead of
    # three, so it never uses its bundled copy and downloads the URL (no network here): serve its own copy.
    original = dplib_profile.read_file

    def read_bundled(path: str, *args, **kwargs):
        if path.startswith(base_url):
            return (bundled / path.removeprefix(base_url)).read_text(encoding="utf-8")
        return original(path, *args, **kwargs)

    monkeypatch.setattr(dplib_profile, "read_file", read_bundled)
    dplib_profile.read_profile.cache_clear()
    try:
        assert check_package(str(REPO / "datapackage.json")) == []
        broken = json.loads((REPO / "datapackage.json").read_text())
        set_text_type(broken)
        assert [e.message for e in check_package(broken)] == ["'text' is not one of ['table']"]
    finally:
        dplib_profile.read_profile.cache_clear()
