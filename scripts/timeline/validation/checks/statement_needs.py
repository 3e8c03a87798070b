"""What a statement type needs, as its event_type category in the events schema documents it.

``actor2: "required"`` (e.g. a cross-border raid, which ACLED codes as Battles between two
sides) makes actor2_id required; ``about_kinds`` makes about_event_id required and limits
the kind of row it may point at (a denial denies an occurrence). The rules live in the
schema, next to the mapping_basis that justifies them, so the codebook shows them too.
"""

from __future__ import annotations

from typing import Any, ClassVar

from .. import findings as F
from .base import TimelineCheck
from .rows import NEEDS_ABOUT_TYPES  # rows.py already reports a missing target for these


def a_or_an(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


class StatementLinks(TimelineCheck):
    """actor2 where the type needs two sides; about_event_id of the kind the type needs."""

    resources: ClassVar[tuple[str, ...]] = ("events",)
    two_sided: frozenset[str]
    about_kinds: dict[str, tuple[str, ...]]
    kinds: dict[str, str]  # event_id -> kind, to resolve references to later rows
    pending: list[tuple[int, str, str]]  # (row number, event_type, about_event_id)

    def start(self) -> None:
        field = self.resource.schema.get_field("event_type") if self.resource.schema.has_field("event_type") else None
        categories = [c for c in (field.to_descriptor().get("categories", []) if field else []) if isinstance(c, dict)]
        self.two_sided = frozenset(c["value"] for c in categories if c.get("actor2") == "required")
        self.about_kinds = {c["value"]: tuple(c["about_kinds"]) for c in categories if c.get("about_kinds")}
        self.kinds = {}
        self.pending = []

    def row(self, row: Any) -> None:
        number, event_type = row.row_number, row["event_type"]
        if row["event_id"] and row["kind"]:
            self.kinds[row["event_id"]] = row["kind"]
        if event_type in self.two_sided and not row["actor2_id"]:
            self.finding(
                F.ACTOR2_REQUIRED,
                f"{a_or_an(event_type)} needs a second side (actor2: required in the codebook), but actor2_id is empty",
                row=number,
                field="actor2_id",
            )
        if event_type not in self.about_kinds:
            return
        about = row["about_event_id"]
        if about:
            self.pending.append((number, event_type, about))
        elif event_type not in NEEDS_ABOUT_TYPES:
            self.finding(
                F.ABOUT_EVENT_REQUIRED,
                f"{a_or_an(event_type)} must say what it is about",
                row=number,
                field="about_event_id",
                fix=f"set about_event_id to the {' or '.join(self.about_kinds[event_type])} it is about",
            )

    def end(self) -> None:
        for number, event_type, about in self.pending:
            kind = self.kinds.get(about)
            allowed = self.about_kinds[event_type]
            if kind is not None and kind not in allowed:  # an unknown id is frictionless's foreign-key finding
                self.finding(
                    F.ABOUT_EVENT_WRONG_KIND,
                    f"{a_or_an(event_type)} must be about {a_or_an(' or '.join(allowed))}; {about} is {a_or_an(kind)}",
                    row=number,
                    field="about_event_id",
                )
