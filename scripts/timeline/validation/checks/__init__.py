"""Checks that run inside frictionless's single pass over each file.

Each is a small plain class (:class:`TimelineCheck`); one frictionless ``Check``
adapter dispatches rows to them. Instead of frictionless errors they add
:class:`~timeline.validation.report.Finding` objects to a shared :class:`Context`, so
the frictionless report stays exactly what ``frictionless validate`` would say and
ours adds to it. The metadata and consistency checks read whole files, not rows.
"""

from .base import Context, TimelineCheck
from .cells import CanonicalValues
from .dating import DateRules
from .links import AboutCycles
from .provenance import QuoteProvenance
from .rows import EventRules
from .safety import CsvLayout, SpreadsheetSafety, WebAddresses
from .sources import SourceTexts
from .statement_needs import StatementLinks

__all__ = [
    "AboutCycles",
    "CanonicalValues",
    "Context",
    "TimelineCheck",
    "CsvLayout",
    "DateRules",
    "EventRules",
    "SpreadsheetSafety",
    "QuoteProvenance",
    "SourceTexts",
    "StatementLinks",
    "WebAddresses",
    "default_checks",
]


def default_checks(context: Context) -> list[TimelineCheck]:
    return [
        CsvLayout(context=context),
        SpreadsheetSafety(context=context),
        WebAddresses(context=context),
        CanonicalValues(context=context),
        SourceTexts(context=context),
        EventRules(context=context),
        AboutCycles(context=context),
        QuoteProvenance(context=context),
        DateRules(context=context),
        StatementLinks(context=context),
    ]
