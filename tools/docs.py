"""Regenerate the README blocks that come from code: the finding types and bump rules tables.

    .venv/bin/python tools/docs.py          # rewrite README.md's generated blocks
    .venv/bin/python tools/docs.py --check  # exit 1 when they are out of date

A test (tests/test_docs.py) fails when README.md and the registry differ.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from timeline.package.atomic import atomic_write_text
from timeline.validation.findings import finding_types_table
from timeline.versioning.rules import bump_rules_table

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = {"finding-types": finding_types_table, "bump-rules": bump_rules_table}


def regenerate(text: str) -> str:
    for name, render in BLOCKS.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n)(.*?)(<!-- {name}:end -->)", re.DOTALL)
        text = pattern.sub(lambda m, r=render: m.group(1) + r() + m.group(3), text)  # type: ignore[misc]
    return text


@click.command()
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when README.md is out of date.")
def main(check: bool) -> None:
    """Regenerate README.md's generated blocks from the code.

    \b
    Example: .venv/bin/python tools/docs.py --check
    """
    text = README.read_text(encoding="utf-8")
    new = regenerate(text)
    if new == text:
        click.echo("README.md: generated blocks up to date")
        return
    if check:
        click.echo("README.md: generated blocks out of date; run tools/docs.py", err=True)
        sys.exit(1)
    atomic_write_text(README, new)
    click.echo("README.md: generated blocks written")


if __name__ == "__main__":
    main()
