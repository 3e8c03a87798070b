"""pyarrow reads a table (package/fastcsv.py) only where it reads exactly what csv.reader(strict=True) reads.

Table-driven: what the byte scan accepts and refuses, chunk boundaries included. Property-based:
files written by csv.writer (quotes, commas, line breaks, Unicode in cells), then a few bytes
broken; whenever the fast reader gives rows they are the csv module's, and a file csv.writer
wrote is always read by the fast reader (else the fast path would silently never run).
Maintainers run more examples with ``TIMELINE_DIFF_EXAMPLES=2000``.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from timeline.package import fastcsv
from timeline.package.fastcsv import batches, csv_header, plain_csv

EXAMPLES = int(os.environ.get("TIMELINE_DIFF_EXAMPLES", "60"))


def csv_rows(path: Path) -> list[list[str]] | None:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return list(csv.reader(handle, strict=True))
    except (UnicodeDecodeError, csv.Error):
        return None


def fast_rows(path: Path) -> list[list[str]] | None:
    """The rows the fast reader gives (header first), None where it leaves the file to the csv module."""
    header = csv_header(path)
    if not header or len(set(header)) != len(header) or not plain_csv(path):
        return None
    rows = [header]
    try:
        for batch in batches(path, header):
            columns = [[cell.decode("utf-8") for cell in column.to_pylist()] for column in batch.columns]
            rows += [list(row) for row in zip(*columns, strict=True)]
    except pa.ArrowException:
        return None
    return rows


def written(rows: list[list[str]]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    return text.getvalue().encode("utf-8")


# (id, file bytes, the byte scan accepts it)
SCANS = [
    ("plain", b"a,b\n1,2\n", True),
    ("no-final-newline", b"a,b\n1,2", True),
    ("quoted-cells", b'a,b\n"x, ""y""\nz",2\n"",""""\n', True),
    ("quote-in-header", b'"a\nb",c\n1,2\n', True),
    ("unicode", "a,b\né,日本🙂\n".encode(), True),
    ("bom", b"\xef\xbb\xbfa,b\n1,2\n", False),
    ("crlf", b"a,b\r\n1,2\r\n", False),
    ("cr-in-quotes", b'a,b\n"x\ry",2\n', False),
    ("nul", b"a,b\n1,\x00\n", False),
    ("text-after-closing-quote", b'a,b\n"ab"c,2\n', False),  # csv strict: error; pyarrow: "abc"
    ("space-after-closing-quote", b'a,b\n"ab" ,2\n', False),
    ("quote-inside-unquoted-cell", b'a,b\nab"c,2\n', False),  # same rows either way; left to csv
    ("doubled-quote-then-text", b'a,b\n""x,2\n', False),
    ("unterminated-quote", b'a,b\n"x,2\n', False),
    ("latin-1", b"a,b\n\xe9,2\n", False),
    ("surrogate", b"a,b\n\xed\xa0\x80,2\n", False),
    ("overlong", b"a,b\n\xc0\xaf,2\n", False),
    ("truncated-at-end", b"a,b\n1,\xc3", False),
    ("character-split-by-a-comma", b"a,b\n\xc3,\xa9\n", False),  # the halves of é, read apart
    ("empty", b"", False),
    ("leading-blank-line", b"\na,b\n", False),
]


@pytest.mark.parametrize("data, accepted", [c[1:] for c in SCANS], ids=[c[0] for c in SCANS])
@pytest.mark.parametrize("chunk", [1, 2, 3, 1 << 20])
def test_the_scan_accepts_only_what_pyarrow_reads_as_csv_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, accepted: bool, chunk: int
) -> None:
    """Every case at tiny chunk sizes too, so quote runs and UTF-8 characters straddle chunks."""
    monkeypatch.setattr(fastcsv, "CHUNK_BYTES", chunk)
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    assert plain_csv(path) is accepted
    if accepted:
        expected = csv_rows(path)
        assert expected is not None and fast_rows(path) == expected


@pytest.mark.parametrize(
    "data",
    [b"a,b\n1,2\n\n3,4\n", b"a,b\n1,2\n\n", b"a\n1\n\n2\n", b"a,b\n,\n", b'a\n""\n', b"a,b\n1,2,3\n", b"a,b\n1\n"],
    ids=["blank-line", "blank-last-line", "blank-line-one-column", "empty-cells", "empty-quoted", "ragged-long",
         "ragged-short"],
)
def test_batches_refuse_what_pyarrow_reads_otherwise(tmp_path: Path, data: bytes) -> None:
    """A blank line is a row of empty cells to pyarrow and no row to csv; ragged rows fail in csv's diff."""
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    assert plain_csv(path)
    with pytest.raises(pa.ArrowInvalid):
        list(batches(path, csv_header(path) or []))


def test_a_row_longer_than_a_block_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastcsv, "BLOCK_BYTES", 64)
    path = tmp_path / "t.csv"
    path.write_bytes(written([["a", "b"], ["x" * 200, "y"]]))
    assert fast_rows(path) is None


CELL = st.text(alphabet=st.sampled_from(list('ab ,"\n|é日🙂\t')), max_size=6)
BREAK = st.sampled_from([b'"', b",", b"\n", b"\r", b"\x00", b"\xe9", b"\xc3", b" ", b"\xef\xbb\xbf", b'""'])


@st.composite
def tables(draw: st.DrawFn) -> list[list[str]]:
    width = draw(st.integers(1, 4))
    header = draw(st.lists(CELL.filter(bool), min_size=width, max_size=width, unique=True))
    rows = draw(st.lists(st.lists(CELL, min_size=width, max_size=width).filter(any), max_size=8))
    return [header, *rows]


@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 100, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=tables(),
    breaks=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 2), BREAK), max_size=3),
    chunk=st.sampled_from([1, 3, 7, 1 << 20]),
    block=st.sampled_from([64, 1 << 20]),
)
def test_the_fast_reader_reads_what_csv_reads(
    rows: list[list[str]], breaks: list[tuple[int, int, bytes]], chunk: int, block: int
) -> None:
    data = bytearray(written(rows))
    for at, how, piece in breaks:  # insert, replace or delete one piece
        at %= len(data) + 1
        data[at : at + (0 if how == 0 else len(piece))] = b"" if how == 2 else piece
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(fastcsv, "CHUNK_BYTES", chunk)
        patch.setattr(fastcsv, "BLOCK_BYTES", block)
        path = Path(folder) / "t.csv"
        path.write_bytes(bytes(data))
        fast = fast_rows(path)
        event(f"{'broken' if breaks else 'as written'}, {'read fast' if fast is not None else 'left to csv'}")
        if fast is not None:
            assert fast == csv_rows(path)
        if not breaks and block > len(data):
            assert fast == rows, "csv.writer's own output must take the fast path"


@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 100, database=None)
@given(soup=st.lists(st.sampled_from([b"a", b",", b'"', b'""', b"\n", b"\xc3\xa9", b" "]), max_size=40))
def test_the_fast_reader_reads_token_soup_as_csv_does(soup: list[bytes]) -> None:
    """Quotes, commas and line ends in any order after a two-column header: the quote rules' hard cases."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(b"h1,h2\n" + b"".join(soup))
        fast = fast_rows(path)
        event("read fast" if fast is not None else "left to csv")
        if fast is not None:
            assert fast == csv_rows(path)
