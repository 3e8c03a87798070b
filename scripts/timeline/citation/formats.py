"""A citation rendered in each format users paste into their tools: text, BibTeX, RIS, CSL-JSON, CFF."""

from __future__ import annotations

import json
from typing import Any

from .model import Citation

FORMATS = ("text", "bibtex", "ris", "csl-json", "cff")


def _bibtex_escape(text: str) -> str:
    return "".join("\\" + c if c in "&%$#_{}" else c for c in text)


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
            ("author", " and ".join("{" + _bibtex_escape(a) + "}" for a in citation.authors)),
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
            *[f"AU  - {a}" for a in citation.authors],
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
            "author": [{"literal": a} for a in citation.authors],
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
