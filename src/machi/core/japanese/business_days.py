"""Business days of Japanese public offices (開庁日).

An office is closed on Saturdays and Sundays, on national holidays (国民の祝日, including
振替休日 and 国民の休日; the ``holidays`` package keeps the list, so future years follow the
law without code changes) and from 29 December to 3 January (年末年始, 行政機関の休日に関する
法律 第1条). Periods such as 標準処理期間 count business days from the day after an
application arrives.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

__all__ = ["add_business_days", "business_days_between", "is_business_day", "preload"]

_YEAR_END = ((12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3))
_SATURDAY = 5
_JST = dt.timezone(dt.timedelta(hours=9))


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("JP", years=year))


def preload() -> None:
    """Load this year's holidays now: the ``holidays`` package imports the rules of every
    country on first use (0.5-1 s), which the first application would otherwise wait for."""
    _holidays(dt.datetime.now(_JST).year)


def is_business_day(day: dt.date) -> bool:
    """Whether municipal offices are open on ``day``."""
    if day.weekday() >= _SATURDAY or (day.month, day.day) in _YEAR_END:
        return False
    return day not in _holidays(day.year)


def add_business_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` business days after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must be 0 or more")
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_business_day(day):
            remaining -= 1
    return day


def business_days_between(start: dt.date, end: dt.date) -> int:
    """Business days after ``start`` up to and including ``end`` (0 when end ≤ start)."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_business_day(day):
            count += 1
    return count
