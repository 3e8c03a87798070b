"""``timeline validate``: the frictionless verdict plus everything frictionless cannot check.

One pass over each data file: our row rules run as frictionless Checks inside
frictionless's own read. Order of work:

1. find and parse datapackage.json; refuse unsafe resource paths, files that are not regular
   files, and resources not declared as the project writes them, before reading any table;
2. JSON Schema: the descriptor and each Table Schema against our profiles and the official
   Data Package v2 profiles, CITATION.cff and .zenodo.json; the fields and primary keys our
   checks rely on;
3. consistency of CHANGELOG.md and CITATION.cff with the version;
4. frictionless ``Package.validate`` (offline, schemas and dialects inline) with our checks
   (row rules, provenance, canonical values, safety).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from frictionless import Checklist, FrictionlessException, Package

from ..errors import DescriptorError
from ..package import find_package, load_descriptor
from . import findings as F
from .adapter import findings_from_exception, frictionless_findings, locate_encoding_errors
from .checks import Context, default_checks
from .checks.base import Progress, ProgressCallback, TimelineChecks
from .checks.consistency import check_consistency
from .checks.metadata import check_citation_files, check_descriptor, check_table_schemas
from .checks.profiles import check_official_profiles
from .contract import check_contract, tables_standing_aside
from .declarations import TABLES
from .offline import offline
from .preflight import check_paths
from .report import Finding, Report

ENGINES = ("auto", "fast", "reference")
# Below this many bytes of tables, "auto" takes the reference engine: importing pyarrow costs more
# than the fast engine saves, and the verdict is the same.
AUTO_FAST_MIN_BYTES = 1_000_000


def validate_package(
    path: str | Path | None = None, *, progress: ProgressCallback | None = None, engine: str = "auto"
) -> Report:
    """Validate the package at PATH (default: found from the current folder). Never prints.

    ``engine``: "fast" decides on columns what it can decide exactly and otherwise runs the
    reference; "reference" is frictionless's own row pass with our checks inside; "auto" is
    "fast" for packages whose tables hold at least ``AUTO_FAST_MIN_BYTES``.
    """
    started = time.perf_counter()
    descriptor_path = find_package(path)
    root = descriptor_path.parent
    report = Report(package=str(descriptor_path))

    try:
        descriptor = load_descriptor(descriptor_path)
    except DescriptorError as error:
        report.add(
            Finding.of(
                F.INVALID_DESCRIPTOR,
                str(error),
                file="datapackage.json",
                fix="fix the JSON syntax (a JSON linter shows the spot), then validate again",
            )
        )
        return report

    preflight = check_paths(root, descriptor, report)
    if preflight is None:
        return report
    refs, declarations, tables_readable = preflight

    report.extend(check_descriptor(root, descriptor))
    report.extend(check_table_schemas(root, declarations.schemas))
    report.extend(check_official_profiles(root, descriptor, declarations.schemas))
    contract = list(check_contract(declarations.schemas, declarations.resource_schemas))
    report.extend(contract)
    report.extend(check_citation_files(root))
    report.extend(check_consistency(root, descriptor))
    if not tables_readable:
        return report  # a table is unsafe or declared so that rows could hide: read none

    # Sources first: the event checks need the source texts and publication dates.
    ordered = dict(declarations.inline)
    ordered["resources"] = sorted(
        ordered.get("resources", []), key=lambda r: 0 if isinstance(r, dict) and r.get("name") == "sources" else 1
    )
    if report.valid and _wants_fast(engine, root, refs):
        # Only a package frictionless finds clean is decided fast; with any finding so far, the reference decides.
        from .engine.fast import FastEngine

        fast_context = Context(root=root, progress=progress)
        fast = FastEngine(root, ordered, fast_context, [Progress(context=fast_context), *default_checks(fast_context)])
        outcome = fast.run()
        if outcome is not None:
            report.extend(fast_context.findings)
            report.extend(fast_context.overflow())
            report.checked = ["datapackage.json", *declarations.schemas, *[ref.path for ref in refs]]
            report.stats = {"seconds": round(time.perf_counter() - started, 3), "rows": outcome.rows, "engine": "fast"}
            return report
        report.stats["deferred"] = fast.deferred  # why the fast engine handed the package to the reference

    context = Context(
        root=root, progress=progress, stand_aside=tables_standing_aside(contract, declarations.resource_schemas)
    )
    checks = TimelineChecks(checks=[Progress(context=context), *default_checks(context)])
    try:
        with offline():
            package = Package(ordered, basepath=str(root))
            result = package.validate(Checklist(checks=[checks]))
    except FrictionlessException as exception:
        report.extend(findings_from_exception(exception))
        return report
    except Exception as error:  # noqa: BLE001 - frictionless fails on some malformed metadata instead of reporting it
        detail = str(error).splitlines()[0] if str(error) else ""
        message = f"frictionless stopped ({type(error).__name__}: {detail}); no table was checked"
        report.add(Finding.of(F.VALIDATION_STOPPED, message, file="datapackage.json"))
        return report
    files = {ref.name: ref.path for ref in refs}
    report.extend(locate_encoding_errors(root, frictionless_findings(result, files)))
    report.extend(context.findings)
    report.extend(context.overflow())
    report.extend(empty_tables(result, files))
    report.checked = ["datapackage.json", *declarations.schemas, *[ref.path for ref in refs]]
    report.stats = {
        "seconds": round(time.perf_counter() - started, 3),
        "rows": {task.name: task.stats.get("rows") for task in result.tasks if task.stats.get("rows") is not None},
        "engine": "reference",
        **report.stats,
    }
    return report


def _wants_fast(engine: str, root: Path, refs: Any) -> bool:
    if engine == "reference":
        return False
    if engine == "fast":
        return True
    total: int = sum((root / ref.path).stat().st_size for ref in refs)
    return total >= AUTO_FAST_MIN_BYTES


def empty_tables(result: Any, files: dict[str, str]) -> Iterator[Finding]:
    """A table read without error and without a row: frictionless calls that valid."""
    for task in result.tasks:
        # frictionless leaves "rows" out of a table's stats when it read none
        if task.name in TABLES and task.valid and "fields" in task.stats and not task.stats.get("rows"):
            yield Finding.of(F.TABLE_EMPTY, "the table has a header and no rows", file=files.get(task.name, task.name))
