"""Findings and the Report that collects them.

A finding is one thing wrong, at one place, with how to fix it. ``type`` is a
stable slug: scripts may match on it, so a slug is never renamed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from .findings import FindingType


@dataclass(frozen=True)
class Finding:
    type: str
    message: str
    file: str = ""
    row: int | None = None  # 1-based line-style row number as frictionless counts it (header = 1)
    field: str = ""
    fix: str = ""

    @classmethod
    def of(
        cls, kind: FindingType, message: str, *, file: str = "", row: int | None = None, field: str = "", fix: str = ""
    ) -> Finding:
        """A finding of a registered type; its fix defaults to the registry's hint."""
        return cls(kind.slug, message, file=file, row=row, field=field, fix=fix or kind.fix)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Report:
    """The result of ``timeline validate``: valid when it holds no finding."""

    package: str
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # files that were read, in order
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.findings

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "package": self.package,
            "finding_count": len(self.findings),
            "findings": [f.to_dict() for f in self.findings],
            "checked": list(self.checked),
            "stats": dict(self.stats),
        }
