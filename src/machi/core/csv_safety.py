"""Spreadsheet formula injection (CSV injection) in files people open in Excel.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by spreadsheet programs (``=HYPERLINK("http://evil", "click")``). Exports put an
apostrophe in front of such cells, which Excel shows as plain text; plain numbers such as
``-1.5`` or ``+81`` are left alone because they are data, not formulas. Importers take the
apostrophe off again so a round trip keeps the text.
"""

from __future__ import annotations

import re
from typing import Final

_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def is_formula_like(value: str) -> bool:
    return value.startswith(_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value)


def _needs_quote(value: str) -> bool:
    # Apostrophes already in front count too, so that "'=x" survives a round trip.
    return is_formula_like(value.lstrip("'"))


def neutralise_cell(value: str) -> str:
    """The cell as a spreadsheet will show it as text, never run it."""
    return "'" + value if _needs_quote(value) else value


def restore_cell(value: str) -> str:
    """Undo :func:`neutralise_cell` when a file exported by machi comes back."""
    if value.startswith("'") and _needs_quote(value):
        return value[1:]
    return value
