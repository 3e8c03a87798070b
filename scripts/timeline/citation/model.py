"""The citation of one release: what every citation format is rendered from."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..package.safeio import parse_yaml
from .files import author_names, authors, doi, download_urls, events_sha256, release_url


@dataclass(frozen=True)
class Citation:
    name: str
    title: str
    authors: list[str]  # display names, "Given Family" or an entity's name
    creators: list[dict[str, str]]  # the same, as CFF authors: a person's name parts, or an entity's `name`
    version: str
    date: str
    repository: str
    url: str
    doi: str
    downloads: list[dict[str, str]]  # {"file", "url"}: the archives, then each resource at the tag; [] without homepage
    events_sha256: str
    commit: str
    cff: str  # the release's CITATION.cff, verbatim

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def citation_from(descriptor: dict[str, Any], cff_text: str, version: str, date: str, commit: str = "") -> Citation:
    """The citation; raises PackageFileError when CFF_TEXT is not YAML within safeio's limits."""
    loaded = parse_yaml(cff_text, "CITATION.cff") if cff_text else {}
    cff = loaded if isinstance(loaded, dict) else {}
    return Citation(
        name=str(descriptor.get("name", "")),
        title=str(cff.get("title") or descriptor.get("title", "")),
        authors=author_names(descriptor),
        creators=authors(descriptor),
        version=version,
        date=str(cff.get("date-released") or date),
        repository=str(descriptor.get("homepage", "")),
        url=release_url(descriptor, version),
        doi=doi(descriptor),
        downloads=download_urls(descriptor, version),
        events_sha256=events_sha256(descriptor),
        commit=commit,
        cff=cff_text,
    )
