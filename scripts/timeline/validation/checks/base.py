"""Shared state of one validation run, and the base class of our checks."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import attrs
from frictionless import Check

from ..findings import TOO_MANY_FINDINGS, FindingType
from ..report import Finding

# A finding type repeated more often than this is summarised, not listed:
# one broken rule on a million rows should not print a million lines.
MAX_FINDINGS_PER_TYPE = 200

ProgressCallback = Callable[[str, int, int], None]


@dataclass
class Context:
    root: Path
    # source_id -> (text, published date); filled by SourceTexts, read by event checks
    texts: dict[str, str] = field(default_factory=dict)
    published: dict[str, datetime.date] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    progress: ProgressCallback | None = None
    # tables whose Table Schema breaks what the checks read (validation.contract): their checks stand aside
    stand_aside: set[str] = field(default_factory=set)

    def add(self, finding: Finding) -> None:
        self.counts[finding.type] += 1
        if self.counts[finding.type] <= MAX_FINDINGS_PER_TYPE:
            self.findings.append(finding)

    def overflow(self) -> Iterable[Finding]:
        for type_, count in sorted(self.counts.items()):
            if count > MAX_FINDINGS_PER_TYPE:
                more = count - MAX_FINDINGS_PER_TYPE
                yield Finding.of(TOO_MANY_FINDINGS, f"{more} more '{type_}' findings not listed ({count} in all)")


PROGRESS_EVERY = 8192  # rows between progress callbacks: rare enough to cost nothing


class TimelineCheck:
    """One rule set over the rows of some resources; reports into a Context.

    ``resources`` limits the check to resources of these names (empty: every
    tabular resource). Plain classes: frictionless sees them through one
    :class:`TimelineChecks` adapter, so each row costs one dispatch, not one per check.
    """

    resources: ClassVar[tuple[str, ...]] = ()
    tabular_only: ClassVar[bool] = True

    def __init__(self, *, context: Context) -> None:
        self.context = context
        self.resource: Any = None
        self.active = False
        self.file = ""

    def connect(self, resource: Any) -> None:
        self.resource = resource
        wanted = not self.resources or resource.name in self.resources
        if self.resources and resource.name in self.context.stand_aside:
            wanted = False
        self.active = wanted and (resource.type == "table" or not self.tabular_only)
        self.file = str(resource.path or resource.name)

    def finding(
        self, kind: FindingType, message: str, *, row: int | None = None, field: str = "", fix: str = ""
    ) -> None:
        self.context.add(Finding.of(kind, message, file=self.file, row=row, field=field, fix=fix))

    def start(self) -> None:
        pass

    def row(self, row: Any) -> None:
        pass

    def end(self) -> None:
        pass


@attrs.define(kw_only=True, repr=False)
class TimelineChecks(Check):
    """The frictionless Check that runs our checks inside frictionless's own pass over each file."""

    type: ClassVar[str] = "timeline-checks"
    checks: list[TimelineCheck] = attrs.field(factory=list)
    connected: list[TimelineCheck] = attrs.field(factory=list, init=False)
    row_handlers: list[Callable[[Any], None]] = attrs.field(factory=list, init=False)

    def connect(self, resource: Any) -> None:
        super().connect(resource)
        for check in self.checks:
            check.connect(resource)
        self.connected = [check for check in self.checks if check.active]
        # Only checks that look at rows are called per row.
        self.row_handlers = [c.row for c in self.connected if type(c).row is not TimelineCheck.row]

    def validate_start(self) -> Iterable[Any]:
        for check in self.connected:
            check.start()
        return ()

    def validate_row(self, row: Any) -> Iterable[Any]:
        for handler in self.row_handlers:
            handler(row)
        return ()

    def validate_end(self) -> Iterable[Any]:
        for check in self.connected:
            check.end()
        return ()


class Progress(TimelineCheck):
    """Reports bytes read so far, for a progress bar; finds nothing."""

    tabular_only: ClassVar[bool] = False
    rows_seen: int = 0

    def start(self) -> None:
        self.rows_seen = 0
        self.report_progress()

    def row(self, row: Any) -> None:
        self.rows_seen += 1
        if self.rows_seen % PROGRESS_EVERY == 0:
            self.report_progress()

    def end(self) -> None:
        self.report_progress()

    def report_progress(self) -> None:
        if self.context.progress is not None:
            self.context.progress(self.resource.name, self.resource.stats.bytes or 0, self.rows_seen)
