"""diff, release, build and cite, in temporary git repositories made from the real package."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator, Draft202012Validator

from conftest import DATE, REPO, copy_package
from helpers import commit_all, git, invoke, read_rows, state, write_rows
from timeline.codebook import codebook_status
from timeline.release.history import find_releases
from timeline.release.revisions import diff_revisions
from timeline.stamp import stamp_package


@pytest.fixture
def repo(git_repo: Path) -> Path:
    """Here `repo` is a git repository before its first release (conftest's is the real one)."""
    return git_repo


def add_event(repo: Path) -> None:
    header, rows = read_rows(repo, "events")
    rows.append(dict(rows[14], event_id="ev-0021", summary="A second row quoting the same report."))
    write_rows(repo, "events", header, rows)


def test_first_release_is_1_0_0_with_citation_changelog_tag_and_archives(released: Path) -> None:
    repo = released
    assert json.loads((repo / "datapackage.json").read_text())["version"] == "1.0.0"
    cff = yaml.safe_load((repo / "CITATION.cff").read_text())
    assert (cff["cff-version"], cff["type"], cff["version"], cff["date-released"], cff["license"]) == (
        "1.2.0",
        "dataset",
        "1.0.0",
        DATE,
        "CC-BY-4.0",
    )
    zenodo = json.loads((repo / ".zenodo.json").read_text())
    assert (zenodo["upload_type"], zenodo["version"]) == ("dataset", "1.0.0")
    changelog = (repo / "CHANGELOG.md").read_text()
    assert changelog.startswith("# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2026-11-25\n\n### Added\n")
    assert "- `events` (added): 20 added, 0 removed, 0 changed" in changelog
    assert git(repo, "tag").split() == ["v1.0.0"]
    assert git(repo, "log", "-1", "--format=%s").strip() == "Release 1.0.0"
    assert git(repo, "status", "--porcelain") == ""
    names = sorted(p.name for p in (repo / "dist").iterdir())
    assert names == [f"belgorod-raid-timeline-1.0.0.{ext}" for ext in ("json", "tar.gz", "zip")]
    manifest = json.loads((repo / "dist/belgorod-raid-timeline-1.0.0.json").read_text())
    schema = json.loads((REPO / "schemas/release-manifest.schema.json").read_text())
    assert list(Draft202012Validator(schema).iter_errors(manifest)) == []
    assert manifest["diff"]["resources"]["events"]["added"][:2] == ["ev-0001", "ev-0002"]
    code, out, _ = invoke("validate", "--package", str(repo))
    assert code == 0, out


def test_second_release_after_adding_an_event_is_minor_and_names_it(released: Path) -> None:
    repo = released
    add_event(repo)
    commit_all(repo, "Add ev-0021")
    diff = diff_revisions(repo, None, None)
    events = next(r for r in diff.resources if r.name == "events")
    assert (events.rows_added, events.rows_removed, events.rows_changed) == (["ev-0021"], [], [])
    assert diff.required_bump == "minor"
    code, out, err = invoke("release", "--package", str(repo), "--date", "2026-12-01")
    assert code == 0, out + err
    assert json.loads((repo / "datapackage.json").read_text())["version"] == "1.1.0"
    section = (repo / "CHANGELOG.md").read_text().split("## [1.1.0] - 2026-12-01", 1)[1].split("## [1.0.0]")[0]
    assert "Required bump: **minor**." in section
    assert "- `events` (changed): 1 added, 0 removed, 0 changed\n  - added: ev-0021\n" in section


def test_removing_a_field_requires_major_and_a_smaller_bump_is_refused(released: Path) -> None:
    repo = released
    header, rows = read_rows(repo, "events")
    schema_path = repo / "schemas/events.schema.json"
    schema = json.loads(schema_path.read_text())
    schema["fields"] = [f for f in schema["fields"] if f["name"] != "fatalities"]
    schema_path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    write_rows(repo, "events", [h for h in header if h != "fatalities"], rows)
    target, text, _ = codebook_status(repo)
    target.write_text(text)
    commit_all(repo, "Drop fatalities")

    code, out, _ = invoke("diff", "--package", str(repo))
    assert code == 0
    assert "  schema: field-removed: field fatalities removed (major)" in out
    assert out.endswith("required bump: major\n")

    before = state(repo)
    code, out, err = invoke("release", "--package", str(repo), "--bump", "minor", "--date", "2026-12-01")
    assert code == 1  # refused: the same code as --dry-run gives
    assert err.startswith(
        "Error: release refused:\n- --bump minor is smaller than the major bump the changes "
        "require:\n  major: events: field-removed field fatalities removed"
    )
    assert state(repo) == before
    code, out, err = invoke("release", "--package", str(repo), "--date", "2026-12-01")
    assert code == 0, err
    assert json.loads((repo / "datapackage.json").read_text())["version"] == "2.0.0"


def test_appending_a_column_is_major_and_the_dry_run_quotes_the_recipe(released: Path) -> None:
    repo = released
    schema_path = repo / "schemas/events.schema.json"
    schema = json.loads(schema_path.read_text())
    schema["fields"].append({"name": "verified", "type": "boolean", "description": "A second source confirms it."})
    schema_path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    header, rows = read_rows(repo, "events")
    write_rows(repo, "events", [*header, "verified"], [dict(row, verified="") for row in rows])
    target, text, _ = codebook_status(repo)
    target.write_text(text)
    commit_all(repo, "Append a column")

    code, out, _ = invoke("release", "--package", str(repo), "--date", "2026-12-01", "--dry-run")
    assert code == 0, out
    assert out.splitlines()[:3] == [
        "release plan: 1.0.0 -> 2.0.0 (tag v2.0.0, 2026-12-01)",
        "required bump: major; chosen: major",
        '  major: events: field-added field verified added (recipe: "Add, remove or re-order fields"; '
        '"You append a column to the data. Increment the MAJOR version number")',
    ]


def test_correcting_a_value_is_a_patch_shown_field_by_field(released: Path) -> None:
    repo = released
    header, rows = read_rows(repo, "events")
    old = rows[2]["summary"]
    rows[2]["summary"] = "Kyiv said the raid was carried out by Russian citizens."
    write_rows(repo, "events", header, rows)
    commit_all(repo, "Correct ev-0003")
    code, out, _ = invoke("diff", "1.0.0", "HEAD", "--package", str(repo))
    assert out.splitlines()[1:] == [
        "events [changed; patch]",
        "  ~ 1 changed:",
        f"    ev-0003 summary: {old!r} -> 'Kyiv said the raid was carried out by Russian citizens.'",
        "required bump: patch",
    ]
    code, out, _ = invoke("diff", "--package", str(repo), "--json")
    assert json.loads(out) == diff_revisions(repo, None, None).to_dict()
    code, out, err = invoke("release", "--package", str(repo), "--date", "2026-12-01")
    assert code == 0, err
    assert json.loads((repo / "datapackage.json").read_text())["version"] == "1.0.1"


def test_diff_of_two_folders_needs_no_git(tmp_path: Path) -> None:
    old = copy_package(tmp_path / "old")
    new = copy_package(tmp_path / "new")
    header, rows = read_rows(new, "events")
    write_rows(new, "events", header, [r for r in rows if r["event_id"] != "ev-0016"])
    code, out, _ = invoke("diff", str(old), str(new), "--package", str(new), "--json")
    data = json.loads(out)
    assert data["required_bump"] == "major"
    events = next(r for r in data["resources"] if r["name"] == "events")
    assert events["rows_removed"] == ["ev-0016"]


def test_archives_are_byte_identical_on_every_rebuild(released: Path, tmp_path: Path) -> None:
    repo = released
    first = {p.name: p.read_bytes() for p in (repo / "dist").iterdir()}
    for out in (tmp_path / "again", tmp_path / "again2"):
        code, _, err = invoke("build", "--package", str(repo), "--version", "1.0.0", "--out", str(out))
        assert code == 0, err
        assert {p.name: p.read_bytes() for p in out.iterdir()} == first
    import tarfile
    import zipfile

    with zipfile.ZipFile(repo / "dist/belgorod-raid-timeline-1.0.0.zip") as archive:
        names = archive.namelist()
        assert names == sorted(names[:-1]) + ["SHA256SUMS"]
        assert {i.date_time for i in archive.infolist()} == {(2026, 11, 25, 0, 0, 0)}
        sums = archive.read("SHA256SUMS").decode()
    assert "  data/events.csv\n" in sums and "  datapackage.json\n" in sums
    with tarfile.open(repo / "dist/belgorod-raid-timeline-1.0.0.tar.gz") as archive:
        members = archive.getmembers()
    assert {(m.uid, m.gid, m.uname, m.gname, m.mode, m.mtime) for m in members} == {(0, 0, "", "", 0o644, 1795564800)}


@pytest.mark.parametrize(
    "problem, message",
    [
        ("dirty", "the git work tree is not clean; commit or stash first:\n?? stray.txt"),
        ("tag", "tag v1.0.0 already exists"),
        ("invalid", "`timeline validate` finds 1 problem(s); fix them first"),
    ],
)
def test_release_is_refused(repo: Path, problem: str, message: str) -> None:
    if problem == "dirty":
        (repo / "stray.txt").write_text("x")
    elif problem == "tag":
        git(repo, "tag", "v1.0.0")
    else:
        header, rows = read_rows(repo, "events")
        rows[0]["quote_start"] = "0"
        write_rows(repo, "events", header, rows)
        commit_all(repo, "Break a quote")
    before = state(repo)
    code, out, err = invoke("release", "--package", str(repo), "--date", DATE)
    assert code == 1
    assert err == f"Error: release refused:\n- {message}\n"
    assert state(repo) == before
    code, out, _ = invoke("release", "--package", str(repo), "--date", DATE, "--dry-run")
    assert code == 1 and "REFUSED:" in out
    assert state(repo) == before


def test_dry_run_prints_the_plan_and_changes_nothing(repo: Path) -> None:
    before = state(repo)
    code, out, _ = invoke("release", "--package", str(repo), "--date", DATE, "--dry-run")
    assert code == 0
    assert out.splitlines()[0] == "release plan: none -> 1.0.0 (tag v1.0.0, 2026-11-25)"
    assert out.endswith("dry run: nothing written\n")
    assert state(repo) == before


def test_releases_are_found_without_tags(released: Path) -> None:
    git(released, "tag", "-d", "v1.0.0")
    assert [r.version for r in find_releases(released)] == ["1.0.0"]
    code, out, _ = invoke("cite", "--package", str(released))
    assert code == 0 and "(Version 1.0.0)" in out


def test_citation_formats_parse(released: Path) -> None:
    repo = released
    sha = json.loads((repo / "datapackage.json").read_text())["resources"][3]["hash"].removeprefix("sha256:")
    _, text, _ = invoke("cite", "--package", str(repo))
    assert text == (
        "belgorod-raid-timeline contributors (2026). Belgorod raid timeline: events and statements "
        "reported by The Guardian, 25 May 2023 (Version 1.0.0) [Data set]. belgorod-raid-timeline, "
        f"released 2026-11-25. sha256 of data/events.csv: {sha}.\n"
    )
    readme = (repo / "README.md").read_text()
    assert f"<!-- timeline-cite:start -->\n```\n{text}```\n<!-- timeline-cite:end -->" in readme

    _, bibtex, _ = invoke("cite", "--package", str(repo), "--format", "bibtex")
    entry = re.fullmatch(r"@misc\{([^,]+),\n((?:  [a-z]+ = \{.*\},?\n)+)\}\n", bibtex)
    assert entry, bibtex
    fields = dict(re.findall(r"  ([a-z]+) = \{(.*)\},?\n", entry.group(2)))
    assert {"title", "author", "year", "version", "note"} <= set(fields)
    assert fields["year"] == "2026" and fields["version"] == "1.0.0" and sha in fields["note"]

    _, ris, _ = invoke("cite", "--package", str(repo), "--format", "ris")
    lines = ris.splitlines()
    assert lines[0] == "TY  - DATA" and lines[-1] == "ER  - "
    assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line) for line in lines)

    _, csl, _ = invoke("cite", "--package", str(repo), "--format", "csl-json")
    schema = json.loads((Path(__file__).parent / "schemas/csl-data.json").read_text())
    assert list(Draft7Validator(schema).iter_errors(json.loads(csl))) == []

    _, cff, _ = invoke("cite", "--package", str(repo), "--format", "cff")
    assert cff == (repo / "CITATION.cff").read_text()
    cff_schema = json.loads((REPO / "schemas/citation-cff.schema.json").read_text())
    assert list(Draft202012Validator(cff_schema).iter_errors(yaml.safe_load(cff))) == []
    official = json.loads((Path(__file__).parent / "schemas/citation-file-format-1.2.0.schema.json").read_text())
    assert list(Draft7Validator(official).iter_errors(yaml.safe_load(cff))) == []


def test_cite_of_an_older_release_reads_that_release(released: Path) -> None:
    repo = released
    add_event(repo)
    commit_all(repo, "Add ev-0021")
    assert invoke("release", "--package", str(repo), "--date", "2026-12-01")[0] == 0
    _, latest, _ = invoke("cite", "--package", str(repo))
    _, old, _ = invoke("cite", "--package", str(repo), "--version", "1.0.0")
    assert "(Version 1.1.0)" in latest and "released 2026-12-01" in latest
    assert "(Version 1.0.0)" in old and "released 2026-11-25" in old
    code, _, err = invoke("cite", "--package", str(repo), "--version", "9.9.9")
    assert code == 2 and err == "Error: no release 9.9.9 in the history of HEAD (releases: 1.0.0, 1.1.0)\n"


def test_stamp_is_current_after_release(released: Path) -> None:
    assert stamp_package(released, dry_run=True).changes == []


def test_the_previous_release_is_exported_while_validation_runs(
    released: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git writes the last release out beside validation (1.4 s of 11 at 1M events); a validator
    that fails still fails first, and no exported snapshot is left behind."""
    import tempfile
    import threading

    from timeline.errors import TimelineError
    from timeline.release import history
    from timeline.release.plan import plan_release

    exporting = threading.Event()
    real_export = history.export_tree

    def export(*args: object) -> None:
        exporting.set()
        real_export(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(history, "export_tree", export)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    seen: list[bool] = []

    def validator(path: Path) -> list[str]:
        seen.append(exporting.wait(timeout=20))
        return []

    plan = plan_release(released, validator, date=DATE)
    assert seen == [True] and plan.previous is not None and plan.diff.old == "1.0.0"

    def failing(path: Path) -> list[str]:
        exporting.wait(timeout=20)
        raise TimelineError("validation failed")

    exporting.clear()
    with pytest.raises(TimelineError, match="^validation failed$"):
        plan_release(released, failing, date=DATE)
    assert exporting.is_set() and list(scratch.iterdir()) == []
