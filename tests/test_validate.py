"""timeline validate: the real package passes; every kind of bad input gives one clear finding."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import edit_row, read_rows, snapshot, write_rows
from timeline.cli import cli
from timeline.stamp import stamp_package
from timeline.validation import Finding, Report, validate_package
from timeline.validation.render import render_report

EVENTS = "data/events.csv"
SOURCES = "data/sources.csv"
TEXT = "data/sources/guardian-2023-05-25-b8d63b13.txt"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def findings_of(package: Path) -> list[dict]:
    code, out, _ = run("validate", "--package", str(package), "--json")
    return json.loads(out)["findings"]


def test_real_package_is_valid(repo: Path) -> None:
    code, out, err = run("validate", "--package", str(repo))
    assert code == 0, out
    assert out.startswith(f"VALID {repo / 'datapackage.json'}: 10 files, 4 tables, 44 rows checked")


def test_json_output_is_the_library_report(package: Path) -> None:
    code, out, _ = run("validate", "--package", str(package), "--json")
    data = json.loads(out)
    expected = validate_package(package).to_dict()
    data["stats"].pop("seconds"), expected["stats"].pop("seconds")
    assert data == expected
    assert data["valid"] is True and data["findings"] == []


def test_validate_finds_the_package_from_a_subfolder(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(package / "data" / "sources")
    code, out, _ = run("validate")
    assert code == 0, out


# --- bad input: each mutation of a package copy, the finding it must produce, and the exit code ----------


def _events(index: int, **changes: str) -> Callable[[Path], None]:
    return lambda pkg: edit_row(pkg, "events", index, **changes)


def _sources(**changes: str) -> Callable[[Path], None]:
    return lambda pkg: edit_row(pkg, "sources", 0, **changes)


def _latin1_text(pkg: Path) -> None:
    (pkg / "data/sources/latin1.txt").write_bytes("Kyiv’s".encode() + b" caf\xe9")
    edit_row(pkg, "sources", 0, text_path="data/sources/latin1.txt")


def _replace_bytes(relative: str, old: bytes, new: bytes, restamp: bool = True) -> Callable[[Path], None]:
    def mutate(pkg: Path) -> None:
        path = pkg / relative
        path.write_bytes(path.read_bytes().replace(old, new))
        if restamp:
            stamp_package(pkg)

    return mutate


def _descriptor(edit: Callable[[dict], None]) -> Callable[[Path], None]:
    def mutate(pkg: Path) -> None:
        path = pkg / "datapackage.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        edit(data)
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")

    return mutate


def _resource_path(value: str) -> Callable[[Path], None]:
    return _descriptor(lambda d: d["resources"][1].update(path=value))


def _duplicate_event_id(pkg: Path) -> None:
    header, rows = read_rows(pkg, "events")
    rows[3]["event_id"] = rows[2]["event_id"]
    write_rows(pkg, "events", header, rows)


def _extra_column(pkg: Path) -> None:
    header, rows = read_rows(pkg, "events")
    for row in rows:
        row["confidence"] = "high"
    write_rows(pkg, "events", [*header, "confidence"], rows)


def _missing_column(pkg: Path) -> None:
    header, rows = read_rows(pkg, "events")
    write_rows(pkg, "events", [h for h in header if h != "date_text_end"], rows)


def _symlink_outside(pkg: Path) -> None:
    outside = pkg.parent / "outside.csv"
    outside.write_text((pkg / "data/actors.csv").read_text(encoding="utf-8"), encoding="utf-8")
    (pkg / "data/actors.csv").unlink()
    os.symlink(outside, pkg / "data/actors.csv")


def _empty_events(pkg: Path) -> None:
    (pkg / EVENTS).write_bytes(b"")
    stamp_package(pkg)


def _huge_field(pkg: Path) -> None:
    edit_row(pkg, "events", 0, notes="x" * 50_000_000)


def _remove_file(relative: str) -> Callable[[Path], None]:
    return lambda pkg: (pkg / relative).unlink()


def _crlf(pkg: Path) -> None:
    path = pkg / EVENTS
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    stamp_package(pkg)


def _edit_csv_without_stamp(pkg: Path) -> None:
    edit_row(pkg, "events", 0, stamp=False, summary="A corrected summary.")


def _append_to_text(pkg: Path) -> None:
    with open(pkg / TEXT, "ab") as handle:
        handle.write(b" tampered")


def _write(relative: str, text: str) -> Callable[[Path], None]:
    return lambda pkg: (pkg / relative).write_text(text, encoding="utf-8")


def _edit_text(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def mutate(pkg: Path) -> None:
        path = pkg / relative
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    return mutate


def _citation_version(version: str) -> Callable[[Path], None]:
    def mutate(pkg: Path) -> None:
        path = pkg / "CITATION.cff"
        text = re.sub(r"^version: .*$", f"version: {version}", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
        path.write_text(text, encoding="utf-8")

    return mutate


# (id, mutate, exit code, expected finding: type, file, row, field)
BAD_INPUTS = [
    (
        "invalid-json",
        lambda p: (p / "datapackage.json").write_text("{ not json", encoding="utf-8"),
        1,
        ("invalid-descriptor", "datapackage.json", None, ""),
    ),
    (
        "resource-file-missing",
        _remove_file("data/places.csv"),
        1,
        ("resource-file-missing", "data/places.csv", None, ""),
    ),
    ("wrong-delimiter", _replace_bytes(EVENTS, b",", b";"), 1, ("wrong-delimiter", EVENTS, 1, "")),
    (
        "bom",
        lambda p: _replace_bytes(EVENTS, b"event_id,", b"\xef\xbb\xbfevent_id,")(p),
        1,
        ("byte-order-mark", EVENTS, 1, ""),
    ),
    ("crlf", _crlf, 1, ("crlf-line-endings", EVENTS, None, "")),
    ("invalid-utf8", _replace_bytes(EVENTS, "Kyiv’s".encode(), b"Kyiv\xff"), 1, ("encoding-error", EVENTS, 14, "")),
    ("extra-column", _extra_column, 1, ("extra-label", EVENTS, 1, "confidence")),
    ("missing-column", _missing_column, 1, ("missing-label", EVENTS, 1, "date_text_end")),
    ("duplicate-event-id", _duplicate_event_id, 1, ("primary-key", EVENTS, 5, "")),
    ("dangling-foreign-key", _events(0, place_id="atlantis"), 1, ("foreign-key", EVENTS, 2, "")),
    ("malformed-date", _events(1, date_start="2023-13-01"), 1, ("type-error", EVENTS, 3, "date_start")),
    (
        "date-end-before-start",
        _events(0, date_start="2023-05-23", date_end="2023-05-22"),
        1,
        ("date-order", EVENTS, 2, "date_start"),
    ),
    (
        "dated-after-publication",
        _events(1, date_start="2023-05-26", date_end="2023-05-26"),
        1,
        ("date-after-publication", EVENTS, 3, "date_start"),
    ),
    ("quote-mismatch", _events(0, quote_start="214", quote_end="307"), 1, ("quote-mismatch", EVENTS, 2, "quote")),
    (
        "offsets-out-of-range",
        _events(0, quote_start="99999", quote_end="100092"),
        1,
        ("quote-offsets-out-of-range", EVENTS, 2, "quote_start"),
    ),
    ("tampered-source-text", _append_to_text, 1, ("source-text-hash-mismatch", "data/sources.csv", 2, "text_sha256")),
    ("stale-hash", _edit_csv_without_stamp, 1, ("hash-count", EVENTS, None, "")),
    (
        "non-semver-version",
        _descriptor(lambda d: d.update(version="1.0")),
        1,
        ("metadata-invalid", "datapackage.json", None, "/version"),
    ),
    (
        "licence-javascript-url",
        _descriptor(lambda d: d["licenses"][0].update(path="javascript:alert(1)")),
        1,
        ("metadata-invalid", "datapackage.json", None, "/licenses/0/path"),
    ),
    ("formula-injection", _events(2, summary='=HYPERLINK("http://x")'), 1, ("formula-injection", EVENTS, 4, "summary")),
    ("line-separator", _events(1, notes="one\u2028two"), 1, ("invisible-character", EVENTS, 3, "notes")),
    ("source-url-javascript", _sources(url="javascript:alert(1)"), 1, ("url-not-web", SOURCES, 2, "url")),
    ("source-url-file", _sources(url="FILE:///etc/passwd"), 1, ("url-not-web", SOURCES, 2, "url")),
    ("path-dotdot", _resource_path("../x.csv"), 1, ("unsafe-path", "datapackage.json", None, "resources")),
    ("path-absolute", _resource_path("/etc/passwd"), 1, ("unsafe-path", "datapackage.json", None, "resources")),
    ("symlink-outside", _symlink_outside, 1, ("unsafe-path", "datapackage.json", None, "resources")),
    ("empty-events", _empty_events, 1, ("source-error", EVENTS, None, "")),
    ("50mb-field", _huge_field, 1, ("cell-too-long", EVENTS, 2, "notes")),
    (
        "precision-mismatch",
        _events(1, date_start="2023-05-22"),
        1,
        ("date-precision-mismatch", EVENTS, 3, "date_precision"),
    ),
    ("kind-type-mismatch", _events(0, kind="statement"), 1, ("kind-type-mismatch", EVENTS, 2, "kind")),
    (
        "denial-without-target",
        _events(15, about_event_id=""),
        1,
        ("about-event-required", EVENTS, 17, "about_event_id"),
    ),
    (
        "date-text-not-in-source",
        _events(1, date_text="last Tuesday"),
        1,
        ("date-text-not-in-source", EVENTS, 3, "date_text"),
    ),
    (
        "descriptor-not-an-object",
        _write("datapackage.json", "[1, 2]"),
        1,
        ("invalid-descriptor", "datapackage.json", None, ""),
    ),
    (
        "resource-not-an-object",
        _descriptor(lambda d: d["resources"].append("oops")),
        1,
        ("package-error", "datapackage.json", None, ""),
    ),
    (
        "table-schema-not-json",
        _write("schemas/actors.schema.json", "{bad"),
        1,
        ("schema-unreadable", "schemas/actors.schema.json", None, ""),
    ),
    ("resource-path-is-a-folder", _resource_path("data"), 1, ("not-a-regular-file", "data", None, "")),
    (
        "citation-invalid-yaml",
        _write("CITATION.cff", "title: [unclosed\n"),
        1,
        ("metadata-invalid", "CITATION.cff", None, ""),
    ),
    (
        "zenodo-wrong-upload-type",
        _edit_text(".zenodo.json", '"upload_type": "dataset"', '"upload_type": "software"'),
        1,
        ("metadata-invalid", ".zenodo.json", None, "/upload_type"),
    ),
    (
        "citation-version-mismatch",
        _citation_version("9.9.9"),
        1,
        ("citation-version-mismatch", "CITATION.cff", None, "version"),
    ),    (
        "resource-undeclared",
        _descriptor(lambda d: d.update(resources=[r for r in d["resources"] if r["name"] != "places"])),
        1,
        ("resource-missing-from-package", "datapackage.json", None, "resources"),
    ),
    (
        "profile-deleted",
        _remove_file("schemas/datapackage.profile.json"),
        1,
        ("profile-missing", "schemas/datapackage.profile.json", None, ""),
    ),
    ("changelog-deleted", _remove_file("CHANGELOG.md"), 1, ("changelog-missing", "CHANGELOG.md", None, "")),
    (
        "source-text-path-dangling",
        _sources(text_path="data/sources/nowhere.txt"),
        1,
        ("source-text-missing", "data/sources.csv", 2, "text_path"),
    ),
    (
        "source-text-latin1",
        _latin1_text,
        1,
        ("source-text-not-utf8", "data/sources.csv", 2, "text_path"),
    ),
    (
        "source-text-length-wrong",
        _sources(text_chars="2000"),
        1,
        ("source-text-length-mismatch", "data/sources.csv", 2, "text_chars"),
    ),
    (
        "about-on-occurrence",
        _events(0, about_event_id="ev-0002"),
        1,
        ("about-event-on-occurrence", EVENTS, 2, "about_event_id"),
    ),
    ("about-itself", _events(1, about_event_id="ev-0002"), 1, ("about-event-self", EVENTS, 3, "about_event_id")),
    ("denied-occurrence", _events(0, claim_status="denied"), 1, ("denial-not-statement", EVENTS, 2, "claim_status")),
]


@pytest.mark.parametrize("mutate, exit_code, expected", [c[1:] for c in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_gives_a_located_finding_and_touches_nothing(
    package: Path, mutate: Callable[[Path], None], exit_code: int, expected: tuple
) -> None:
    mutate(package)
    before = snapshot(package.parent)
    code, out, err = run("validate", "--package", str(package), "--json")
    assert snapshot(package.parent) == before, "validate must not write"
    assert code == exit_code
    assert "Traceback" not in out + err
    findings = json.loads(out)["findings"]
    located = [(f["type"], f["file"], f["row"], f["field"]) for f in findings]
    assert expected in located, located
    assert all(f["message"] for f in findings)
    match = next(f for f in findings if (f["type"], f["file"], f["row"], f["field"]) == expected)
    assert match["fix"], f"{expected[0]} has no fix hint"


def test_human_report_names_file_row_field_and_fix(package: Path) -> None:
    edit_row(package, "events", 0, quote_start="214", quote_end="307")
    code, out, _ = run("validate", "--package", str(package))
    assert code == 1
    assert out.splitlines() == [
        "data/events.csv",
        "  row 2, field quote: quote differs from the source text at 214:307; the quote stands at 213:306 "
        "[quote-mismatch]",
        "    fix: copy the passage verbatim from the source and set quote_start/quote_end to its offsets "
        "(`timeline locate` prints them)",
        f"INVALID {package / 'datapackage.json'}: 1 finding in 1 file",
    ]


def test_missing_datapackage_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = run("validate", "--package", str(tmp_path))
    assert code == 2
    assert out == ""
    assert (
        err == f"Error: {tmp_path / 'datapackage.json'}: no such file; pass a package folder or its datapackage.json\n"
    )


def test_no_package_found_from_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run("validate")
    assert code == 2
    assert "no datapackage.json in" in err


def test_frictionless_warning_is_a_failure(package: Path) -> None:
    _descriptor(lambda d: d["resources"][0].update(hash="sha1:" + "0" * 40))(package)
    types = [f["type"] for f in findings_of(package)]
    assert "frictionless-warning" in types


def test_stale_hash_then_stamp_makes_it_valid(package: Path) -> None:
    _edit_csv_without_stamp(package)
    assert "hash-count" in [f["type"] for f in findings_of(package)]
    code, out, _ = run("stamp", "--package", str(package))
    assert code == 0
    assert out.endswith("updated 1 of 5 resources\n")
    assert findings_of(package) == []


def test_changelog_needs_unreleased_or_current_version(package: Path) -> None:
    path = package / "CHANGELOG.md"
    text = re.sub(r"^## \[", "## ", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")
    located = [(f["type"], f["file"]) for f in findings_of(package)]
    assert ("changelog-version-missing", "CHANGELOG.md") in located


def test_vocabulary_enum_must_match_categories(package: Path) -> None:
    path = package / "schemas/events.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    field = next(f for f in schema["fields"] if f["name"] == "claim_status")
    field["categories"] = field["categories"][:-1]
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    assert ("vocabulary-mismatch", "claim_status") in [(f["type"], f["field"]) for f in findings_of(package)]


def test_repeated_findings_are_summarised(package: Path) -> None:
    header, rows = read_rows(package, "events")
    many = []
    for n in range(250):
        row = dict(rows[0], event_id=f"ev-{9000 + n}", summary="-dash first")
        many.append(row)
    write_rows(package, "events", header, rows + many)
    findings = findings_of(package)
    assert sum(f["type"] == "formula-injection" for f in findings) == 200
    (summary,) = [f for f in findings if f["type"] == "too-many-findings"]
    assert summary["message"] == "50 more 'formula-injection' findings not listed (250 in all)"


def test_render_report_for_valid_and_invalid() -> None:
    valid = Report(package="p/datapackage.json", checked=["a", "b"], stats={"rows": {"events": 3}, "seconds": 0.5})
    assert render_report(valid) == "VALID p/datapackage.json: 2 files, 1 tables, 3 rows checked in 0.50 s\n"
    invalid = Report(
        package="p/datapackage.json",
        findings=[
            Finding("x-type", "bad thing", file="a.csv", row=4, field="f", fix="do this"),
            Finding("y-type", "other", file="datapackage.json"),
        ],
    )
    assert render_report(invalid) == (
        "a.csv\n  row 4, field f: bad thing [x-type]\n    fix: do this\n"
        "datapackage.json\n  other [y-type]\n"
        "INVALID p/datapackage.json: 2 findings in 2 files\n"
    )
