"""The diff model: one result object (as csv-diff has), rendered for people or dumped as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .rules import bump_for, reason
from .semver import max_level


@dataclass(frozen=True)
class SchemaChange:
    kind: str  # stable slug, a key of rules.BUMPS: field-removed, constraint-tightened, ...
    field: str
    detail: str

    @property
    def bump(self) -> str:
        return bump_for(self.kind)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "field": self.field, "detail": self.detail, "bump": self.bump}


@dataclass(frozen=True)
class MetadataChange:
    field: str  # the descriptor key
    old: Any
    new: Any
    kind: str = "metadata-changed"

    @property
    def bump(self) -> str:
        return bump_for(self.kind)

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new, "kind": self.kind, "bump": self.bump}


@dataclass
class RowChange:
    key: str
    changes: dict[str, list[str]]  # field -> [old, new]

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "changes": self.changes}


@dataclass
class ResourceDiff:
    name: str
    status: str  # added | removed | changed | unchanged
    path: str = ""
    rows_added: list[str] = field(default_factory=list)
    rows_removed: list[str] = field(default_factory=list)
    rows_changed: list[RowChange] = field(default_factory=list)
    schema_changes: list[SchemaChange] = field(default_factory=list)
    file_changed: bool = False  # non-tabular resources: bytes differ

    def classified(self) -> list[tuple[str, str]]:
        """Every change as (kind, text): one list drives both the required bump and its reasons."""
        items: list[tuple[str, str]] = []
        if self.status in ("added", "removed"):
            items.append((f"resource-{self.status}", f"resource {self.name} {self.status}"))
        items += [(c.kind, f"{self.name}: {c.kind} {c.detail}") for c in self.schema_changes]
        if self.rows_removed:
            items.append(("rows-removed", f"{self.name}: {len(self.rows_removed)} rows removed"))
        if self.rows_added and self.status != "added":  # a new resource's rows are the resource-added change
            items.append(("rows-added", f"{self.name}: {len(self.rows_added)} rows added"))
        if self.rows_changed:
            items.append(("rows-changed", f"{self.name}: {len(self.rows_changed)} rows changed"))
        if self.file_changed:
            items.append(("file-changed", f"{self.name}: file content changed"))
        return items

    @property
    def bump(self) -> str:
        return max_level([bump_for(kind) for kind, _ in self.classified()])

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "path": self.path,
            "bump": self.bump,
            "counts": {
                "added": len(self.rows_added),
                "removed": len(self.rows_removed),
                "changed": len(self.rows_changed),
            },
            "rows_added": self.rows_added,
            "rows_removed": self.rows_removed,
            "rows_changed": [c.to_dict() for c in self.rows_changed],
            "schema_changes": [c.to_dict() for c in self.schema_changes],
            "file_changed": self.file_changed,
        }


@dataclass
class DiffResult:
    old: str
    new: str
    old_version: str
    new_version: str
    resources: list[ResourceDiff] = field(default_factory=list)
    metadata_changes: list[MetadataChange] = field(default_factory=list)

    @property
    def required_bump(self) -> str:
        return max_level([r.bump for r in self.resources] + [m.bump for m in self.metadata_changes])

    @property
    def reasons(self) -> list[str]:
        reasons = [reason(kind, text) for r in self.resources for kind, text in r.classified()]
        return reasons + [reason(m.kind, f"metadata {m.field} changed") for m in self.metadata_changes]

    @property
    def changed(self) -> bool:
        """Anything changed, even what needs no new version (a relocated file)."""
        return any(r.classified() for r in self.resources) or bool(self.metadata_changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "old_version": self.old_version,
            "new_version": self.new_version,
            "required_bump": self.required_bump,
            "reasons": self.reasons,
            "resources": [r.to_dict() for r in self.resources],
            "metadata_changes": [m.to_dict() for m in self.metadata_changes],
        }
