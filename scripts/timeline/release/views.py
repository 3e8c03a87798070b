"""What the views (`timeline site`, `timeline export`) are drawn from: one release or the working tree, validated.

Validation is passed in (as for `timeline release`), so this layer does not depend on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..citation import Citation, citation_from
from ..errors import InvalidPackageError, PackageFileError, RevisionError
from ..package import find_package
from ..package.safeio import read_text
from ..package.tables import PackageTables, read_tables
from ..versioning.semver import SEMVER
from .cite import release_citation
from .history import snapshot

Validator = Callable[[Path], list[str]]


@dataclass(frozen=True)
class ViewSource:
    label: str  # "working tree" or "1.0.1 (abc1234)"
    tables: PackageTables
    citation: Citation


def _working_citation(root: Path, tables: PackageTables) -> Citation:
    try:
        cff_text = read_text(root, "CITATION.cff", "metadata")
    except PackageFileError as error:
        if error.problem != "missing":
            raise
        cff_text = ""
    return citation_from(tables.descriptor, cff_text, tables.version, str(tables.descriptor.get("created", ""))[:10])


@contextmanager
def view_source(path: str | Path | None, version: str | None, validate: Validator) -> Iterator[ViewSource]:
    """The package at PATH (default: found upwards), validated; or its release VERSION, read from git.

    A release is not validated again: `timeline release` refused it unless it was valid,
    and its snapshot holds only the package files (no CHANGELOG.md), which today's
    checks would count against it.
    """
    root = find_package(path).parent
    if version is not None and not SEMVER.match(version.lstrip("v")):
        raise RevisionError(f"--version takes a release version such as 1.0.1, not {version!r}")
    with snapshot(version.lstrip("v") if version else None, root) as snap:
        problems = [] if version else validate(snap.root / "datapackage.json")
        if problems:
            shown = "\n  ".join(problems[:5])
            more = f"\n  … and {len(problems) - 5} more" if len(problems) > 5 else ""
            raise InvalidPackageError(
                f"{snap.label} is not a valid package ({len(problems)} problem(s)); "
                f"fix them first (`timeline validate`):\n  {shown}{more}"
            )
        tables = read_tables(snap.root)
        citation = release_citation(root, version) if version else _working_citation(root, tables)
        yield ViewSource(snap.label, tables, citation)
