"""Tests for machi.core.japanese.normalize (正規化・金額)."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.normalize import (
    nfkc,
    normalize_identifier,
    normalize_number,
    parse_yen,
)

FULLWIDTH = str.maketrans("0123456789,.-", "０１２３４５６７８９，．－")


@given(st.text())
def test_nfkc_is_idempotent(text: str) -> None:
    assert nfkc(nfkc(text)) == nfkc(text)


def test_nfkc_examples() -> None:
    assert nfkc("ＡＢＣ１２３") == "ABC123"
    assert nfkc("ｶﾞ") == "ガ"
    assert nfkc("\u3000") == " "


@given(st.text())
def test_normalize_identifier_is_idempotent_and_has_no_spaces(text: str) -> None:
    value = normalize_identifier(text)
    assert normalize_identifier(value) == value
    assert not any(ch.isspace() for ch in value)


def test_normalize_identifier_example() -> None:
    assert normalize_identifier(" ＡＢ　１２ ３ ") == "AB123"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1200", "1200"),
        ("1,200", "1200"),
        ("１，２００", "1200"),
        ("1,234,567", "1234567"),
        (" 42 ", "42"),
        ("-5", "-5"),
        ("−5", "-5"),
        ("－５", "-5"),
        ("+5", "5"),
        ("1,234.50", "1234.50"),
        ("０．５", "0.5"),
        ("007", "007"),
    ],
)
def test_normalize_number_examples(text: str, expected: str) -> None:
    assert normalize_number(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "abc",
        "1万",
        "千二百",
        "12,00",
        "1,2000",
        ",100",
        "100,",
        "1.",
        ".5",
        "1.2.3",
        "1 200",
        "①",
        "1²",
        "٣",
        "1e3",
        "--1",
        "0x10",
    ],
)
def test_normalize_number_rejects(text: str) -> None:
    with pytest.raises(JapaneseInputError) as info:
        normalize_number(text)
    assert info.value.code == "number.invalid"


@given(st.integers(), st.booleans(), st.booleans())
def test_normalize_number_integers(number: int, commas: bool, wide: bool) -> None:
    text = f"{number:,}" if commas else str(number)
    if wide:
        text = text.translate(FULLWIDTH)
    assert normalize_number(text) == str(number)
    assert normalize_number(normalize_number(text)) == str(number)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2))
def test_normalize_number_decimals(number: Decimal) -> None:
    text = f"{number:,f}"
    assert normalize_number(text) == f"{number:f}"


@pytest.mark.parametrize(
    "text",
    ["1,200円", "￥1200", "¥1,200", "１２００", "1200", "\\1,200", "１，２００ 円", " ¥ 1200 円 "],
)
def test_parse_yen_examples(text: str) -> None:
    assert parse_yen(text) == 1200


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("-1200", "yen.negative"),
        ("－１２００円", "yen.negative"),
        ("¥-1", "yen.negative"),
        ("12.5", "yen.decimal"),
        ("1,200.00円", "yen.decimal"),
        ("", "yen.invalid"),
        ("円", "yen.invalid"),
        ("1万円", "yen.invalid"),
        ("12,00", "yen.invalid"),
        ("$1200", "yen.invalid"),
        ("1200ドル", "yen.invalid"),
        ("①②", "yen.invalid"),
        ("1²", "yen.invalid"),
    ],
)
def test_parse_yen_rejects(text: str, code: str) -> None:
    with pytest.raises(JapaneseInputError) as info:
        parse_yen(text)
    assert info.value.code == code


@given(
    st.integers(min_value=0, max_value=10**15),
    st.sampled_from(["", "¥", "￥"]),
    st.sampled_from(["", "円"]),
    st.booleans(),
    st.booleans(),
)
def test_parse_yen_property(
    amount: int, prefix: str, suffix: str, commas: bool, wide: bool
) -> None:
    body = f"{amount:,}" if commas else str(amount)
    if wide:
        body = body.translate(FULLWIDTH)
    assert parse_yen(f"{prefix}{body}{suffix}") == amount


@given(st.text(max_size=20))
def test_parse_yen_only_raises_input_errors(text: str) -> None:
    with contextlib.suppress(JapaneseInputError):
        assert parse_yen(text) >= 0
