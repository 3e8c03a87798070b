"""The README's "For researchers" commands and snippets run as written, and load the Table Schema's types."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
BIN = str(Path(sys.executable).parent)


def block(marker: str) -> str:
    match = re.search(rf"<!-- {marker}:start -->\n(.*?)<!-- {marker}:end -->", README, re.DOTALL)
    assert match, f"README has no {marker} block"
    return match.group(1)


def code_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.DOTALL)


def test_the_check_commands_run_as_written_on_a_fresh_release(released: Path, tmp_path: Path) -> None:
    (commands,) = code_blocks(block("researchers-check"), "sh")
    assert commands.startswith("V=X.Y.Z ")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    shutil.copy2(released / "dist" / "belgorod-raid-timeline-1.0.0.zip", downloads)
    script = commands.replace("V=X.Y.Z ", "V=1.0.0 ", 1)
    env = {**os.environ, "PATH": BIN + os.pathsep + os.environ["PATH"]}
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], cwd=downloads, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "data/events.csv: OK" in result.stdout.splitlines()
    verdicts = [line for line in result.stdout.splitlines() if line.startswith("VERIFIED ")]
    assert verdicts == [
        "VERIFIED ../belgorod-raid-timeline-1.0.0.zip: release 1.0.0",
        "VERIFIED data/events.csv: release 1.0.0",
    ]


def pandas_types(events: Any) -> dict[str, str]:
    kinds = {"M": "date", "i": "integer", "f": "number"}
    return {name: kinds.get(dtype.kind, "string") for name, dtype in events.dtypes.items()}


def polars_types(events: Any) -> dict[str, str]:
    import polars as pl

    kinds = {pl.Date: "date", pl.Int64: "integer", pl.Float64: "number"}
    return {name: kinds.get(dtype, "string") for name, dtype in events.schema.items()}


def duckdb_types(events: Any) -> dict[str, str]:
    kinds = {"DATE": "date", "BIGINT": "integer", "INTEGER": "integer", "DOUBLE": "number"}
    return {name: kinds.get(str(dtype), "string") for name, dtype in zip(events.columns, events.dtypes, strict=True)}


def null_counts(events: Any, reader: str) -> dict[str, int]:
    if reader == "pandas":
        return {name: int(count) for name, count in events.isna().sum().items()}
    if reader == "polars":
        return {name: int(events[name].null_count()) for name in events.columns}
    return {name: events.filter(f'"{name}" IS NULL').aggregate("count(*)").fetchall()[0][0] for name in events.columns}


READERS = {"pandas": pandas_types, "polars": polars_types, "duckdb": duckdb_types}


@pytest.mark.parametrize("reader", sorted(READERS))
def test_each_python_snippet_loads_the_table_schemas_types(
    package: Path, monkeypatch: pytest.MonkeyPatch, reader: str
) -> None:
    blocks = code_blocks(block("researchers-load"), "python")
    snippets = {re.findall(r"^import (\w+)", code, re.M)[0]: code for code in blocks}
    assert sorted(snippets) == sorted(READERS)
    monkeypatch.chdir(package)  # the snippets read data/events.csv relative to the package, as written
    namespace: dict[str, Any] = {}
    exec(compile(snippets[reader], f"README ({reader})", "exec"), namespace)  # our own README's code
    events = namespace["events"]
    schema = json.loads((package / "schemas/events.schema.json").read_text())
    assert READERS[reader](events) == {f["name"]: f["type"] for f in schema["fields"]}
    with open(package / "data/events.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    empty = {name: sum(1 for row in rows if row[name] == "") for name in rows[0]}
    assert null_counts(events, reader) == empty  # an empty cell, and only that, is missing
    assert empty["fatalities"] == len(rows) == 20  # the all-empty column is a nullable integer, not float or text
