"""pyarrow's CSV reader, used only on files it reads exactly as ``csv.reader(strict=True)`` does.

pyarrow parses a CSV file several times faster than the csv module, but not always into the
same rows: it drops a UTF-8 BOM, turns a blank line into a row of empty cells, accepts
``"ab"c`` (the csv module's strict mode refuses it) and reads CR line ends its own way. So a
file is read with pyarrow only when :func:`plain_csv` accepts its bytes and :func:`batches`
then finds no row of empty cells; on any other file the caller keeps the csv module, and every
message about a broken table stays the csv path's.

Why that is enough: with no CR, NUL or BOM and no blank line, the two parsers can only differ
on quotes. Count the quote characters before each maximal run of them: where the count is even
the run is outside any quoted field, so it must open a field (follow a comma, a line end or
the start of the file); where the count after the run is even, the run closed a field, so a
comma, a line end or the end of the file must follow; and the file must hold an even number of
them. Then every quote opens a field, closes it or is half of a doubled quote inside one, which
both parsers read alike. ``tests/test_fastcsv.py`` holds the two readers to the same rows on
generated files.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .arrays import any_empty_row

if TYPE_CHECKING:  # imported where used: a small package's diff never loads pyarrow (0.13 s)
    import pyarrow as pa

CHUNK_BYTES = 1 << 20
BLOCK_BYTES = 1 << 20  # pyarrow's reading block: as fast as larger ones here, and far leaner
QUOTE_RUN = re.compile(rb'"+')
BOUNDARY = (ord(","), ord("\n"), None)  # what may stand before an opening quote or after a closing one
BOM = b"\xef\xbb\xbf"


def _quotes(chunk: bytes, before: int | None, quotes: int) -> int:
    """The count of quotes after CHUNK (QUOTES before it), or -1 if a run of them is misplaced."""
    for match in QUOTE_RUN.finditer(chunk):
        start, end = match.span()
        previous = chunk[start - 1] if start else before
        if quotes % 2 == 0 and previous not in BOUNDARY:
            return -1
        quotes += end - start
        following = chunk[end] if end < len(chunk) else None  # a chunk ends in a quote only at the end
        if quotes % 2 == 0 and following not in BOUNDARY:
            return -1
    return quotes


def plain_csv(path: Path) -> bool:
    """True when PATH's bytes leave pyarrow nothing to read otherwise than the csv module.

    That includes being UTF-8, checked here by Python's own decoder (the csv path's), so
    :func:`batches` reads cells as bytes and skips pyarrow's slower check. Blank lines are
    :func:`batches`'s to find: looking for them here costs more than the rest of the scan.
    """
    quotes = 0
    before: int | None = None  # the byte before the chunk; None at the start of the file
    utf8 = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as handle:
        start = handle.read(len(BOM))
        if not start or start == BOM or start.startswith(b"\n"):
            return False
        handle.seek(0)
        while chunk := handle.read(CHUNK_BYTES):
            if chunk.endswith(b'"'):  # no run of quotes straddles two chunks
                grown = bytearray(chunk)
                while grown.endswith(b'"') and (more := handle.read(4096)):
                    grown += more
                chunk = bytes(grown)
            if b"\r" in chunk or b"\x00" in chunk:
                return False
            if b'"' in chunk and (quotes := _quotes(chunk, before, quotes)) < 0:
                return False
            try:
                if not chunk.isascii() or utf8.getstate()[0]:  # ASCII needs no decoding, unless a character straddles
                    utf8.decode(chunk)
            except UnicodeDecodeError:
                return False
            before = chunk[-1]
    try:
        utf8.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return quotes % 2 == 0


def csv_header(path: Path) -> list[str] | None:
    """The first row as the csv module reads it; None if it cannot (not UTF-8, malformed, empty)."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return next(csv.reader(handle, strict=True), None)
    except (UnicodeDecodeError, csv.Error):
        return None


def exact_options(column_types: dict[str, Any], columns: list[str] | None = None) -> dict[str, Any]:
    """pyarrow's parse and convert options for reading cells as the csv module does: quoted newlines
    kept in their cell, a blank line kept as a row (so a caller can refuse it), no cell ever null,
    every column as the type given (text or bytes, never inferred)."""
    import pyarrow.csv as pa_csv

    return {
        "parse_options": pa_csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
        "convert_options": pa_csv.ConvertOptions(
            column_types=column_types,
            include_columns=columns,
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    }


def batches(path: Path, header: list[str], columns: list[str] | None = None) -> Iterator[pa.RecordBatch]:
    """PATH's rows after the header, in batches: each column binary (UTF-8 bytes), never null.

    Only for a file :func:`plain_csv` accepts, with HEADER from :func:`csv_header`, names
    distinct; COLUMNS (default: all) are the ones converted, in that order, though every row is
    still parsed and counted. Raises ``pyarrow.ArrowInvalid`` where the csv module might read
    otherwise or not at all: a row whose cells (of COLUMNS) are all empty (a blank line reads
    as one), a ragged row, a row longer than a block. The caller then reads the file with csv.
    """
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    reader = pa_csv.open_csv(
        path,
        read_options=pa_csv.ReadOptions(block_size=BLOCK_BYTES),
        **exact_options({name: pa.binary() for name in header}, columns),
    )
    with reader:
        if reader.schema.names != (columns or header) or not all(t == pa.binary() for t in reader.schema.types):
            raise pa.ArrowInvalid(f"pyarrow read the header of {path} otherwise")
        for batch in reader:
            if any_empty_row(batch.columns):
                raise pa.ArrowInvalid(f"{path}: a row of empty cells, maybe a blank line")
            yield batch
