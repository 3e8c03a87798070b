"""Row rules for events that a Table Schema cannot express.

Every rule reads cells frictionless has already typed; a cell that failed its
type check arrives as None and is left to frictionless's own finding.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from .. import findings as F
from .base import TimelineCheck

ONE_DAY = datetime.timedelta(days=1)
# Statements whose whole point is another event: without about_event_id they say nothing.
DATE_FIELDS = frozenset({"date_start", "date_end", "date_precision", "source_id"})
NEEDS_ABOUT_TYPES = frozenset({"denial", "claim-of-responsibility"})


class EventRules(TimelineCheck):
    """Dates, kinds and the links between claims and what they are about."""

    resources: ClassVar[tuple[str, ...]] = ("events",)
    event_kinds: dict[str, str]

    def start(self) -> None:
        # event_type -> kind, from the categories documented in the events schema
        self.event_kinds = {}
        field = self.resource.schema.get_field("event_type") if self.resource.schema.has_field("event_type") else None
        categories = field.to_descriptor().get("categories") if field else None
        for category in categories if isinstance(categories, list) else []:
            # malformed categories are the metadata checks' findings; here they are skipped
            if isinstance(category, dict) and isinstance(category.get("value"), str) and "kind" in category:
                self.event_kinds[category["value"]] = category["kind"]

    def row(self, row: Any) -> None:
        number = row.row_number
        event_id, kind, event_type = row["event_id"], row["kind"], row["event_type"]

        expected_kind = self.event_kinds.get(event_type)
        if kind and expected_kind and kind != expected_kind:
            self.finding(
                F.KIND_TYPE_MISMATCH,
                f"event_type {event_type!r} is a kind of {expected_kind}, but kind is {kind!r}",
                row=number,
                field="kind",
                fix=f"set kind to {expected_kind!r} or choose an event_type for a {kind}",
            )

        if row.valid or not (DATE_FIELDS & {e.field_name for e in row.errors if hasattr(e, "field_name")}):
            self.check_dates(row, number)

        about, status = row["about_event_id"], row["claim_status"]
        if not about:
            if event_type in NEEDS_ABOUT_TYPES or status == "denied":
                self.finding(
                    F.ABOUT_EVENT_REQUIRED,
                    f"a {event_type or status} must say what it is about",
                    row=number,
                    field="about_event_id",
                    fix="set about_event_id to the event_id of the event it claims or denies",
                )
        else:
            if kind == "occurrence":
                self.finding(
                    F.ABOUT_EVENT_ON_OCCURRENCE,
                    "about_event_id is for statements; this row is an occurrence",
                    row=number,
                    field="about_event_id",
                    fix="empty about_event_id and mention the related event in notes",
                )
            if about == event_id:
                self.finding(
                    F.ABOUT_EVENT_SELF,
                    "a statement cannot be about itself",
                    row=number,
                    field="about_event_id",
                    fix="point about_event_id at another event",
                )
        if status == "denied" and kind != "statement":
            self.finding(
                F.DENIAL_NOT_STATEMENT,
                "claim_status 'denied' belongs on a statement row",
                row=number,
                field="claim_status",
                fix="code the denial as its own statement row pointing at what it denies",
            )

    def check_dates(self, row: Any, number: int) -> None:
        start, end, precision = row["date_start"], row["date_end"], row["date_precision"]
        if start is not None and end is not None and start > end:
            self.finding(
                F.DATE_ORDER,
                f"date_start {start} is after date_end {end}",
                row=number,
                field="date_start",
                fix="swap the dates or correct the later one",
            )
            return
        published = self.context.published.get(row["source_id"])
        if published is not None:
            for name, value in (("date_start", start), ("date_end", end)):
                if value is not None and value > published:
                    self.finding(
                        F.DATE_AFTER_PUBLICATION,
                        f"{name} {value} is after the source was published ({published})",
                        row=number,
                        field=name,
                        fix="dates come from the article alone: nothing it reports can be later "
                        "than its publication date",
                    )
                    break
        if end is None:
            return
        rule = PRECISION_RULES.get(precision)
        if rule is not None:
            problem = rule(start, end)
            if problem:
                self.finding(
                    F.DATE_PRECISION_MISMATCH,
                    f"date_precision {precision!r}: {problem}",
                    row=number,
                    field="date_precision",
                    fix="change the dates or choose the precision the dates express",
                )


def _day(start: datetime.date | None, end: datetime.date) -> str:
    return "" if start == end else "date_start must equal date_end"


def _overnight(start: datetime.date | None, end: datetime.date) -> str:
    return "" if start is not None and end - start == ONE_DAY else "date_end must be the day after date_start"


def _bounded(start: datetime.date | None, end: datetime.date) -> str:
    return "" if start is not None else "needs date_start (use 'on-or-before' when only an upper bound is known)"


def _week(start: datetime.date | None, end: datetime.date) -> str:
    if start is None:
        return _bounded(start, end)
    return "" if (end - start).days <= 6 else "date_start and date_end must be at most 7 days apart"


def _month(start: datetime.date | None, end: datetime.date) -> str:
    if start is None:
        return _bounded(start, end)
    return "" if (start.year, start.month) == (end.year, end.month) else "dates must lie in one calendar month"


def _on_or_before(start: datetime.date | None, end: datetime.date) -> str:
    return "" if start is None else "date_start must be empty (only the upper bound is known)"


PRECISION_RULES = {
    "day": _day,
    "overnight": _overnight,
    "range": _bounded,
    "week": _week,
    "month": _month,
    "on-or-before": _on_or_before,
}
