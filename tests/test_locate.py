"""timeline locate --all / --near: pinning dating words that occur more than once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli import cli
from timeline.locate import locate_quote

SOURCE = "guardian-2023-05-25-b8d63b13"


def run(repo: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["locate", SOURCE, *args, "--package", str(repo)])
    return result.exit_code, result.stdout


@pytest.mark.parametrize(
    "near, expected",
    [(None, (312, 324)), (0, (312, 324)), (1140, (1283, 1295)), (2000, (1283, 1295)), (797, (312, 324))],
)
def test_near_picks_the_closest_occurrence(repo: Path, near: int | None, expected: tuple[int, int]) -> None:
    location = locate_quote(repo, SOURCE, "on Wednesday", near=near)
    assert (location.quote_start, location.quote_end, location.occurrences) == (*expected, 2)


def test_all_lists_every_occurrence_with_context_and_marks_the_chosen_one(repo: Path) -> None:
    code, out = run(repo, "on Wednesday", "--all", "--near", "1140")
    assert code == 0
    assert out == (
        "quote_start=1283 quote_end=1295 (nearest to 1140 of 2 occurrences)\n"
        "  312:324  … border region this week said [on Wednesday] his group would soon launch m…\n"
        "* 1283:1295  …son John Kirby told reporters [on Wednesday].  He said the US has been cle…\n"
    )


def test_json_is_the_library_result(repo: Path) -> None:
    code, out = run(repo, "this week", "--all", "--json")
    assert code == 0
    data = json.loads(out)
    assert data == locate_quote(repo, SOURCE, "this week", list_all=True).to_dict()
    text = (repo / f"data/sources/{SOURCE}.txt").read_text(encoding="utf-8")
    assert [text[m["start"] : m["end"]] for m in data["matches"]] == ["this week", "this week"]
    assert [(m["start"], m["end"]) for m in data["matches"]] == [(297, 306), (1489, 1498)]


def test_negative_offset_is_a_usage_error(repo: Path) -> None:
    code, _ = run(repo, "on Wednesday", "--near", "-1")
    assert code == 2
