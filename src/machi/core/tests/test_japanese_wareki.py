"""Tests for machi.core.japanese.wareki (和暦)."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.wareki import (
    ERAS,
    SUPPORTED_FROM,
    WarekiDate,
    from_wareki,
    parse_date,
    to_wareki,
)

RANGE_START = dt.date(1873, 1, 1)
RANGE_END = dt.date(2100, 12, 31)
supported_dates = st.dates(min_value=RANGE_START, max_value=RANGE_END)
FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
LETTERS = {era.name: era.letter for era in ERAS}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(1873, 1, 1), "明治6年1月1日"),
        (dt.date(1912, 7, 29), "明治45年7月29日"),
        (dt.date(1912, 7, 30), "大正元年7月30日"),
        (dt.date(1926, 12, 24), "大正15年12月24日"),
        (dt.date(1926, 12, 25), "昭和元年12月25日"),
        (dt.date(1989, 1, 7), "昭和64年1月7日"),
        (dt.date(1989, 1, 8), "平成元年1月8日"),
        (dt.date(2019, 4, 30), "平成31年4月30日"),
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2024, 4, 1), "令和6年4月1日"),
    ],
)
def test_era_boundaries(day: dt.date, expected: str) -> None:
    assert str(to_wareki(day)) == expected
    assert parse_date(expected) == day


def test_wareki_date_fields() -> None:
    assert to_wareki(dt.date(2019, 5, 1)) == WarekiDate("令和", 1, 5, 1)
    assert WarekiDate("平成", 31, 4, 30).to_date() == dt.date(2019, 4, 30)


def test_datetime_uses_its_date() -> None:
    assert to_wareki(dt.datetime(2019, 5, 1, 23, 59)) == WarekiDate("令和", 1, 5, 1)


def test_every_supported_day_round_trips() -> None:
    day = RANGE_START
    while day <= RANGE_END:
        wareki = to_wareki(day)
        assert from_wareki(wareki.era, wareki.year, wareki.month, wareki.day) == day
        day += dt.timedelta(days=1)


@given(supported_dates)
def test_round_trip_through_from_wareki(day: dt.date) -> None:
    wareki = to_wareki(day)
    assert from_wareki(wareki.era, wareki.year, wareki.month, wareki.day) == day


@given(supported_dates)
def test_str_parses_back(day: dt.date) -> None:
    text = str(to_wareki(day))
    assert parse_date(text) == day
    assert parse_date(text.translate(FULLWIDTH_DIGITS)) == day


@given(supported_dates, st.sampled_from([".", "/", "-"]))
def test_letter_form_parses(day: dt.date, sep: str) -> None:
    wareki = to_wareki(day)
    text = f"{LETTERS[wareki.era]}{wareki.year}{sep}{wareki.month}{sep}{wareki.day}"
    assert parse_date(text) == day
    assert parse_date(text.lower()) == day


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_gregorian_forms_parse(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.year}/{day.month}/{day.day}") == day
    assert parse_date(f"{day.year}年{day.month}月{day.day}日") == day
    assert parse_date(f"{day.year}年{day.month}月{day.day}日".translate(FULLWIDTH_DIGITS)) == day


@given(
    st.sampled_from([era.name for era in ERAS]),
    st.integers(min_value=-5, max_value=200),
    st.integers(min_value=0, max_value=13),
    st.integers(min_value=0, max_value=32),
)
def test_from_wareki_is_consistent_or_refuses(era: str, year: int, month: int, day: int) -> None:
    try:
        result = from_wareki(era, year, month, day)
    except JapaneseInputError as exc:
        assert exc.code in {
            "wareki.out_of_era",
            "date.nonexistent",
            "wareki.unsupported_date",
        }
    else:
        assert to_wareki(result) == WarekiDate(era, year, month, day)


@given(st.text(max_size=30))
def test_parse_date_only_raises_input_errors(text: str) -> None:
    with contextlib.suppress(JapaneseInputError):
        parse_date(text)


@pytest.mark.parametrize(
    "text",
    [
        "2024-04-01",
        "2024/4/1",
        "2024.4.1",
        "2024年4月1日",
        "２０２４年４月１日",
        " 2024 - 04 - 01 ",
    ],
)
def test_gregorian_examples(text: str) -> None:
    assert parse_date(text) == dt.date(2024, 4, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和6年4月1日", dt.date(2024, 4, 1)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("令和１年５月１日", dt.date(2019, 5, 1)),
        ("R6.4.1", dt.date(2024, 4, 1)),
        ("Ｒ６．４．１", dt.date(2024, 4, 1)),
        ("R06.04.01", dt.date(2024, 4, 1)),
        ("r6/4/1", dt.date(2024, 4, 1)),
        ("H31.4.30", dt.date(2019, 4, 30)),
        ("平成31年4月30日", dt.date(2019, 4, 30)),
        ("S64.1.7", dt.date(1989, 1, 7)),
        ("H1.1.8", dt.date(1989, 1, 8)),
        ("H元.1.8", dt.date(1989, 1, 8)),
        ("T1.7.30", dt.date(1912, 7, 30)),
        ("M6.1.1", dt.date(1873, 1, 1)),
        ("㋿6年4月1日", dt.date(2024, 4, 1)),
        ("㍻31年4月30日", dt.date(2019, 4, 30)),
        ("令和 6年 4月 1日", dt.date(2024, 4, 1)),
    ],
)
def test_wareki_examples(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "date.invalid_format"),
        ("昨日", "date.invalid_format"),
        ("2024-04/01", "date.invalid_format"),
        ("24-04-01", "date.invalid_format"),
        ("20240401", "date.invalid_format"),
        ("X6.4.1", "date.invalid_format"),
        ("西暦2024年4月1日", "date.invalid_format"),
        ("令和6年4月1", "date.invalid_format"),
        ("2024-02-30", "date.nonexistent"),
        ("2023年2月29日", "date.nonexistent"),
        ("令和6年2月30日", "date.nonexistent"),
        ("R6.13.1", "date.nonexistent"),
        ("2024-00-10", "date.nonexistent"),
        ("平成32年1月1日", "wareki.out_of_era"),
        ("平成31年5月1日", "wareki.out_of_era"),
        ("S64.1.8", "wareki.out_of_era"),
        ("令和元年4月30日", "wareki.out_of_era"),
        ("昭和元年12月24日", "wareki.out_of_era"),
        ("令和0年5月1日", "wareki.out_of_era"),
        ("明治45年7月30日", "wareki.out_of_era"),
        ("明治5年12月31日", "wareki.unsupported_date"),
        ("明治元年10月23日", "wareki.unsupported_date"),
    ],
)
def test_rejected_texts(text: str, code: str) -> None:
    with pytest.raises(JapaneseInputError) as info:
        parse_date(text)
    assert info.value.code == code


def test_gregorian_input_before_meiji_6_is_allowed() -> None:
    assert parse_date("1868-01-01") == dt.date(1868, 1, 1)


@pytest.mark.parametrize("era", ["令和", "R", "r", "Ｒ", "㋿", " 令和 "])
def test_era_aliases(era: str) -> None:
    assert from_wareki(era, 1, 5, 1) == dt.date(2019, 5, 1)


@pytest.mark.parametrize("era", ["", "西暦", "X", "慶応", "令"])
def test_unknown_era(era: str) -> None:
    with pytest.raises(JapaneseInputError) as info:
        from_wareki(era, 1, 1, 1)
    assert info.value.code == "wareki.unknown_era"


def test_huge_era_year_is_out_of_era() -> None:
    with pytest.raises(JapaneseInputError) as info:
        from_wareki("令和", 99_999, 1, 1)
    assert info.value.code == "wareki.out_of_era"


def test_to_wareki_refuses_lunisolar_period() -> None:
    assert to_wareki(SUPPORTED_FROM).year == 6
    with pytest.raises(JapaneseInputError) as info:
        to_wareki(SUPPORTED_FROM - dt.timedelta(days=1))
    assert info.value.code == "wareki.unsupported_date"
