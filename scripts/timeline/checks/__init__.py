"""Checks that run inside frictionless's single pass over each file.

Each is a small frictionless ``Check`` subclass. Instead of frictionless errors
they yield :class:`~timeline.report.Finding` objects into a shared
:class:`Context`, so the frictionless report stays exactly what
``frictionless validate`` would say and ours adds to it.
"""

from .base import Context, TimelineCheck
from .events import EventRules, QuoteProvenance
from .safety import CsvLayout, SpreadsheetSafety
from .sources import SourceTexts

__all__ = [
    "Context",
    "TimelineCheck",
    "CsvLayout",
    "EventRules",
    "SpreadsheetSafety",
    "QuoteProvenance",
    "SourceTexts",
    "default_checks",
]


def default_checks(context: Context) -> list[TimelineCheck]:
    return [
        CsvLayout(context=context),
        SpreadsheetSafety(context=context),
        SourceTexts(context=context),
        EventRules(context=context),
        QuoteProvenance(context=context),
    ]
