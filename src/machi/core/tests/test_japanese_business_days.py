"""開庁日: weekends, national holidays and 年末年始 are not counted."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from machi.core.japanese.business_days import (
    add_business_days,
    business_days_between,
    is_business_day,
)


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        (dt.date(2026, 11, 30), True),  # Monday
        (dt.date(2026, 11, 28), False),  # Saturday
        (dt.date(2026, 11, 23), False),  # 勤労感謝の日
        (dt.date(2026, 9, 22), False),  # 国民の休日 between two holidays
        (dt.date(2026, 5, 6), False),  # 振替休日
        (dt.date(2026, 12, 29), False),  # 年末年始
        (dt.date(2027, 1, 4), True),
    ],
)
def test_office_days(day: dt.date, open_: bool) -> None:
    assert is_business_day(day) is open_


def test_period_counts_from_the_day_after_and_skips_closed_days() -> None:
    # Received Friday 25 December 2026: 28 Dec, then 4 and 5 January 2027.
    assert add_business_days(dt.date(2026, 12, 25), 3) == dt.date(2027, 1, 5)
    # Golden Week: 29 Apr and 3–6 May 2026 are closed.
    assert add_business_days(dt.date(2026, 4, 28), 5) == dt.date(2026, 5, 11)
    assert add_business_days(dt.date(2026, 11, 30), 0) == dt.date(2026, 11, 30)
    with pytest.raises(ValueError):
        add_business_days(dt.date(2026, 11, 30), -1)


@given(
    start=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
    days=st.integers(min_value=0, max_value=60),
)
def test_adding_then_counting_gives_the_same_number(start: dt.date, days: int) -> None:
    due = add_business_days(start, days)
    assert business_days_between(start, due) == days
    assert days == 0 or is_business_day(due)
