"""Tests for machi.core.japanese.phone (電話番号)."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.phone import format_phone, normalize_phone

FULLWIDTH = str.maketrans("0123456789-()+", "０１２３４５６７８９－（）＋")
ELEVEN_DIGIT_PREFIXES = ("020", "050", "060", "070", "080", "090", "0800")


def digits(size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=size, max_size=size)


def dialable(number: str) -> bool:
    """In a block allocated in Japan's numbering plan (phonenumbers' metadata for JP).
    010… is Japan's international call prefix, which the parser reads as such (or refuses)."""
    try:
        parsed = phonenumbers.parse(number, "JP")
    except phonenumbers.NumberParseException:
        return False
    return parsed.country_code == 81 and phonenumbers.is_valid_number(parsed)


mobile_numbers = st.builds(
    lambda prefix, rest: prefix + rest, st.sampled_from(["090", "080", "070", "050"]), digits(8)
).filter(dialable)
landline_numbers = (
    st.builds(lambda second, rest: "0" + second + rest, st.sampled_from("123456789"), digits(8))
    .filter(lambda number: not number.startswith(ELEVEN_DIGIT_PREFIXES))
    .filter(dialable)
)
valid_numbers = st.one_of(mobile_numbers, landline_numbers)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0595-82-1111", "0595821111"),
        ("(0595) 82-1111", "0595821111"),
        ("０５９５－８２－１１１１", "0595821111"),
        ("0595ー82ー1111", "0595821111"),
        ("+81 595-82-1111", "0595821111"),
        ("+81-595-82-1111", "0595821111"),
        ("+81 (0)595 82 1111", "0595821111"),
        ("＋８１　９０－１２３４－５６７８", "09012345678"),
        ("090-1234-5678", "09012345678"),
        ("0120-123-456", "0120123456"),
        ("0800-123-4567", "08001234567"),
    ],
)
def test_normalize_examples(text: str, expected: str) -> None:
    assert normalize_phone(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "110",
        "595-82-1111",
        "0595-82-111",
        "0595-82-11111-1",
        "090-123-4567",
        "0595-821-1111",
        "0012345678",
        "+1 202 555 0100",
        "0595-82-1111 内線2",
        "tel:0595821111",
        "0a95821111",
        "0800-123-456",
        "020-123-4567",
        # Not allocated in Japan's numbering plan (010 is the international prefix).
        "010-123-4567",
        "021-123-4567",
        "0500-123-4567",
        "090-0123-4567",
    ],
)
def test_normalize_rejects(text: str) -> None:
    with pytest.raises(JapaneseInputError) as info:
        normalize_phone(text)
    assert info.value.code == "phone.invalid"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0595821111", "0595-82-1111"),
        ("09012345678", "090-1234-5678"),
        ("08012345678", "080-1234-5678"),
        ("07012345678", "070-1234-5678"),
        ("05012345678", "050-1234-5678"),
        ("0120123456", "0120-123-456"),
        ("0570123456", "0570-123-456"),
        ("08001234567", "0800-123-4567"),
        ("0312345678", "03-1234-5678"),
        ("0612345678", "06-1234-5678"),
        ("0451234567", "045-123-4567"),
        ("0521234567", "052-123-4567"),
        ("+81 595 82 1111", "0595-82-1111"),
    ],
)
def test_format_examples(text: str, expected: str) -> None:
    assert format_phone(text) == expected


def test_fixed_lines_are_grouped_by_their_real_area_code() -> None:
    assert format_phone("0126721234") == "01267-2-1234"  # 岩見沢市 01267
    assert format_phone("0592123456") == "059-212-3456"  # 津市 059
    assert format_phone("0595821111") == "0595-82-1111"  # 亀山市 0595
    assert format_phone("0422511111") == "0422-51-1111"  # 武蔵野市 0422
    assert format_phone("0471234567") == "04-7123-4567"  # 柏市 04
    assert format_phone("0421234567") == "042-123-4567"  # 八王子市 042
    assert format_phone("0921234567") == "092-123-4567"  # 福岡市 092


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0990123456", "0990-123-456"),  # ダイヤルQ2
        ("0600123456", "060-012-3456"),  # UPT (10 digits, unlike 060 mobile numbers)
    ],
)
def test_other_ten_digit_services_are_accepted(text: str, expected: str) -> None:
    assert format_phone(text) == expected


@given(valid_numbers)
def test_normalise_is_idempotent_and_format_round_trips(number: str) -> None:
    assert normalize_phone(number) == number
    formatted = format_phone(number)
    assert formatted.replace("-", "") == number
    assert normalize_phone(formatted) == number
    assert format_phone(formatted) == formatted
    assert normalize_phone(formatted.translate(FULLWIDTH)) == number
    assert normalize_phone("+81" + formatted[1:]) == number


@given(landline_numbers)
def test_landlines_end_with_four_digit_subscriber(number: str) -> None:
    parts = format_phone(number).split("-")
    assert len(parts) == 3
    assert len(parts[2]) in (3, 4)
    if not number.startswith(("0120", "0570", "0990")):
        assert len(parts[2]) == 4
        assert len(parts[0]) + len(parts[1]) == 6


@given(st.text(max_size=20))
def test_normalize_only_raises_input_errors(text: str) -> None:
    try:
        value = normalize_phone(text)
    except JapaneseInputError:
        return
    assert normalize_phone(value) == value
    assert len(value) in (10, 11)


def test_the_international_call_prefix_is_not_a_japanese_number() -> None:
    with pytest.raises(JapaneseInputError):
        normalize_phone("0108010000")
