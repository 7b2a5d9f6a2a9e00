"""Safe CSV for people who open it in a spreadsheet (CSV injection / 数式インジェクション);
the rule itself is :mod:`machi.core.csv_safety`."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Sequence

from machi.core.csv_safety import neutralise_cell

__all__ = ["neutralise_cell", "safe_csv_bytes"]


def _text(cell: object) -> str:
    return "" if cell is None else str(cell)


def safe_csv_bytes(
    rows: Iterable[Sequence[object]], header: Sequence[str], *, bom: bool = True
) -> bytes:
    """CSV (UTF-8, CRLF line ends, minimal quoting) with every cell neutralised.

    ``bom=True`` writes a byte order mark so that Excel opens the file as UTF-8.
    ``None`` cells are written empty.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_cell(_text(cell)) for cell in header])
    for row in rows:
        writer.writerow([neutralise_cell(_text(cell)) for cell in row])
    data = buffer.getvalue().encode("utf-8")
    return codecs.BOM_UTF8 + data if bom else data
