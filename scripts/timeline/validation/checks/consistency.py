"""Agreement between files: the changelog and the citation follow datapackage.json's version."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from .. import findings as F
from ..report import Finding

UNRELEASED = re.compile(r"^## \[Unreleased\]", re.MULTILINE)


def changelog_has_section(text: str, version: str) -> bool:
    return bool(UNRELEASED.search(text)) or bool(re.search(rf"^## \[{re.escape(version)}\]", text, re.MULTILINE))


def check_consistency(root: Path, descriptor: dict[str, Any]) -> Iterator[Finding]:
    version = str(descriptor.get("version", ""))
    changelog = root / "CHANGELOG.md"
    if not changelog.is_file():
        yield Finding.of(
            F.CHANGELOG_MISSING,
            "CHANGELOG.md is missing",
            file="CHANGELOG.md",
            fix="add a Keep a Changelog file with an '## [Unreleased]' section",
        )
    elif not changelog_has_section(changelog.read_text(encoding="utf-8"), version):
        yield Finding.of(
            F.CHANGELOG_VERSION_MISSING,
            f"CHANGELOG.md has neither '## [Unreleased]' nor '## [{version}]'",
            file="CHANGELOG.md",
            fix=f"add '## [Unreleased]' (or '## [{version}] - YYYY-MM-DD') above the older sections",
        )
    citation = root / "CITATION.cff"
    if citation.is_file():
        try:
            data = yaml.safe_load(citation.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, yaml.YAMLError):
            return  # reported by the metadata check
        cff_version = str(data.get("version", "")) if isinstance(data, dict) else ""
        if cff_version != version:
            yield Finding.of(
            F.CITATION_VERSION_MISMATCH,
                f"CITATION.cff has version {cff_version!r}, datapackage.json has {version!r}",
                file="CITATION.cff",
                field="version",
                fix="make a release with `timeline release`, which writes both",
            )
