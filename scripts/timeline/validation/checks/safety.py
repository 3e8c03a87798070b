"""Spreadsheet safety and file layout: what frictionless accepts but our users must not get."""

from __future__ import annotations

from typing import Any

from .. import findings as F
from .base import TimelineCheck

# A cell starting with one of these is run as a formula by Excel, LibreOffice
# and Google Sheets (CSV/formula injection, OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
TRIGGER_SET = frozenset(FORMULA_TRIGGERS)
# Excel's hard limit on characters in one cell: longer text is cut off on opening.
MAX_CELL_CHARS = 32_767


class SpreadsheetSafety(TimelineCheck):
    """Text cells open safely in a spreadsheet: no formula trigger first, no overlong cell."""

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
        for index, name in self.string_fields:
            value = cells[index] if index < width else None
            if not value or (value[0] not in TRIGGER_SET and len(value) <= MAX_CELL_CHARS):
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
            if value.startswith(FORMULA_TRIGGERS):
                self.finding(
                    F.FORMULA_INJECTION,
                    f"cell starts with {value[0]!r}, which a spreadsheet runs as a formula",
                    row=row.row_number,
                    field=name,
                    fix="reword the cell so it starts with a letter, digit or quotation mark",
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
