"""index.html: the chart, each row's detail, the article with its quotes, tables, codebook, citation, downloads.

Plain server-side HTML (works with scripts off); the page script (assets/site.js)
adds selection, chart links and article highlighting. CSS and script are inlined,
so the one file works from file:// with no network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from importlib import resources
from typing import Any

from ..codebook import constraints_text
from ..package.dates import date_label, dating_words
from ..package.tables import PackageTables, Row
from .article import article_html
from .chart import PRECISION_SHAPES, STATUS_COLOURS

GENERATOR = "timeline site"


@dataclass(frozen=True)
class Download:
    path: str  # relative to the site folder
    what: str
    sha256: str
    bytes: int


@dataclass(frozen=True)
class PageInput:
    tables: PackageTables
    chart_svg: str
    chart_summary: str
    citation_text: str
    citation_bibtex: str
    downloads: list[Download]


def _asset(name: str) -> str:
    return resources.files("timeline.site").joinpath("assets", name).read_text(encoding="utf-8")


def _e(value: Any) -> str:
    return "" if value is None else escape(str(value))


def _link(url: str, text: str) -> str:
    return f'<a href="{_e(url)}">{_e(text)}</a>' if url else _e(text)


def script_json(value: Any) -> str:
    """JSON for a <script> element: no ``</script>``, ``<!--`` or U+2028/2029 can end or bend it."""
    text = json.dumps(value, ensure_ascii=False)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _table(rows: list[Row], fields: list[dict[str, Any]], caption: str, key: str) -> str:
    head = "".join(f'<th scope="col" title="{_e(f.get("description"))}">{_e(f["name"])}</th>' for f in fields)
    body = "".join(
        f'<tr id="{key}-{_e(row[fields[0]["name"]])}">'
        + "".join(f"<td>{_e(row[f['name']])}</td>" for f in fields)
        + "</tr>"
        for row in rows
    )
    return (
        f'<div class="scroll" tabindex="0" role="region" aria-label="{_e(caption)}"><table><caption>{_e(caption)}'
        f"</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _name(lookup: dict[str, Row], key: str | None, field: str = "name") -> str:
    if not key:
        return "—"
    row = lookup.get(key)
    return f"{_e(row[field])} <code>{_e(key)}</code>" if row else f"<code>{_e(key)}</code>"


def _row_button(event: Row) -> str:
    return (
        f'<li><button type="button" class="row-button status-{_e(event["claim_status"])}" '
        f'data-id="{_e(event["event_id"])}" aria-pressed="false" aria-controls="detail-{_e(event["event_id"])}">'
        f'<span class="id">{_e(event["event_id"])}</span> <span class="kind">{_e(event["kind"])}</span> '
        f'<span class="when">{_e(date_label(event))}</span> <span class="status">{_e(event["claim_status"])}</span>'
        f'<span class="summary">{_e(event["summary"])}</span></button></li>'
    )


def _detail(event: Row, page: PageInput, about_me: list[str]) -> str:
    t = page.tables
    actors, places = t.tables["actors"].by_key(), t.tables["places"].by_key()
    eid = event["event_id"]
    about = event.get("about_event_id")
    about_html = f'<button type="button" class="goto" data-id="{_e(about)}">{_e(about)}</button>' if about else "—"
    said = " ".join(f'<button type="button" class="goto" data-id="{_e(i)}">{_e(i)}</button>' for i in about_me)
    items = [
        ("kind · event_type", f"{_e(event['kind'])} · {_e(event.get('event_type'))}"),
        ("who says so (attributed_to)", _name(actors, event["attributed_to"])),
        ("claim_status", f'<span class="badge status-{_e(event["claim_status"])}">{_e(event["claim_status"])}</span>'),
        ("actor1 · actor2", f"{_name(actors, event.get('actor1_id'))} · {_name(actors, event.get('actor2_id'))}"),
        ("place", _name(places, event.get("place_id"))),
        (
            "dates",
            f"{_e(date_label(event))} — <code>{_e(event['date_start'] or '(no start)')}</code> to "
            f"<code>{_e(event['date_end'])}</code>, precision <code>{_e(event['date_precision'])}</code> "
            f"(drawn as: {_e(PRECISION_SHAPES[event['date_precision']])})",
        ),
        ("dating words (date_text)", _e(dating_words(event))),
        ("how resolved (date_basis)", _e(event.get("date_basis"))),
        ("about event", about_html),
        ("statements about it", said or "—"),
        ("fatalities", _e(event.get("fatalities")) or "—"),
        ("notes", _e(event.get("notes")) or "—"),
    ]
    rows = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in items)
    return (
        f'<article class="detail" id="detail-{_e(eid)}" hidden tabindex="-1" aria-labelledby="h-{_e(eid)}">'
        f'<h3 id="h-{_e(eid)}">{_e(eid)}: {_e(event["summary"])}</h3>'
        f'<blockquote cite="#article">“{_e(event["quote"])}”<footer>characters {event["quote_start"]}–'
        f"{event['quote_end']} of <code>{_e(event['source_id'])}</code></footer></blockquote>"
        f"<dl>{rows}</dl></article>"
    )


def _key() -> str:
    shapes = "".join(
        f'<li><span class="swatch precision-{p}" aria-hidden="true"></span><code>{p}</code>: {escape(s)}</li>'
        for p, s in PRECISION_SHAPES.items()
    )
    colours = "".join(
        f'<li><span class="swatch" style="background:{c}" aria-hidden="true"></span><code>{s}</code></li>'
        for s, c in STATUS_COLOURS.items()
    )
    return (
        f'<div class="key"><h3>How to read it</h3><ul class="shapes">{shapes}</ul>'
        f'<p>Colour is <code>claim_status</code>:</p><ul class="colours">{colours}</ul>'
        "<p>A dashed vertical line links a statement to the event it is about (<code>about_event_id</code>); "
        "select a row (click, or Tab and Enter) to brighten its links and highlight its quote.</p></div>"
    )


def _codebook(tables: PackageTables) -> str:
    parts = []
    for table in tables.tables.values():
        head = "<tr><th scope='col'>field</th><th scope='col'>type</th><th scope='col'>constraints</th>"
        head += "<th scope='col'>description</th></tr>"
        body = "".join(
            f"<tr><td><code>{_e(f['name'])}</code></td><td>{_e(f.get('type'))}</td>"
            f"<td>{_e(constraints_text(f))}</td><td>{_e(f.get('description'))}</td></tr>"
            for f in table.fields
        )
        vocab = "".join(
            f"<h4><code>{_e(table.name)}.{_e(f['name'])}</code></h4><dl class='vocab'>"
            + "".join(
                f"<dt><code>{_e(c['value'])}</code></dt><dd>{_e(c.get('description'))}</dd>" for c in f["categories"]
            )
            + "</dl>"
            for f in table.fields
            if f.get("categories")
        )
        parts.append(
            f"<h3><code>{_e(table.name)}</code> — <code>{_e(table.path)}</code></h3>"
            f'<div class="scroll" tabindex="0" role="region" aria-label="fields of {_e(table.name)}">'
            f"<table><thead>{head}</thead><tbody>{body}</tbody></table></div>{vocab}"
        )
    return "".join(parts)


def _downloads(downloads: list[Download]) -> str:
    rows = "".join(
        f'<tr><td><a href="{_e(d.path)}" download>{_e(d.path)}</a></td><td>{_e(d.what)}</td>'
        f"<td>{d.bytes}</td><td><code class='hash'>{d.sha256}</code></td></tr>"
        for d in downloads
    )
    return (
        '<div class="scroll" tabindex="0" role="region" aria-label="downloads"><table><thead><tr>'
        "<th scope='col'>file</th><th scope='col'>what</th><th scope='col'>bytes</th><th scope='col'>sha256</th>"
        f"</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def render_page(page: PageInput) -> str:
    t = page.tables
    descriptor = t.descriptor
    events = t.tables["events"].rows
    about_me = {
        e["event_id"]: [s["event_id"] for s in events if s.get("about_event_id") == e["event_id"]] for e in events
    }
    texts = "".join(
        f"<h3>{_e(s['publisher'])}, {_e(s['published'])} <code>{_e(s['source_id'])}</code></h3>"
        f'<div class="article" id="article-{_e(s["source_id"])}">{article_html(t.texts[s["source_id"]], events)}</div>'
        f'<p class="note">{_e(s["notes"])}</p>'
        for s in t.tables["sources"].rows
    )
    svg = page.chart_svg.replace("<svg ", f'<svg role="graphics-document" aria-label="{_e(page.chart_summary)}" ', 1)
    data = script_json({"events": [e["event_id"] for e in events]})
    title = _e(descriptor.get("title"))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{GENERATOR}">
<meta name="dataset-version" content="{_e(t.version)}">
<title>{title} (version {_e(t.version)})</title>
<style>{_asset("site.css")}</style>
</head>
<body>
<a class="skip" href="#rows">Skip to the rows</a>
<header>
<h1>{title}</h1>
<p>Version <strong>{_e(t.version)}</strong> · {len(events)} rows · data licence
{_link(t.licence_url, t.licence)} (the archived article text stays the publisher's)</p>
<p>{_e(descriptor.get("description"))}</p>
<nav aria-label="sections"><a href="#chart">Timeline</a> · <a href="#rows">Rows</a> ·
<a href="#sources">Article</a> · <a href="#tables">Actors, places, sources</a> · <a href="#codebook">Codebook</a> ·
<a href="#cite">Cite</a> · <a href="#downloads">Downloads</a></nav>
</header>
<main>
<section id="chart" aria-labelledby="chart-h">
<h2 id="chart-h">Timeline</h2>
<figure>
<div class="chart scroll" tabindex="0" role="region" aria-label="timeline chart (scrolls sideways on narrow screens)">
{svg}
</div>
<figcaption><p id="chart-summary">{_e(page.chart_summary)} Every row is also listed as text below.</p>
{_key()}</figcaption>
</figure>
</section>
<div class="workspace">
<section id="rows" aria-labelledby="rows-h">
<h2 id="rows-h">Rows</h2>
<p class="hint">Select a row to see its detail and its quote in the article; ↑ and ↓ move between rows.</p>
<ol class="rows">{"".join(_row_button(e) for e in events)}</ol>
<div class="details" aria-live="polite">{"".join(_detail(e, page, about_me[e["event_id"]]) for e in events)}</div>
</section>
<section id="sources" aria-labelledby="sources-h">
<h2 id="sources-h">The article, every quote marked</h2>
<p class="hint">Marked passages are quotes; select one to open its row.</p>
{texts}
</section>
</div>
<section id="tables" aria-labelledby="tables-h">
<h2 id="tables-h">Actors, places and sources</h2>
{_table(t.tables["actors"].rows, t.tables["actors"].fields, "actors", "actor")}
{_table(t.tables["places"].rows, t.tables["places"].fields, "places", "place")}
{_table(t.tables["sources"].rows, t.tables["sources"].fields, "sources", "source")}
</section>
<section id="codebook" aria-labelledby="codebook-h">
<h2 id="codebook-h">Codebook</h2>
{_codebook(t)}
</section>
<section id="cite" aria-labelledby="cite-h">
<h2 id="cite-h">How to cite this version</h2>
<pre class="citation">{_e(page.citation_text)}</pre>
<h3>BibTeX</h3>
<pre class="citation">{_e(page.citation_bibtex)}</pre>
</section>
<section id="downloads" aria-labelledby="downloads-h">
<h2 id="downloads-h">Downloads</h2>
<p>Check a file with <code>sha256sum FILE</code>.</p>
{_downloads(page.downloads)}
</section>
</main>
<footer><p>Made by <code>{GENERATOR}</code> from version {_e(t.version)}; works offline.</p></footer>
<script type="application/json" id="timeline-data">{data}</script>
<script>{_asset("site.js")}</script>
</body>
</html>
"""
