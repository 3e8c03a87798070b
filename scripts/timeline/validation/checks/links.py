"""Links between events: statements about statements must end somewhere."""

from __future__ import annotations

from typing import Any, ClassVar

from .. import findings as F
from .base import TimelineCheck


class AboutCycles(TimelineCheck):
    """``about_event_id`` links never form a cycle (A about B, B about A). Self-links are ``about-event-self``."""

    resources: ClassVar[tuple[str, ...]] = ("events",)
    about: dict[str, tuple[str, int]]  # event_id -> (about_event_id, row number)

    def start(self) -> None:
        self.about = {}

    def row(self, row: Any) -> None:
        event_id, about = row["event_id"], row["about_event_id"]
        if event_id and about and about != event_id:
            self.about.setdefault(event_id, (about, row.row_number))

    def end(self) -> None:
        done: set[str] = set()
        for start in self.about:
            path: dict[str, int] = {}  # node -> position on the current walk
            node = start
            while node in self.about and node not in done and node not in path:
                path[node] = len(path)
                node = self.about[node][0]
            if node in path:  # the walk came back to itself: a cycle from `node` on
                cycle = list(path)[path[node] :]
                first = min(cycle, key=lambda n: self.about[n][1])
                at = cycle.index(first)
                ordered = cycle[at:] + cycle[:at]
                self.finding(
                    F.ABOUT_EVENT_CYCLE,
                    "about_event_id links form a cycle: " + " → ".join([*ordered, first]),
                    row=self.about[first][1],
                    field="about_event_id",
                )
            done.update(path)
