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
    sources_seen: bool = False
    event_kinds: dict[str, str] = field(default_factory=dict)  # event_type -> kind, from the schema
    findings: list[Finding] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    progress: ProgressCallback | None = None

    def add(self, finding: Finding) -> None:
        self.counts[finding.type] += 1
        if self.counts[finding.type] <= MAX_FINDINGS_PER_TYPE:
            self.findings.append(finding)

    def overflow(self) -> Iterable[Finding]:
        for type_, count in sorted(self.counts.items()):
            if count > MAX_FINDINGS_PER_TYPE:
                yield Finding(
                    type="too-many-findings",
                    message=f"{count - MAX_FINDINGS_PER_TYPE} more '{type_}' findings not listed ({count} in all)",
                    fix="fix the ones listed, then validate again",
                )


PROGRESS_EVERY = 8192  # rows between progress callbacks: rare enough to cost nothing


@attrs.define(kw_only=True, repr=False)
class TimelineCheck(Check):
    """A frictionless Check that reports into a Context.

    ``resources`` limits the check to resources of these names (empty: every
    tabular resource).
    """

    type: ClassVar[str] = "timeline-check"
    resources: ClassVar[tuple[str, ...]] = ()
    tabular_only: ClassVar[bool] = True
    context: Any = None
    active: bool = False
    file: str = ""

    def connect(self, resource: Any) -> None:
        super().connect(resource)
        wanted = not self.resources or resource.name in self.resources
        self.active = wanted and (resource.type == "table" or not self.tabular_only)
        self.file = str(resource.path or resource.name)

    def finding(self, type_: str, message: str, *, row: int | None = None, field: str = "", fix: str = "") -> None:
        self.context.add(Finding(type=type_, message=message, file=self.file, row=row, field=field, fix=fix))

    # frictionless calls these; subclasses implement start/row/end instead
    def validate_start(self) -> Iterable[Any]:
        if self.active:
            self.start()
        return ()

    def validate_row(self, row: Any) -> Iterable[Any]:
        if self.active:
            self.row(row)
        return ()

    def validate_end(self) -> Iterable[Any]:
        if self.active:
            self.end()
        return ()

    def start(self) -> None:
        pass

    def row(self, row: Any) -> None:
        pass

    def end(self) -> None:
        pass


@attrs.define(kw_only=True, repr=False)
class Progress(TimelineCheck):
    """Reports bytes read so far, for a progress bar; finds nothing."""

    type: ClassVar[str] = "timeline-progress"
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
