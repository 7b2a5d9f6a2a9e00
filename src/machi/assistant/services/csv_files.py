"""Reading the CSV files staff upload: UTF-8 (with or without BOM) or CP932 (Excel's
Shift_JIS), decided from the bytes, with every problem reported by row."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from machi.core.csv_safety import neutralise_cell, restore_cell

# What staff may export in: UTF-8 with BOM (Excel opens it as UTF-8) or CP932.
ENCODINGS = ("utf-8-sig", "cp932")


def decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        _("The file is neither UTF-8 nor Shift_JIS (CP932). Save it as CSV UTF-8 and try again.")
    )


def read_rows(content: bytes, required: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs; refuses a file without the required columns."""
    text = decode(content)
    try:
        reader = csv.DictReader(io.StringIO(text))
        header = reader.fieldnames or []
        missing = [column for column in required if column not in header]
        if missing:
            raise ValidationError(
                _("The first line must name the columns; missing: %(columns)s.")
                % {"columns": ", ".join(missing)}
            )
        return [
            (reader.line_num, {k: restore_cell((v or "").strip()) for k, v in row.items() if k})
            for row in reader
        ]
    except csv.Error as exc:
        raise ValidationError(_("The file is not valid CSV: %(error)s") % {"error": exc}) from exc


def write_rows(header: Sequence[str], rows: Sequence[Sequence[str]], encoding: str) -> bytes:
    """CSV bytes in ``utf-8-sig`` (opens in Excel) or ``cp932``; CRLF line ends; cells that a
    spreadsheet would run as formulas are neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([neutralise_cell(str(cell)) for cell in row] for row in rows)
    if encoding not in ENCODINGS:
        raise KeyError(encoding)
    return out.getvalue().encode(encoding, errors="strict")


def export_rows(header: Sequence[str], rows: Sequence[Sequence[str]], encoding: str) -> bytes:
    """``write_rows``, refusing (rather than mangling) text Shift_JIS cannot hold."""
    try:
        return write_rows(header, rows, encoding)
    except UnicodeEncodeError as exc:
        raise ValidationError(
            _(
                "Some text cannot be written in Shift_JIS (CP932): %(text)s. "
                "Export as UTF-8 instead."
            )
            % {"text": exc.object[exc.start : exc.end]}
        ) from exc
