"""Small helpers for tests that mutate a package copy."""

from __future__ import annotations

import csv
import hashlib
import subprocess
from pathlib import Path

from click.testing import CliRunner

from timeline.cli import cli
from timeline.stamp import stamp_package


def read_rows(package: Path, table: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(package / "data" / f"{table}.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(package: Path, table: str, header: list[str], rows: list[dict[str, str]], *, stamp: bool = True) -> None:
    """Rewrite a table; by default re-stamp hashes so only the intended defect remains."""
    with open(package / "data" / f"{table}.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    if stamp:
        stamp_package(package)


def edit_row(package: Path, table: str, index: int, stamp: bool = True, **changes: str) -> None:
    header, rows = read_rows(package, table)
    rows[index].update(changes)
    write_rows(package, table, header, rows, stamp=stamp)


def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every file below folder (symlinks by target name), to prove nothing was written."""
    result = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            result[str(path.relative_to(folder))] = "link:" + str(path.readlink())
        elif path.is_file():
            result[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return result


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def invoke(*args: str) -> tuple[int, str, str]:
    """Run the CLI in-process; never lets an exception other than SystemExit pass silently."""
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def state(repo: Path) -> dict[str, object]:
    """Everything a release may touch: files, HEAD, tags, index and dist/."""
    files = {k: v for k, v in snapshot(repo).items() if not k.startswith(".git/")}
    return {
        "files": files,
        "head": git(repo, "rev-parse", "HEAD"),
        "tags": git(repo, "tag"),
        "status": git(repo, "status", "--porcelain"),
    }
