"""The README's set-up commands are the ones CI runs."""

from __future__ import annotations

from pathlib import Path

TEST_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
MAIN_COMMAND = (
    "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/timeline validate "
    "&& .venv/bin/frictionless validate datapackage.json"
)


def test_readme_has_exactly_the_two_setup_commands(repo: Path) -> None:
    readme = (repo / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    blocks = [b.strip() for b in section.split("```")[1::2]]
    assert blocks == [MAIN_COMMAND, TEST_COMMAND]


def test_ci_runs_the_readme_test_command(repo: Path) -> None:
    ci = (repo / ".ci/run").read_text(encoding="utf-8")
    assert TEST_COMMAND in ci.splitlines()
