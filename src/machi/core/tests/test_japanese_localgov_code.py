"""Tests for machi.core.japanese.localgov_code (全国地方公共団体コード)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.localgov_code import check_digit, validate_localgov_code

REFERENCE_DIR = (
    Path(__file__).resolve().parents[4].parent / "shared" / "reference" / "localgov-codes"
)
MUNICIPALITIES_CSV = REFERENCE_DIR / "localgovjp-utf8.csv"
PREFECTURES_CSV = REFERENCE_DIR / "prefjp-utf8.csv"


def read_codes(path: Path) -> list[str]:
    if not path.exists():
        pytest.skip(f"reference data not available: {path}")
    # utf-8-sig: the municipality file starts with a BOM.
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row["lgcode"] for row in csv.DictReader(handle)]


def test_kameyama() -> None:
    assert check_digit("24210") == 1
    assert validate_localgov_code("242101") == "242101"
    assert validate_localgov_code(" ２４２１０１ ") == "242101"


def test_remainder_edge_cases() -> None:
    assert check_digit("00000") == 1  # remainder 0 -> 11 -> 1
    assert check_digit("01000") == 6  # 5 -> 11 - 5


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("242100", "localgov.check_digit"),
        ("242109", "localgov.check_digit"),
        ("24210", "localgov.invalid_format"),
        ("2421011", "localgov.invalid_format"),
        ("24210A", "localgov.invalid_format"),
        ("242-101", "localgov.invalid_format"),
        ("", "localgov.invalid_format"),
    ],
)
def test_rejects(text: str, code: str) -> None:
    with pytest.raises(JapaneseInputError) as info:
        validate_localgov_code(text)
    assert info.value.code == code


@pytest.mark.parametrize("first5", ["2421", "242101", "２４２１０", "abcde"])
def test_check_digit_needs_five_ascii_digits(first5: str) -> None:
    with pytest.raises(JapaneseInputError) as info:
        check_digit(first5)
    assert info.value.code == "localgov.invalid_format"


def test_every_municipality_code_in_reference_csv_validates() -> None:
    codes = read_codes(MUNICIPALITIES_CSV)
    assert len(codes) > 1700
    assert "242101" in codes
    for code in codes:
        assert validate_localgov_code(code) == code


def test_every_prefecture_code_in_reference_csv_validates() -> None:
    # The prefecture file drops the leading zero (北海道 is "10006" for 010006).
    codes = read_codes(PREFECTURES_CSV)
    assert len(codes) == 47
    for code in codes:
        assert validate_localgov_code(code.zfill(6)) == code.zfill(6)


@given(st.text(alphabet="0123456789", min_size=5, max_size=5))
def test_exactly_one_check_digit_is_valid(first5: str) -> None:
    valid = [d for d in range(10) if _is_valid(f"{first5}{d}")]
    assert valid == [check_digit(first5)]


def _is_valid(code: str) -> bool:
    try:
        validate_localgov_code(code)
    except JapaneseInputError:
        return False
    return True
