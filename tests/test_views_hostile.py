"""Hostile text in a valid package: the site and the exports show it as text, never as markup or script.

Validation checks types, vocabularies and spreadsheet safety, not HTML: a summary, note, actor
name or date_basis may hold ``<script>`` or an attribute breakout, and still be valid.
Every view must escape it for its context (HTML text, attribute, inline JSON, href).
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from helpers import read_rows, write_rows
from timeline.cli import cli
from timeline.export.sqlite import datasette_metadata
from timeline.export.timelinejs import timeline_document
from timeline.package.tables import read_tables
from timeline.site.article import article_html
from timeline.site.page import script_json
from timeline.stamp import stamp_package

# U+2028/2029 would break a <script> too, but validate refuses them as invisible characters; the
# page's JSON escapes them all the same (testscript_json_cannot_close_its_script_element).
PAYLOAD = 'x</script><script>alert(1)</script>"><img src=x onerror=alert(2)>'


class Tags(HTMLParser):
    """Every start tag and attribute name a browser would build."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.update(name for name, _ in attrs)


def _poison(package: Path) -> None:
    for table, fields in {
        "events": ("summary", "notes", "date_basis"),
        "actors": ("name", "description"),
        "places": ("name", "notes"),
        "sources": ("publisher", "title", "notes"),
    }.items():
        header, rows = read_rows(package, table)
        for row in rows:
            row.update({field: "A " + PAYLOAD for field in fields})
        write_rows(package, table, header, rows, stamp=False)
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor.update(title="T " + PAYLOAD, description="D " + PAYLOAD)
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    stamp_package(package)


def test_hostile_text_cells_are_valid_and_the_site_shows_them_as_text(package: Path, tmp_path: Path) -> None:
    _poison(package)
    assert CliRunner().invoke(cli, ["validate", "--package", str(package)]).exit_code == 0
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["site", "--package", str(package), "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = (out / "index.html").read_text(encoding="utf-8")
    parsed = Tags()
    parsed.feed(html)
    assert "img" not in parsed.tags
    assert parsed.tags.count("script") == 2  # the page's data and its own script, nothing else
    assert not [a for a in parsed.attributes if a.startswith("on")]
    assert html.count("A x&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img") >= 20


def test_hostile_text_cells_are_escaped_in_the_timelinejs_html(package: Path, tmp_path: Path) -> None:
    _poison(package)
    target = tmp_path / "t.json"
    result = CliRunner().invoke(cli, ["export", "timelinejs", "--package", str(package), "--out", str(target)])
    assert result.exit_code == 0, result.output
    story = json.loads(target.read_text(encoding="utf-8"))
    texts = [story["title"]["text"]["headline"], story["title"]["text"]["text"]]
    texts += [slide["text"]["text"] for slide in story["events"]]
    assert all("<script" not in text and "<img" not in text for text in texts)
    assert all("&lt;img src=x onerror=alert(2)&gt;" in text for text in texts[1:])


def test_a_javascript_licence_url_is_never_a_link(package: Path) -> None:
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["licenses"][0]["path"] = "JavaScript:alert(1)"
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    tables = read_tables(package)
    assert tables.licence_url == ""
    assert datasette_metadata(tables, "db")["license_url"] == ""


def test_quote_marks_escape_their_attributes() -> None:
    row = {"event_id": 'ev-1" onmouseover="alert(1)', "quote_start": 0, "quote_end": 3}
    html = article_html("abcdef", [row])
    assert html == (
        '<mark class="quote" data-ids="ev-1&quot; onmouseover=&quot;alert(1)" tabindex="0" role="button" '
        'title="quoted by ev-1&quot; onmouseover=&quot;alert(1)">abc</mark>def'
    )


def testscript_json_cannot_close_its_script_element() -> None:
    text = script_json({"events": ["</script><!--", "\u2028\u2029&"]})
    assert text == '{"events": ["\\u003c/script\\u003e\\u003c!--", "\\u2028\\u2029\\u0026"]}'
    assert json.loads(text) == {"events": ["</script><!--", "\u2028\u2029&"]}


def test_timelinejs_display_date_is_html_escaped(package: Path) -> None:
    # TimelineJS puts display_date into the page as HTML (its own fallback writes "&mdash;"), and the
    # dating words are the article's: an archived text holding markup must not become markup.
    tables = read_tables(package)
    tables.tables["events"].rows[0]["date_text"] = "<img src=x onerror=alert(1)>"
    first = tables.tables["events"].rows[0]["event_id"]
    (slide,) = [s for s in timeline_document(tables)["events"] if s["unique_id"] == first]
    assert slide["display_date"].endswith("“&lt;img src=x onerror=alert(1)&gt;”")
