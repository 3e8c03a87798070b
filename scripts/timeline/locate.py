"""Finding a passage's offsets in a source text (for coders adding rows): quotes and dating words.

Dating words such as "on Wednesday" can occur more than once; ``--all`` lists every
occurrence with a little context, and ``--near OFFSET`` (e.g. the row's quote_start)
picks the occurrence closest to it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import PackageFileError, TimelineError
from .package import find_package, load_descriptor
from .package.safeio import read_text

CONTEXT_CHARS = 30  # characters of context shown either side of an occurrence


@dataclass(frozen=True)
class Occurrence:
    start: int
    end: int
    before: str  # up to CONTEXT_CHARS characters of the source just before
    after: str  # and just after


@dataclass(frozen=True)
class QuoteLocation:
    source_id: str
    quote: str
    quote_start: int  # the chosen occurrence: the first, or the one nearest `near`
    quote_end: int
    occurrences: int
    near: int | None = None
    matches: list[Occurrence] = field(default_factory=list)  # every occurrence, with --all

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def source_text(root: Path, source_id: str) -> str:
    """The archived text of SOURCE_ID, by the package's convention data/sources/<source_id>.txt."""
    relative = f"data/sources/{source_id}.txt"
    try:
        return read_text(root, relative, "text")
    except PackageFileError as error:
        if error.problem == "missing":
            raise TimelineError(f"no archived text for source {source_id!r} (looked for {relative})") from None
        raise


def find_all(text: str, passage: str) -> list[Occurrence]:
    """Every occurrence of PASSAGE in TEXT (overlapping ones too), with context."""
    found, at = [], text.find(passage)
    while at >= 0:
        end = at + len(passage)
        found.append(Occurrence(at, end, text[max(0, at - CONTEXT_CHARS) : at], text[end : end + CONTEXT_CHARS]))
        at = text.find(passage, at + 1)
    return found


def locate_quote(
    path: str | Path | None, source_id: str, quote: str, *, near: int | None = None, list_all: bool = False
) -> QuoteLocation:
    descriptor_path = find_package(path)
    load_descriptor(descriptor_path)
    text = source_text(descriptor_path.parent, source_id)
    found = find_all(text, quote) if quote else []
    if not found:
        raise TimelineError(
            f"the quote does not occur verbatim in {source_id}; copy it from the source text "
            "exactly (curly quotes and dashes included)"
        )
    chosen = found[0] if near is None else min(found, key=lambda o: (abs(o.start - near), o.start))
    return QuoteLocation(source_id, quote, chosen.start, chosen.end, len(found), near, found if list_all else [])


def _flat(text: str) -> str:
    return text.replace("\n", " ")


def render_location(location: QuoteLocation) -> str:
    if location.occurrences == 1:
        note = ""
    elif location.near is None:
        note = f" (first of {location.occurrences} occurrences)"
    else:
        note = f" (nearest to {location.near} of {location.occurrences} occurrences)"
    lines = [f"quote_start={location.quote_start} quote_end={location.quote_end}{note}"]
    for o in location.matches:
        mark = "*" if o.start == location.quote_start else " "
        lines.append(f"{mark} {o.start}:{o.end}  …{_flat(o.before)}[{location.quote}]{_flat(o.after)}…")
    return "\n".join(lines) + "\n"
