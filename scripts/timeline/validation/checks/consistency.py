"""Agreement between files: the changelog and the citation follow datapackage.json's version."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...errors import PackageFileError
from ...package.safeio import load_yaml, read_text
from .. import findings as F
from ..files import file_finding
from ..report import Finding

UNRELEASED = re.compile(r"^## \[Unreleased\]", re.MULTILINE)


def changelog_has_section(text: str, version: str) -> bool:
    return bool(UNRELEASED.search(text)) or bool(re.search(rf"^## \[{re.escape(version)}\]", text, re.MULTILINE))


def check_consistency(root: Path, descriptor: dict[str, Any]) -> Iterator[Finding]:
    version = str(descriptor.get("version", ""))
    try:
        changelog = read_text(root, "CHANGELOG.md", "changelog")
    except PackageFileError as error:
        yield file_finding(error, F.CHANGELOG_UNREADABLE, F.CHANGELOG_MISSING)
    else:
        if not changelog_has_section(changelog, version):
            yield Finding.of(
                F.CHANGELOG_VERSION_MISSING,
                f"CHANGELOG.md has neither '## [Unreleased]' nor '## [{version}]'",
                file="CHANGELOG.md",
                fix=f"add '## [Unreleased]' (or '## [{version}] - YYYY-MM-DD') above the older sections",
            )
    try:
        data = load_yaml(root, "CITATION.cff")
    except PackageFileError:
        return  # absent (allowed before the first release), or reported by the metadata check
    cff_version = str(data.get("version", "")) if isinstance(data, dict) else ""
    if cff_version != version:
        yield Finding.of(
            F.CITATION_VERSION_MISMATCH,
            f"CITATION.cff has version {cff_version!r}, datapackage.json has {version!r}",
            file="CITATION.cff",
            field="version",
            fix="make a release with `timeline release`, which writes both",
        )
