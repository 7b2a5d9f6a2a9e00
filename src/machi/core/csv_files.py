"""CSV files in and out: every export, download and upload of the platform goes through here.

Two kinds of file are written, both with CRLF line ends and minimal quoting:

* :func:`safe_csv_bytes`, for people: files someone may open in a spreadsheet (the back
  office's exports, the FAQ and synonym files, generated open data). Every cell goes
  through :mod:`machi.core.csv_safety`, so none runs as a formula; :func:`read_rows` takes
  the apostrophe off again when such a file comes back.
* :func:`plain_csv_bytes`, for programs: cells exactly as given, where an apostrophe would
  corrupt the data (a core system's raw import, the demo open data files, which show the
  validator's findings as people really write them, and the plan's own CSV, which has
  always been written as the cells are).

``encoding`` is a Python codec: ``utf-8-sig`` (UTF-8 with a BOM, so that Japanese Excel
opens it as UTF-8), ``utf-8`` or ``cp932`` (Excel's Shift_JIS).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _

from machi.core.csv_safety import neutralise_cell, restore_cell

# The encodings staff choose between for their downloads and uploads.
ENCODINGS = {"utf-8-sig": "UTF-8 (BOM)", "cp932": "CP932 (Shift_JIS)"}

Row = dict[str, str]


class Unencodable(ValidationError):
    """Text that the chosen encoding cannot hold: refused, never written as 「?」."""

    def __init__(self, error: UnicodeEncodeError) -> None:
        self.text = error.object[error.start : error.end]
        super().__init__(
            _(
                "Some text cannot be written in Shift_JIS (CP932): %(text)s. "
                "Export as UTF-8 instead."
            )
            % {"text": self.text},
            code="encoding",
        )


def _text(cell: object) -> str:
    return "" if cell is None else str(cell)


def _csv_bytes(
    rows: Iterable[Sequence[object]],
    header: Sequence[object],
    encoding: str,
    cell: Callable[[str], str],
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell(_text(value)) for value in header])
    writer.writerows([cell(_text(value)) for value in row] for row in rows)
    try:
        return buffer.getvalue().encode(encoding)
    except UnicodeEncodeError as exc:
        raise Unencodable(exc) from exc


def _as_given(text: str) -> str:
    return text


def safe_csv_bytes(
    rows: Iterable[Sequence[object]], header: Sequence[object], *, encoding: str = "utf-8-sig"
) -> bytes:
    """A CSV for people: every cell (header included) neutralised; ``None`` written empty.

    Raises:
        Unencodable: ``encoding`` cannot hold some text.
    """
    return _csv_bytes(rows, header, encoding, neutralise_cell)


def plain_csv_bytes(
    rows: Iterable[Sequence[object]], header: Sequence[object], *, encoding: str = "utf-8-sig"
) -> bytes:
    """A CSV for programs: cells as given; ``None`` written empty. Never hand such a file
    to someone to open in a spreadsheet.

    Raises:
        Unencodable: ``encoding`` cannot hold some text.
    """
    return _csv_bytes(rows, header, encoding, _as_given)


def csv_attachment(content: bytes, encoding: str, filename: str) -> HttpResponse:
    """A CSV download; ``encoding`` is the codec it was written in (``cp932`` or UTF-8)."""
    charset = "shift_jis" if encoding == "cp932" else "utf-8"
    response = HttpResponse(content, content_type=f"text/csv; charset={charset}")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def decode(content: bytes) -> str:
    """An uploaded file's text: UTF-8 (with or without BOM) or CP932, told from the bytes."""
    for encoding in ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        _("The file is neither UTF-8 nor Shift_JIS (CP932). Save it as CSV UTF-8 and try again.")
    )


def read_rows(content: bytes, required: Sequence[str]) -> list[tuple[int, Row]]:
    """(line number, row) pairs of a CSV file people upload: cells stripped and restored
    (:func:`machi.core.csv_safety.restore_cell`); refuses a file without the required
    columns or that is not CSV."""
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


def check_rows(
    rows: Sequence[tuple[int, Row]], problems: Callable[[Row], Iterable[str]], empty: str
) -> None:
    """Refuse a whole file, naming every problem with its line (``problems`` is called once
    per row, in order), or with ``empty`` when it has no rows.

    Raises:
        ValidationError: one message per problem.
    """
    errors = [
        _("line %(n)s: %(problem)s") % {"n": number, "problem": problem}
        for number, row in rows
        for problem in problems(row)
    ]
    if not rows:
        errors.append(empty)
    if errors:
        raise ValidationError(errors)
