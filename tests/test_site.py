"""timeline site: the page, the chart spec's shapes, determinism, --version, --chart-only --check, refusals."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import edit_row
from timeline.cli import cli
from timeline.package.tables import read_tables
from timeline.site.article import quote_segments
from timeline.site.chart import DASHES, FILL_OPACITY, chart_rows, timeline_spec
from timeline.stamp import stamp_package


def events(repo: Path) -> list[dict[str, str]]:
    with open(repo / "data/events.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_page_lists_every_row_with_its_detail_and_marks_every_quote(built_site: Path, repo: Path) -> None:
    html = (built_site / "index.html").read_text(encoding="utf-8")
    for event in events(repo):
        eid = event["event_id"]
        assert f'class="row-button status-{event["claim_status"]}" data-id="{eid}"' in html
        assert f'id="detail-{eid}"' in html
        assert f'aria-label="{eid}: ' in html  # its chart mark
    assert html.count('<mark class="quote"') >= 15
    version = json.loads((repo / "datapackage.json").read_text(encoding="utf-8"))["version"]
    needles = (
        "@misc{belgorod-raid-timeline_" + version.replace(".", "_"),
        "Codebook",
        "on-or-before",
        "exports/belgorod-raid-timeline.db",
    )
    for needle in needles:
        assert needle in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        'xmlns:xlink="http://www.w3.org/1999/xlink"', ""
    )  # nothing to fetch: only the SVG namespaces are URLs, and https links are plain <a> for the reader


def test_the_page_loads_nothing_from_anywhere(built_site: Path) -> None:
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert "<script src" not in html and "<link" not in html and "@import" not in html and "url(http" not in html


def test_every_quote_is_the_concatenation_of_its_marked_pieces(repo: Path) -> None:
    tables = read_tables(repo)
    text = tables.texts["guardian-2023-05-25-b8d63b13"]
    rows = tables.tables["events"].rows
    pieces = quote_segments(text, rows)
    assert "".join(piece for piece, _ in pieces) == text
    for row in rows:
        assert "".join(piece for piece, ids in pieces if row["event_id"] in ids) == row["quote"]


def _hours(stamp: str) -> float:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() / 3600


@pytest.mark.parametrize(
    ("event_id", "precision", "start", "end"),
    [
        ("ev-0007", "day", "2023-05-24T00:00:00Z", "2023-05-25T00:00:00Z"),
        ("ev-0011", "overnight", "2023-05-24T18:00:00Z", "2023-05-25T06:00:00Z"),
        ("ev-0001", "range", "2023-05-22T00:00:00Z", "2023-05-26T00:00:00Z"),
        ("ev-0019", "month", "2023-05-01T00:00:00Z", "2023-05-26T00:00:00Z"),
        ("ev-0012", "approximate-start", "2023-04-25T00:00:00Z", "2023-05-26T00:00:00Z"),
        ("ev-0016", "on-or-before", "LEFT EDGE", "2023-05-26T00:00:00Z"),
    ],
)
def test_each_precision_spans_what_the_dates_allow(
    repo: Path, event_id: str, precision: str, start: str, end: str
) -> None:
    rows, (left, _), _ = chart_rows(read_tables(repo))
    row = next(r for r in rows if r["event_id"] == event_id)
    assert row["date_precision"] == precision
    assert (row["x"], row["x2"]) == ((left if start == "LEFT EDGE" else start), end)


def test_spec_draws_each_precision_in_its_own_layer_and_open_starts_as_gradients(repo: Path) -> None:
    spec = timeline_spec(read_tables(repo))
    filters = [str(layer.get("transform", [])) for layer in spec["layer"]]
    for precision, dash in DASHES.items():
        layer = next(lay for lay, f in zip(spec["layer"], filters, strict=True) if f"=== '{precision}'" in f)
        assert layer["mark"]["strokeDash"] == dash
        assert layer["mark"]["fillOpacity"] == FILL_OPACITY[precision]
    gradients = [lay for lay in spec["layer"] if isinstance(lay["mark"].get("color"), dict)]
    assert len(gradients) == 4 and all("on-or-before" in str(g["transform"]) for g in gradients)


def test_site_is_byte_identical_when_built_again(built_site: Path, tmp_path: Path) -> None:
    package = built_site.parent / "pkg"
    result = CliRunner().invoke(cli, ["site", "--package", str(package), "--out", str(tmp_path / "again"), "--json"])
    assert result.exit_code == 0, result.output
    assert tree(tmp_path / "again") == tree(built_site)


def test_site_refuses_an_invalid_package_and_writes_nothing(package: Path, tmp_path: Path) -> None:
    edit_row(package, "events", 0, date_precision="fortnight")
    result = CliRunner().invoke(cli, ["site", "--package", str(package), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: working tree is not a valid package (1 problem(s)); fix them first")
    assert "date_precision" in result.stderr
    assert not (tmp_path / "out").exists()


def test_site_will_not_replace_a_folder_it_did_not_make(package: Path, tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(cli, ["site", "--package", str(package), "--out", str(tmp_path / "mine")])
    assert result.exit_code == 2
    assert "is not a site made by `timeline site`" in result.stderr
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_chart_only_check_detects_a_stale_picture_and_rewrites_it(package: Path) -> None:
    args = ["site", "--chart-only", "--package", str(package)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    svg = package / "docs" / "timeline.svg"
    assert (package / "docs" / "timeline.png").read_bytes().startswith(b"\x89PNG")
    assert CliRunner().invoke(cli, [*args, "--check"]).exit_code == 0
    before = svg.read_bytes()
    edit_row(package, "events", 6, date_end="2023-05-25", date_precision="range", date_edtf="2023-05-24/2023-05-25")
    result = CliRunner().invoke(cli, [*args, "--check", "--json"])
    assert result.exit_code == 1
    assert result.stdout and '"svg_current": false' in result.stdout
    assert svg.read_bytes() == before  # --check writes nothing


def test_a_release_keeps_the_readme_picture_current(package: Path) -> None:
    """A release changes only the version: the picture must not go stale through it."""
    import json

    args = ["site", "--chart-only", "--package", str(package)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    descriptor_path = package / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    descriptor["version"] = "99.0.0"
    descriptor_path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    cff = package / "CITATION.cff"  # as a release writes both
    cff.write_text(re.sub(r"^version: .*$", "version: 99.0.0", cff.read_text(encoding="utf-8"), flags=re.M))
    stamp_package(package)
    result = CliRunner().invoke(cli, [*args, "--check"])
    assert result.exit_code == 0, result.output


def test_check_without_chart_only_is_a_usage_error(package: Path) -> None:
    result = CliRunner().invoke(cli, ["site", "--check", "--package", str(package)])
    assert result.exit_code == 2
    assert "--check goes with --chart-only" in result.stderr


def test_readme_picture_is_current(repo: Path) -> None:
    result = CliRunner().invoke(cli, ["site", "--chart-only", "--check", "--package", str(repo)])
    assert result.exit_code == 0, result.output
    assert "docs/timeline.svg" in (repo / "README.md").read_text(encoding="utf-8").split("\n## ", 1)[0]


def test_site_of_a_release_reads_it_from_git(repo: Path, tmp_path: Path) -> None:
    shallow = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=repo, capture_output=True, text=True)
    if shallow.returncode != 0 or shallow.stdout.strip() == "true":
        pytest.skip("not a full git checkout: releases are read from git history")
    out = tmp_path / "site-1.0.0"
    args = ["site", "--package", str(repo), "--version", "1.0.0", "--out", str(out), "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<meta name="dataset-version" content="1.0.0">' in html
    assert "(Version 1.0.0) [Data set]" in html
