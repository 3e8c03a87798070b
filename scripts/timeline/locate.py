"""Finding a quote's offsets in a source text (for coders adding rows)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .errors import PackageFileError, TimelineError
from .package import find_package, load_descriptor
from .package.safeio import read_text


@dataclass(frozen=True)
class QuoteLocation:
    source_id: str
    quote: str
    quote_start: int
    quote_end: int
    occurrences: int

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


def locate_quote(path: str | Path | None, source_id: str, quote: str) -> QuoteLocation:
    descriptor_path = find_package(path)
    load_descriptor(descriptor_path)
    text = source_text(descriptor_path.parent, source_id)
    start = text.find(quote)
    if start < 0:
        raise TimelineError(
            f"the quote does not occur verbatim in {source_id}; copy it from the source text "
            "exactly (curly quotes and dashes included)"
        )
    return QuoteLocation(source_id, quote, start, start + len(quote), text.count(quote))


def render_location(location: QuoteLocation) -> str:
    note = "" if location.occurrences == 1 else f" (first of {location.occurrences} occurrences)"
    return f"quote_start={location.quote_start} quote_end={location.quote_end}{note}\n"
