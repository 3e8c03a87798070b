"""Every command has help with an example and is documented in the README; small commands work."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli import cli
from timeline.codebook import CODEBOOK_PATH

COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_with_summary_and_example(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    summary = cli.commands[name].get_short_help_str(limit=200)
    assert summary and not summary.endswith("...")
    assert re.search(rf"Example: timeline {name}\b", result.output), result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_documented_in_readme(repo: Path, name: str) -> None:
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert f"`timeline {name}" in readme


def test_cli_offers_every_citation_format() -> None:
    from timeline.citation import FORMATS
    from timeline.cli import CITATION_FORMATS

    assert CITATION_FORMATS == FORMATS


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["frobnicate"])
    assert result.exit_code == 2
    assert "No such command 'frobnicate'" in result.stderr


def test_locate_prints_offsets(repo: Path) -> None:
    result = CliRunner().invoke(
        cli, ["locate", "guardian-2023-05-25-b8d63b13", "Russia has denied a fire", "--package", str(repo), "--json"]
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    text = (repo / "data/sources/guardian-2023-05-25-b8d63b13.txt").read_text(encoding="utf-8")
    assert text[data["quote_start"] : data["quote_end"]] == "Russia has denied a fire"
    assert data["occurrences"] == 1


def test_locate_refuses_a_quote_not_in_the_source(repo: Path) -> None:
    result = CliRunner().invoke(
        cli, ["locate", "guardian-2023-05-25-b8d63b13", "Russia has admitted", "--package", str(repo)]
    )
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: the quote does not occur verbatim in guardian-2023-05-25-b8d63b13; copy it from the source text "
        "exactly (curly quotes and dashes included)\n"
    )


def test_codebook_check_detects_drift_and_regenerates(package: Path) -> None:
    path = package / CODEBOOK_PATH
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "hand edit\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["codebook", "--package", str(package), "--check"])
    assert result.exit_code == 1
    assert path.read_text(encoding="utf-8") == original + "hand edit\n"
    result = CliRunner().invoke(cli, ["codebook", "--package", str(package)])
    assert result.exit_code == 0
    assert path.read_text(encoding="utf-8") == original


def test_progress_bar_advances_by_bytes_read_per_resource() -> None:
    from timeline.cli_support import ProgressBar as _ProgressBar

    class Bar:
        def __init__(self) -> None:
            self.steps: list[int] = []

        def update(self, step: int) -> None:
            self.steps.append(step)

    bar = Bar()
    feed = _ProgressBar(bar)
    for resource, done in [("sources", 0), ("sources", 100), ("events", 4096), ("events", 4096), ("events", 9000)]:
        feed(resource, done, 0)
    assert bar.steps == [100, 4096, 4904]


def test_validate_draws_no_progress_bar_when_not_a_terminal(repo: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "--package", str(repo)])
    assert result.exit_code == 0
    assert result.stderr == ""


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_takes_the_package_the_same_way_and_prints_json(name: str) -> None:
    options = {opt for param in cli.commands[name].params for opt in getattr(param, "opts", [])}
    assert "--json" in options
    if name != "verify":  # verify checks a downloaded file, which carries its own package
        assert {"--package", "-p"} <= options


def test_codebook_check_json_is_the_library_result(package: Path) -> None:
    from timeline.codebook import update_codebook

    result = CliRunner().invoke(cli, ["codebook", "--check", "--package", str(package), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == update_codebook(package, check=True).to_dict()


def test_diff_of_two_folders_works_from_anywhere(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import copy_package
    from helpers import edit_row

    old = copy_package(tmp_path / "old")
    edit_row(package, "events", 0, summary="A corrected summary.")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = CliRunner().invoke(cli, ["diff", str(old / "datapackage.json"), str(package), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    events = next(r for r in data["resources"] if r["name"] == "events")
    assert [c["key"] for c in events["rows_changed"]] == ["ev-0001"]
    assert data["required_bump"] == "patch"


def test_cite_and_build_json_are_the_library_results(released: Path) -> None:
    from timeline.release.cite import release_citation

    result = CliRunner().invoke(cli, ["cite", "--package", str(released), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["formatted"].startswith(data["authors"][0])
    assert {k: v for k, v in data.items() if k not in ("format", "formatted")} == release_citation(released).to_dict()
    result = CliRunner().invoke(cli, ["build", "--package", str(released), "--json"])
    assert result.exit_code == 0, result.output
    built = json.loads(result.stdout)
    assert built["version"] == "1.0.0" and Path(built["zip"]).is_file()
