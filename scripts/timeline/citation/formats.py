"""A citation rendered in each format users paste into their tools: text, BibTeX, RIS, CSL-JSON, CFF."""

from __future__ import annotations

import json
from typing import Any

from .files import inverted_name, is_person
from .model import Citation

FORMATS = ("text", "bibtex", "ris", "csl-json", "cff")


def _bibtex_escape(text: str) -> str:
    return "".join("\\" + c if c in "&%$#_{}" else c for c in text)


def _bibtex_name(author: dict[str, str]) -> str:
    """A person "Family, Given"; an entity in braces, so BibTeX never splits it into given and family names."""
    name = _bibtex_escape(inverted_name(author))
    return name if is_person(author) else "{" + name + "}"


def _csl_name(author: dict[str, str]) -> dict[str, str]:
    if not is_person(author):
        return {"literal": author["name"]}
    return {"family": author["family-names"], **({"given": author["given-names"]} if "given-names" in author else {})}


def render_downloads(citation: Citation) -> str:
    """Where to download the release's files (after the citation, not part of it); empty without a homepage."""
    if not citation.downloads:
        return ""
    return (
        "\nDownload release "
        + citation.version
        + ":\n"
        + "".join(f"  {item['file']}: {item['url']}\n" for item in citation.downloads)
    )


def render_citation(citation: Citation, style: str) -> str:
    authors = ", ".join(citation.authors)
    year = citation.date[:4]
    where = citation.url or (f"https://doi.org/{citation.doi}" if citation.doi else "")
    check = f"sha256 of data/events.csv: {citation.events_sha256}"
    if style == "text":
        parts = [
            f"{authors} ({year}). {citation.title} (Version {citation.version}) [Data set].",
            f"{citation.name}, released {citation.date}.",
        ]
        if where:
            parts.append(where + ".")
        parts.append(check + ".")
        return " ".join(parts) + "\n"
    if style == "bibtex":
        key = f"{citation.name}_{citation.version}".replace(".", "_")
        fields = [
            ("title", "{" + _bibtex_escape(citation.title) + "}"),
            ("author", " and ".join(_bibtex_name(a) for a in citation.creators)),
            ("year", year),
            ("month", str(int(citation.date[5:7]))),
            ("version", citation.version),
            ("publisher", _bibtex_escape(citation.name)),
            ("howpublished", "Data set"),
            ("note", _bibtex_escape(f"Released {citation.date}. {check}")),
        ]
        if citation.url:
            fields.append(("url", citation.url))
        if citation.doi:
            fields.append(("doi", citation.doi))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@misc{{{key},\n{body}\n}}\n"
    if style == "ris":
        lines = [
            "TY  - DATA",
            f"TI  - {citation.title}",
            *[f"AU  - {inverted_name(a)}" for a in citation.creators],
            f"PY  - {year}",
            f"DA  - {citation.date.replace('-', '/')}",
            f"ET  - {citation.version}",
            f"PB  - {citation.name}",
        ]
        if citation.url:
            lines.append(f"UR  - {citation.url}")
        if citation.doi:
            lines.append(f"DO  - {citation.doi}")
        lines += [f"N1  - {check}", "ER  - "]
        return "\n".join(lines) + "\n"
    if style == "csl-json":
        item: dict[str, Any] = {
            "id": f"{citation.name}-{citation.version}",
            "type": "dataset",
            "title": citation.title,
            "author": [_csl_name(a) for a in citation.creators],
            "issued": {"date-parts": [[int(p) for p in citation.date.split("-")]]},
            "version": citation.version,
            "publisher": citation.name,
            "note": check,
        }
        if citation.url:
            item["URL"] = citation.url
        if citation.doi:
            item["DOI"] = citation.doi
        return json.dumps([item], indent=2, ensure_ascii=False) + "\n"
    if style == "cff":
        return citation.cff
    raise ValueError(f"unknown citation format {style!r}; choose one of {', '.join(FORMATS)}")
