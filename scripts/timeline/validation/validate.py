"""``timeline validate``: the frictionless verdict plus everything frictionless cannot check.

One pass over each data file: our row rules run as frictionless Checks inside
frictionless's own read. Order of work:

1. find and parse datapackage.json; refuse unsafe resource paths before reading anything;
2. JSON Schema: the descriptor and each Table Schema against our profiles and the official
   Data Package v2 profiles, CITATION.cff and .zenodo.json;
3. consistency of CHANGELOG.md and CITATION.cff with the version;
4. frictionless ``Package.validate`` with our checks (row rules, provenance, safety).
"""

from __future__ import annotations

import time
from pathlib import Path

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
from .preflight import check_paths
from .report import Finding, Report


def validate_package(path: str | Path | None = None, *, progress: ProgressCallback | None = None) -> Report:
    """Validate the package at PATH (default: found from the current folder). Never prints."""
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
    refs, schema_paths = preflight

    report.extend(check_descriptor(root, descriptor))
    readable_schemas = [(rel, p) for rel, p in schema_paths if p.is_file()]
    report.extend(check_table_schemas(root, readable_schemas))
    report.extend(check_official_profiles(root, descriptor, readable_schemas))
    report.extend(check_citation_files(root))
    report.extend(check_consistency(root, descriptor))

    context = Context(root=root, progress=progress)
    checks = TimelineChecks(checks=[Progress(context=context), *default_checks(context)])
    # Sources first: the event checks need the source texts and publication dates.
    ordered = dict(descriptor)
    ordered["resources"] = sorted(
        descriptor.get("resources", []), key=lambda r: 0 if isinstance(r, dict) and r.get("name") == "sources" else 1
    )
    try:
        package = Package(ordered, basepath=str(root))
        result = package.validate(Checklist(checks=[checks]))
    except FrictionlessException as exception:
        report.extend(findings_from_exception(exception))
        return report
    files = {ref.name: ref.path for ref in refs}
    report.extend(locate_encoding_errors(root, frictionless_findings(result, files)))
    report.extend(context.findings)
    report.extend(context.overflow())
    report.checked = ["datapackage.json", *[p for p, _ in schema_paths], *[ref.path for ref in refs]]
    report.stats = {
        "seconds": round(time.perf_counter() - started, 3),
        "rows": {task.name: task.stats.get("rows") for task in result.tasks if task.stats.get("rows") is not None},
    }
    return report
