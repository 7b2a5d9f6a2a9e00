"""Reading an uploaded file into a table of strings: format sniffing, strict decoding,
CSV parsing with polars, and the number of cells of every row.

Decoding follows the reference rules for Japanese CSV: the **whole** file is decoded
strictly, as UTF-8 (with or without a byte order mark) and then as CP932 — never
``shift_jis``, which fails on ㈱ and ① or, as ``shift_jis_2004``, silently turns 髙 into
郄. Sniffing only the beginning is not enough: a CP932 file can be pure ASCII for its
first 150 KB.

The UTF-8 check is done by polars while it reads the physical lines (a String column
holds only valid UTF-8), which is several times faster than ``bytes.decode``; those lines
then give the cell count of every row without a Python loop. Files whose quoted values
span lines, or that polars cannot parse, fall back to Python's ``csv`` module.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from typing import Final

import polars as pl

from ..table_schemas import unique_column_names
from .problems import Problem, make_problem

__all__ = [
    "DecodedContent",
    "ParsedTable",
    "UnreadableFileError",
    "decode_content",
    "parse_table",
    "read_table",
]

_SNIFF_BYTES: Final = 65536
_LINE_SEPARATORS: Final = (b"\x1f", b"\x1e", b"\x1d", b"\x1c", b"\x1b", b"\x1a", b"\x01")
_QUOTED_RE: Final = r'"[^"]*"'
_ASCII: Final = bytes(range(128))
_BROKEN_UTF8_AFTER: Final = 64  # bytes of valid multibyte UTF-8 before the first bad one
_CONTENT_RE: Final = re.compile(rb"[^\xef\xbb\xbf \t\r\n]")

# (magic bytes, kind, Japanese name, English name)
_MAGIC: Final = (
    (b"\x89PNG\r\n\x1a\n", "png", "PNG 画像", "a PNG image"),
    (b"\xff\xd8\xff", "jpeg", "JPEG 画像", "a JPEG image"),
    (b"GIF87a", "gif", "GIF 画像", "a GIF image"),
    (b"GIF89a", "gif", "GIF 画像", "a GIF image"),
    (b"%PDF", "pdf", "PDF ファイル", "a PDF file"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "xls",
        "Excel 97-2003 形式（.xls）など",
        "an .xls workbook",
    ),
    (b"\x1f\x8b", "gzip", "gzip 圧縮ファイル", "a gzip archive"),
)


class UnreadableFileError(ValueError):
    """The file cannot be read as a table; ``problem`` says why, in both languages."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.code = problem.code
        super().__init__(f"{problem.message_ja} / {problem.message_en}")


@dataclass(frozen=True)
class DecodedContent:
    """The file as UTF-8 bytes without a BOM, and how it was stored."""

    data: bytes
    encoding: str  # "utf-8" or "cp932"
    has_bom: bool
    lines: pl.Series | None = None  # physical lines, when already read


@dataclass(frozen=True)
class ParsedTable:
    """The header, the data as strings and the rows whose cell count is wrong.

    ``data`` has one String column per header cell, named ``c0``, ``c1`` …; empty and
    missing cells are ``""``. Row numbers follow the spreadsheet: ``header_row`` is
    normally 1 (blank lines before the header push it down) and data row ``i`` (0-based)
    is row ``header_row + 1 + i``.
    """

    header: list[str]
    data: pl.DataFrame
    header_row: int = 1
    ragged: list[tuple[int, int]] = field(default_factory=list)  # (data index, cells)
    leading_blank_rows: int = 0

    def row_number(self, index: int) -> int:
        return self.header_row + 1 + index


def _not_csv(kind: str, kind_ja: str, kind_en: str) -> UnreadableFileError:
    return UnreadableFileError(
        make_problem("file.not-csv", value=kind, kind_ja=kind_ja, kind_en=kind_en)
    )


def _looks_like_utf16(head: bytes) -> bool:
    """UTF-16 without a BOM: decodes cleanly to printable text with commas or line ends."""
    sample = head[: len(head) - len(head) % 2]
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        if ("," in text or "\n" in text) and "\x00" not in text and printable >= 0.95 * len(text):
            return True
    return False


def _sniff(content: bytes) -> None:
    """Refuse files that are plainly not text tables, before trying to decode them."""
    head = content[:_SNIFF_BYTES]
    for magic, kind, kind_ja, kind_en in _MAGIC:
        if head.startswith(magic):
            raise _not_csv(kind, kind_ja, kind_en)
    if head.startswith(b"PK\x03\x04"):
        if b"xl/" in head:
            raise _not_csv("xlsx", "Excel ブック（.xlsx）", "an Excel workbook (.xlsx)")
        raise _not_csv("zip", "ZIP 圧縮ファイル", "a ZIP archive")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFileError(make_problem("encoding.utf16"))
    if b"\x00" in head:
        if _looks_like_utf16(head):
            raise UnreadableFileError(make_problem("encoding.utf16"))
        raise _not_csv("binary", "バイナリファイル", "a binary file")
    text_start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text_start.startswith((b"<!doctype html", b"<html")):
        raise _not_csv("html", "HTML（ウェブページ）", "an HTML page")


def _read_lines(data: bytes) -> pl.Series | None:
    """The physical lines as a String Series; raises if ``data`` is not valid UTF-8."""
    separator = next((s for s in _LINE_SEPARATORS if s not in data), None)
    if separator is None:
        return None
    if not data:
        return pl.Series("line", [], dtype=pl.String)
    frame = pl.read_csv(
        data,
        has_header=False,
        infer_schema=False,
        separator=separator.decode(),
        quote_char=None,
        empty_string_is_null=False,
        truncate_ragged_lines=True,
        raise_if_empty=False,
    )
    return frame.to_series().alias("line") if frame.width else None


def _line_of(content: bytes, offset: int) -> int:
    return content.count(b"\n", 0, offset) + 1


def _crlf(data: bytes) -> bytes:
    """Old Mac files end lines with CR only; polars needs LF."""
    if b"\n" not in data and b"\r" in data:
        return data.replace(b"\r", b"\n")
    return data


def decode_content(content: bytes) -> DecodedContent:
    """Decode strictly: UTF-8 with BOM, UTF-8, then CP932; otherwise refuse.

    Raises:
        UnreadableFileError: ``file.empty``, ``file.not-csv``, ``encoding.utf16`` or
            ``encoding.unknown``.
    """
    if _CONTENT_RE.search(content) is None:  # stops at the first visible byte
        raise UnreadableFileError(make_problem("file.empty"))
    _sniff(content)
    has_bom = content.startswith(codecs.BOM_UTF8)
    body = _crlf(content[len(codecs.BOM_UTF8) :] if has_bom else content)
    try:
        lines = _read_lines(body)
    except pl.exceptions.PolarsError:
        lines = None
        utf8 = False
    else:
        utf8 = lines is not None
    if not utf8:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as exc:
            first_bad = exc.start
        else:
            return DecodedContent(body, "utf-8", has_bom, None)
        if has_bom or len(body[:first_bad].translate(None, _ASCII)) >= _BROKEN_UTF8_AFTER:
            # A UTF-8 BOM, or plenty of good UTF-8 before the bad byte: a damaged UTF-8
            # file, which CP932 would decode "successfully" into nonsense.
            raise UnreadableFileError(
                make_problem("encoding.unknown", line=_line_of(body, first_bad))
            )
        try:
            text = content.decode("cp932")
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(
                make_problem("encoding.unknown", line=_line_of(_crlf(content), exc.start))
            ) from None
        return DecodedContent(_crlf(text.encode("utf-8")), "cp932", False, None)
    return DecodedContent(body, "utf-8", has_bom, lines)


def _python_rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), strict=False))


def _from_python(data: bytes, skipped: int) -> ParsedTable:
    """The slow, forgiving path: Python's csv module, one record at a time."""
    records = _python_rows(data)
    header = records[0] if records else []
    width = max(len(header), 1)
    ragged: list[tuple[int, int]] = []
    rows: list[list[str]] = []
    for index, record in enumerate(records[1:]):
        if record and len(record) != width:
            ragged.append((index, len(record)))
        rows.append((record + [""] * width)[:width])
    names = [f"c{i}" for i in range(width)]
    frame = pl.DataFrame(rows, schema=dict.fromkeys(names, pl.String), orient="row")
    return ParsedTable(header or [""], frame, 1 + skipped, ragged, skipped)


def _ragged_rows(
    frame: pl.DataFrame, lines: pl.Series, *, quoted: bool
) -> list[tuple[int, int]] | None:
    """(data index, cells) of the rows whose cell count differs from the header's.

    Without quotes a line is its cells joined by commas, so comparing the line's length
    with the cells' total length finds the rows polars padded or cut — no per-line
    counting. With quotes, commas outside quoted values are counted. None when a quoted
    value spans lines (the caller falls back to Python's csv module).
    """
    width = frame.width
    length = lines.str.len_bytes().cast(pl.Int64)
    if not quoted:
        cells = frame.select(pl.sum_horizontal(pl.all().str.len_bytes())).to_series()
        wrong = (length - cells.cast(pl.Int64) != width - 1) & (length > 0)
        bad = wrong.slice(1).arg_true().to_list()
        return [(i, lines[i + 1].count(",") + 1) for i in bad]
    counts = lines.str.count_matches(",", literal=True)
    quotes = lines.str.count_matches('"', literal=True)
    if (quotes % 2 == 1).any():
        return None
    with_quotes = (quotes > 0).arg_true()
    inner = lines.gather(with_quotes).str.replace_all(_QUOTED_RE, "").str.count_matches(",")
    counts = counts.scatter(with_quotes, inner) + 1
    bad_rows = ((counts != width) & (length > 0)).slice(1).arg_true()
    return list(zip(bad_rows.to_list(), counts.slice(1).gather(bad_rows).to_list(), strict=True))


def parse_table(decoded: DecodedContent) -> ParsedTable:
    """Split the decoded file into header, data and ragged rows (see :class:`ParsedTable`).

    Raises:
        UnreadableFileError: ``file.not-csv`` when the header has no delimiter.
    """
    stripped = decoded.data.lstrip(b"\r\n")
    skipped = decoded.data[: len(decoded.data) - len(stripped)].count(b"\n")
    lines = decoded.lines
    if lines is not None and skipped:
        lines = lines.slice(skipped)
    if lines is None:
        try:
            lines = _read_lines(stripped)
        except pl.exceptions.PolarsError:
            lines = None
    try:
        frame = pl.read_csv(
            stripped,
            has_header=False,
            infer_schema=False,
            empty_string_is_null=False,
            truncate_ragged_lines=True,
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError:
        table = _from_python(stripped, skipped)
    else:
        ragged = None
        if lines is not None and len(lines) == frame.height:
            ragged = _ragged_rows(frame, lines, quoted=b'"' in stripped)
        if ragged is None:
            table = _from_python(stripped, skipped)
        else:
            header = ["" if v is None else v for v in frame.row(0)] if frame.height else [""]
            data = frame.slice(1).rename({c: f"c{i}" for i, c in enumerate(frame.columns)})
            data = data.with_columns(pl.all().fill_null(""))
            table = ParsedTable(header, data, 1 + skipped, ragged, skipped)
    if len(table.header) == 1:
        first = table.header[0]
        if "\t" in first:
            raise _not_csv("tsv", "タブ区切り", "tab-separated")
        if ";" in first:
            raise _not_csv("semicolon", "セミコロン区切り", "semicolon-separated")
        raise _not_csv("no-delimiter", "コンマ区切りの列がない", "no comma-separated columns")
    return table


def read_table(content: bytes) -> tuple[pl.DataFrame, str, bool]:
    """Read an uploaded CSV into a DataFrame of strings, for the datastore and previews.

    Returns ``(frame, encoding, has_bom)``: every column is String, named by its header
    (a blank header becomes ``column_N``, a repeated one gets ``_2``, ``_3`` …); empty
    cells are null; cells beyond the header's width are dropped and missing ones are null.
    ``encoding`` is ``"utf-8"`` or ``"cp932"``.

    Raises:
        UnreadableFileError: the file is empty, not a CSV, or in an unknown encoding.
    """
    decoded = decode_content(content)
    table = parse_table(decoded)
    names = unique_column_names(table.header)
    frame = table.data.rename(dict(zip(table.data.columns, names, strict=True)))
    frame = frame.with_columns(
        pl.when(pl.col(name) == "").then(None).otherwise(pl.col(name)).alias(name) for name in names
    )
    return frame, decoded.encoding, decoded.has_bom
