"""Tests for machi.core.japanese.fiscal_year (年度)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.fiscal_year import (
    fiscal_year_label,
    fiscal_year_of,
    fiscal_year_range,
)

months = st.integers(min_value=1, max_value=12)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2024, 4, 1), 2024),
        (dt.date(2025, 3, 31), 2024),
        (dt.date(2024, 3, 31), 2023),
        (dt.date(2024, 12, 31), 2024),
        (dt.date(2025, 1, 1), 2024),
    ],
)
def test_fiscal_year_of_examples(day: dt.date, expected: int) -> None:
    assert fiscal_year_of(day) == expected


def test_other_start_months() -> None:
    assert fiscal_year_of(dt.date(2024, 12, 31), start_month=1) == 2024
    assert fiscal_year_of(dt.date(2024, 6, 30), start_month=7) == 2023
    assert fiscal_year_range(2024, start_month=1) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def test_fiscal_year_range_example() -> None:
    assert fiscal_year_range(2024) == (dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    assert fiscal_year_range(2023) == (dt.date(2023, 4, 1), dt.date(2024, 3, 31))


# From year 2: the day before a fiscal year starting in January of year 1 is not a date.
@given(st.dates(min_value=dt.date(2, 12, 31), max_value=dt.date(9998, 1, 1)), months)
def test_range_contains_the_date(day: dt.date, start_month: int) -> None:
    fy = fiscal_year_of(day, start_month)
    first, last = fiscal_year_range(fy, start_month)
    assert first <= day <= last
    assert first.day == 1
    assert first.month == start_month
    assert fiscal_year_of(first, start_month) == fy == fiscal_year_of(last, start_month)
    assert fiscal_year_of(last + dt.timedelta(days=1), start_month) == fy + 1
    assert fiscal_year_of(first - dt.timedelta(days=1), start_month) == fy - 1
    assert (last - first).days + 1 in (365, 366)


@pytest.mark.parametrize("start_month", [0, 13, -1])
def test_bad_start_month(start_month: int) -> None:
    with pytest.raises(ValueError, match="start_month"):
        fiscal_year_of(dt.date(2024, 1, 1), start_month)
    with pytest.raises(ValueError, match="start_month"):
        fiscal_year_range(2024, start_month)


@pytest.mark.parametrize(
    ("fy", "label"),
    [
        (2024, "令和6年度"),
        (2020, "令和2年度"),
        (2019, "令和元年度"),
        (2018, "平成30年度"),
        (1989, "平成元年度"),
        (1988, "昭和63年度"),
        (1926, "昭和元年度"),
        (1912, "大正元年度"),
        (1873, "明治6年度"),
    ],
)
def test_fiscal_year_label(fy: int, label: str) -> None:
    assert fiscal_year_label(fy) == label


@given(st.integers(min_value=1873, max_value=2100))
def test_label_shape(fy: int) -> None:
    label = fiscal_year_label(fy)
    assert label.endswith("年度")
    assert label[:2] in {"明治", "大正", "昭和", "平成", "令和"}


def test_label_before_1873_is_refused() -> None:
    with pytest.raises(JapaneseInputError) as info:
        fiscal_year_label(1872)
    assert info.value.code == "wareki.unsupported_date"
