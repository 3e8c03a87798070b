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


def test_readme_citation_is_what_timeline_cite_prints(repo: Path) -> None:
    import subprocess

    import pytest
    from click.testing import CliRunner

    from timeline.cli import cli

    shallow = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=repo, capture_output=True, text=True)
    if shallow.returncode != 0:
        pytest.skip("not a git checkout: releases are read from git history")
    if shallow.stdout.strip() == "true":
        pytest.skip("shallow clone: the release commits are not in this history (git fetch --unshallow)")
    result = CliRunner().invoke(cli, ["cite", "--package", str(repo)])
    assert result.exit_code == 0, result.output
    readme = (repo / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- timeline-cite:start -->\n", 1)[1].split("<!-- timeline-cite:end -->", 1)[0]
    assert block == f"```\n{result.stdout}```\n"


def test_readme_finding_types_table_is_generated_from_the_registry(repo: Path) -> None:
    from timeline.validation.findings import REGISTRY, finding_types_table

    readme = (repo / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- finding-types:start -->\n", 1)[1].split("<!-- finding-types:end -->", 1)[0]
    assert block == finding_types_table()
    assert all(f"| `{slug}` |" in block for slug in REGISTRY)


def test_checks_emit_registry_entries_never_bare_strings(repo: Path) -> None:
    import re

    code = "\n".join(p.read_text(encoding="utf-8") for p in (repo / "scripts/timeline").rglob("*.py"))
    bare = re.findall(r'(?:Finding\.of\(|\.finding\(|Finding\()\s*(?:type=)?"([a-z0-9-]+)"', code)
    assert bare == []


def test_every_registered_finding_type_has_a_test_that_expects_it(repo: Path) -> None:
    """Tests assert findings by their slug: a registered type no test names is a type no test produces."""
    from timeline.validation.findings import REGISTRY

    tests = "\n".join(p.read_text(encoding="utf-8") for p in (repo / "tests").glob("test_*.py"))
    untested = sorted(slug for slug in REGISTRY if f'"{slug}"' not in tests)
    assert untested == []
