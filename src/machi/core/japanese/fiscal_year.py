"""Fiscal years (年度). Japanese public bodies use April to March by default.

A fiscal year is named by the 西暦 year in which it starts: 2024年度 runs
2024-04-01 … 2025-03-31.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from .wareki import to_wareki

__all__ = ["fiscal_year_label", "fiscal_year_of", "fiscal_year_range"]


_MONTHS_IN_YEAR: Final = 12


def _check_start_month(start_month: int) -> None:
    if not 1 <= start_month <= _MONTHS_IN_YEAR:
        raise ValueError(f"start_month must be 1..12, got {start_month}")


def fiscal_year_of(d: dt.date, start_month: int = 4) -> int:
    """Return the fiscal year (年度, 西暦 start year) that contains ``d``.

    ``fiscal_year_of(date(2025, 3, 31)) == 2024``.
    """
    _check_start_month(start_month)
    return d.year if d.month >= start_month else d.year - 1


def fiscal_year_range(fy: int, start_month: int = 4) -> tuple[dt.date, dt.date]:
    """Return the first and last day (inclusive) of fiscal year ``fy`` (年度の期間)."""
    _check_start_month(start_month)
    first = dt.date(fy, start_month, 1)
    last = dt.date(fy + 1, start_month, 1) - dt.timedelta(days=1)
    return first, last


def fiscal_year_label(fy: int) -> str:
    """Return the 和暦 name of a fiscal year, e.g. 2024 → "令和6年度".

    The era is the one in force at the end of calendar year ``fy``, which is
    the official usage across a 改元: 2019 → "令和元年度" (not 平成31年度),
    1988 → "昭和63年度", 1989 → "平成元年度", 2018 → "平成30年度".

    Raises:
        JapaneseInputError: ``wareki.unsupported_date`` for years before 1873.
    """
    wareki = to_wareki(dt.date(fy, 12, 31))
    year = "元" if wareki.year == 1 else str(wareki.year)
    return f"{wareki.era}{year}年度"
