"""Spreadsheet safety and file layout: what frictionless accepts but our users must not get."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from .. import findings as F
from .base import TimelineCheck

# A cell starting with one of these is run as a formula by Excel, LibreOffice
# and Google Sheets (CSV/formula injection, OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
TRIGGER_SET = frozenset(FORMULA_TRIGGERS)
# Excel's hard limit on characters in one cell: longer text is cut off on opening.
MAX_CELL_CHARS = 32_767
# Characters a reader cannot see: C0/C1 controls (NUL included; tab and newline are visible layout),
# zero-width characters, bidi controls (the "Trojan Source" trick), soft hyphen, BOM, invisible operators,
# and the line and paragraph separators (nothing in most viewers, a line break in others, and the end of a
# string literal to JavaScript before ES2019).
INVISIBLE_CLASS = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e"
    "\u2060-\u206f\ufeff\ufff9-\ufffb"
)
# What a link may open: a cell of format uri that tools show as a link must not run script or open a file.
WEB_ADDRESS = re.compile(r"[hH][tT][tT][pP][sS]?://")
INVISIBLE = re.compile(f"[{INVISIBLE_CLASS}]")
# What a spreadsheet may trim before it looks for a formula: spaces of any kind and invisible characters.
LEADING = re.compile(f"[\\s{INVISIBLE_CLASS}]*")


def _suspect_first(value: str) -> bool:
    first = value[0]
    return first in TRIGGER_SET or first.isspace() or INVISIBLE.match(first) is not None


class SpreadsheetSafety(TimelineCheck):
    """Text cells open safely and say what they show.

    No formula trigger first (also behind leading spaces), no overlong cell, no cell of only
    whitespace, no invisible or control character.
    """

    string_fields: list[tuple[int, str]]

    def start(self) -> None:
        # Raw cells line up with the schema's fields only when the header does; when it
        # does not, frictionless reports the header and this check stands aside.
        names = self.resource.schema.field_names
        aligned = list(self.resource.labels or []) == names
        self.string_fields = (
            [(i, f.name) for i, f in enumerate(self.resource.schema.fields) if f.type == "string"] if aligned else []
        )

    def row(self, row: Any) -> None:
        # Raw cells: for string fields they are the values, and reading them costs no parsing.
        cells = row.cells
        width = len(cells)
        present = [(cells[i], name) for i, name in self.string_fields if i < width and cells[i]]
        if INVISIBLE.search("\n".join(value for value, _ in present)):
            self.invisible(present, row.row_number)
        for value, name in present:
            if len(value) <= MAX_CELL_CHARS and not _suspect_first(value):
                continue
            if len(value) > MAX_CELL_CHARS:
                self.finding(
                    F.CELL_TOO_LONG,
                    f"cell has {len(value):,} characters; spreadsheets hold at most {MAX_CELL_CHARS:,} "
                    "and cut off the rest",
                    row=row.row_number,
                    field=name,
                    fix="shorten the cell; long material belongs in a source text, not a cell",
                )
            self.first_character(value, name, row.row_number)

    def first_character(self, value: str, name: str, number: int) -> None:
        if value.startswith(FORMULA_TRIGGERS):
            self.finding(
                F.FORMULA_INJECTION,
                f"cell starts with {value[0]!r}, which a spreadsheet runs as a formula",
                row=number,
                field=name,
                fix="reword the cell so it starts with a letter, digit or quotation mark",
            )
            return
        if not value.strip():
            self.finding(F.WHITESPACE_ONLY_CELL, f"cell holds only whitespace ({value!r})", row=number, field=name)
            return
        skipped = LEADING.match(value)
        rest = value[skipped.end() :] if skipped else value
        if rest.startswith(FORMULA_TRIGGERS):
            self.finding(
                F.FORMULA_INJECTION,
                f"cell starts with {rest[0]!r} after {len(value) - len(rest)} leading space or invisible "
                "character(s); a spreadsheet that trims them runs it as a formula",
                row=number,
                field=name,
                fix="delete the leading spaces and reword the cell so it starts with a letter, digit or quotation mark",
            )

    def invisible(self, present: list[tuple[str, str]], number: int) -> None:
        for value, name in present:
            found = INVISIBLE.search(value)
            if found is None:
                continue
            char = found.group()
            what = unicodedata.name(char, "a control character")
            self.finding(
                F.INVISIBLE_CHARACTER,
                f"cell holds U+{ord(char):04X} ({what}) at character {found.start()}, invisible to a reader",
                row=number,
                field=name,
            )


class CsvLayout(TimelineCheck):
    """UTF-8 without BOM, LF line endings, comma-delimited.

    Looks at the bytes frictionless already buffered to sniff the file (the first
    100 kB), so it adds no read; a CR that first appears after that buffer is kept
    out by ``.gitattributes`` (eol=lf) rather than caught here.
    """

    def start(self) -> None:
        buffer = self.resource.buffer or b""
        if buffer.startswith(b"\xef\xbb\xbf"):
            self.finding(
                F.BYTE_ORDER_MARK,
                "file starts with a UTF-8 byte-order mark (BOM)",
                row=1,
                fix="save the file as UTF-8 without BOM",
            )
        header = buffer.split(b"\n", 1)[0]
        if b"," not in header and (b";" in header or b"\t" in header or b"|" in header):
            self.finding(
                F.WRONG_DELIMITER,
                "header row is not comma-separated (found ';', tab or '|' and no comma)",
                row=1,
                fix="save the file as comma-separated CSV",
            )
        if b"\r" in buffer:
            self.finding(
                F.CRLF_LINE_ENDINGS,
                "file has CR or CRLF line endings",
                fix="convert line endings to LF (e.g. `dos2unix FILE`), then run `timeline stamp`",
            )


class WebAddresses(TimelineCheck):
    """Cells of format ``uri`` are http(s) addresses: Datasette, spreadsheets and our exports show
    them as links, and frictionless accepts ``javascript:`` and ``file:`` as URIs."""

    uri_fields: list[str]

    def connect(self, resource: Any) -> None:
        super().connect(resource)
        schema = getattr(resource, "schema", None)
        fields = schema.fields if self.active and schema is not None else []
        self.uri_fields = [f.name for f in fields if f.type == "string" and f.format == "uri"]
        self.active = bool(self.uri_fields)  # most tables have none: no call per row

    def row(self, row: Any) -> None:
        for name in self.uri_fields:
            value = row[name]
            if isinstance(value, str) and value and not WEB_ADDRESS.match(value):
                scheme = value.split(":", 1)[0] if ":" in value else value[:20]
                self.finding(
                    F.URL_NOT_WEB,
                    f"{name} is not an http(s) address (it starts {scheme!r}); a tool that shows it as a link "
                    "would run or open it",
                    row=row.row_number,
                    field=name,
                )
