"""timeline stamp: recompute hash and bytes, atomically, changing nothing else."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import edit_row, snapshot
from timeline.cli import cli
from timeline.stamp import stamp_package


def test_current_package_is_left_untouched(package: Path) -> None:
    descriptor = package / "datapackage.json"
    before, mtime = descriptor.read_bytes(), descriptor.stat().st_mtime_ns
    result = CliRunner().invoke(cli, ["stamp", "--package", str(package)])
    assert result.exit_code == 0
    assert result.stdout == f"{descriptor}: all 5 hashes and sizes are current; nothing written\n"
    assert descriptor.read_bytes() == before and descriptor.stat().st_mtime_ns == mtime


def test_stamp_changes_only_the_stale_hash_and_bytes_lines(package: Path) -> None:
    descriptor = package / "datapackage.json"
    before = descriptor.read_text(encoding="utf-8").splitlines()
    edit_row(package, "events", 0, stamp=False, summary="A corrected summary.")
    result = stamp_package(package)
    after = descriptor.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert [(c.resource, c.path) for c in result.changes] == [("events", "data/events.csv")]
    data = (package / "data/events.csv").read_bytes()
    assert len(changed) == 2
    assert changed[0][1].strip() == f'"hash": "sha256:{hashlib.sha256(data).hexdigest()}",'
    assert changed[1][1].strip() == f'"bytes": {len(data)}'
    assert result.written


def test_check_mode_reports_stale_and_writes_nothing(package: Path) -> None:
    edit_row(package, "events", 0, stamp=False, summary="A corrected summary.")
    before = snapshot(package)
    result = CliRunner().invoke(cli, ["stamp", "--check", "--package", str(package), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data == stamp_package(package, dry_run=True).to_dict()
    assert data["written"] is False and [c["resource"] for c in data["changes"]] == ["events"]
    assert snapshot(package) == before


def test_write_failure_leaves_the_descriptor_whole(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit_row(package, "events", 0, stamp=False, summary="A corrected summary.")
    before = snapshot(package)

    def failing_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    result = CliRunner().invoke(cli, ["stamp", "--package", str(package)])
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(package) == before  # no temporary file left behind either


@pytest.mark.parametrize(
    "path, message",
    [
        ("../x.csv", "path '../x.csv' contains '..'; keep resources inside the package folder"),
        ("/etc/passwd", "path '/etc/passwd' is absolute; use a path relative to datapackage.json"),
    ],
)
def test_unsafe_paths_are_refused_before_reading(package: Path, path: str, message: str) -> None:
    descriptor = package / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    data["resources"][0]["path"] = path
    descriptor.write_text(json.dumps(data, indent=2), encoding="utf-8")
    before = snapshot(package)
    result = CliRunner().invoke(cli, ["stamp", "--package", str(package)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"
    assert snapshot(package) == before


def test_missing_resource_file_is_a_tool_error(package: Path) -> None:
    (package / "data/places.csv").unlink()
    result = CliRunner().invoke(cli, ["stamp", "--package", str(package)])
    assert result.exit_code == 2
    assert result.stderr == "Error: data/places.csv: resource 'places' has no file; restore it or fix its path\n"
