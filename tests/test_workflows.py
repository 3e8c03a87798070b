"""The forge workflows, checked offline: GitHub's workflow JSON Schema and zizmor, with zero findings.

Both tools come with the test extra (pip), so these never skip; neither needs a network.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

BIN = Path(sys.executable).parent
WORKFLOWS = ("ci.yml", "release.yml")


def run(tool: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / tool), *map(str, args)], capture_output=True, text=True, timeout=120)


def schema_check(folder: Path) -> subprocess.CompletedProcess[str]:
    return run("check-jsonschema", "--builtin-schema", "vendor.github-workflows",
               *sorted((folder / ".github/workflows").glob("*.yml")))


def zizmor(folder: Path) -> subprocess.CompletedProcess[str]:
    # JSON: the same findings as the default listing, without colours (zizmor colours output when CI is set)
    workflows = folder / ".github/workflows"
    return run("zizmor", "--offline", "--persona", "pedantic", "--format", "json", "--no-progress", workflows)



def load(repo: Path, name: str) -> dict[Any, Any]:
    data = yaml.safe_load((repo / ".github/workflows" / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_workflows_meet_githubs_workflow_schema(repo: Path) -> None:
    result = schema_check(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "ok -- validation done"


def test_zizmor_finds_nothing_even_pedantic(repo: Path) -> None:
    result = zizmor(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize(
    ("old", "new", "check", "expected"),
    [
        ("runs-on: ubuntu-latest", "runs-on: [", schema_check, "Failed to parse"),
        ("    runs-on: ubuntu-latest\n", "", schema_check, "Schema validation errors were encountered"),
        ("run: bash .ci/run", 'run: echo "${{ github.event.head_commit.message }}"', zizmor, "template-injection"),
        ("          persist-credentials: false\n", "", zizmor, "artipacked"),
    ],
    ids=["yaml-error", "no-runner", "template-injection", "persisted-credentials"],
)
def test_the_checks_catch_a_broken_workflow(
    tmp_path: Path, repo: Path, old: str, new: str, check: Any, expected: str
) -> None:
    target = tmp_path / ".github/workflows"
    shutil.copytree(repo / ".github/workflows", target)
    path = target / "ci.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    result = check(tmp_path)
    assert result.returncode != 0
    assert expected in result.stdout + result.stderr


def test_ci_runs_the_ci_script_on_push_and_pull_request(repo: Path) -> None:
    ci = load(repo, "ci.yml")
    assert set(ci[True]) == {"push", "pull_request"}  # YAML 1.1 reads the key `on` as true
    steps = ci["jobs"]["ci"]["steps"]
    assert steps[-1]["run"] == "bash .ci/run"


def test_release_rebuilds_checks_and_attaches_on_a_version_tag(repo: Path) -> None:
    release = load(repo, "release.yml")
    assert release[True] == {"push": {"tags": ["v*"]}}
    assert release["permissions"] == {}
    job = release["jobs"]["attach"]
    assert job["permissions"] == {"contents": "write"}
    script = "\n".join(step.get("run", "") for step in job["steps"])
    assert '.venv/bin/timeline build --version "$version" --out dist' in script
    assert "sha256sum --check --strict ../expected.sha256" in script
    assert "(.archives + (.views // []))[]" in script  # every file the manifest lists is checked and attached
    assert 'gh release upload "$TAG" --clobber "${files[@]}" "$manifest"' in script


@pytest.mark.parametrize("name", WORKFLOWS)
def test_every_action_is_pinned_by_full_commit(repo: Path, name: str) -> None:
    uses = re.findall(r"uses: (\S+)", (repo / ".github/workflows" / name).read_text(encoding="utf-8"))
    assert uses
    assert all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u) for u in uses), uses
