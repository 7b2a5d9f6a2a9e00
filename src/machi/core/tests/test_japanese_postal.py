"""Tests for machi.core.japanese.postal (郵便番号)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.postal import format_postal_code, normalize_postal_code

FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
seven_digits = st.text(alphabet="0123456789", min_size=7, max_size=7)
hyphens = st.sampled_from(["", "-", "‐", "−", "ー", "－", "ｰ", "–"])


@pytest.mark.parametrize(
    "text",
    [
        "5190195",
        "519-0195",
        "〒519-0195",
        "〒 519-0195",
        "５１９－０１９５",
        "〒５１９ー０１９５",
        " 519‐0195 ",
        "519−0195",
        "519 0195",
    ],
)
def test_normalize_examples(text: str) -> None:
    assert normalize_postal_code(text) == "5190195"


def test_format_example() -> None:
    assert format_postal_code("5190195") == "〒519-0195"
    assert format_postal_code("〒５１９－０１９５") == "〒519-0195"


@pytest.mark.parametrize(
    "text",
    ["", "519019", "51901950", "51-90195", "519--0195", "ABC-DEFG", "〒", "519-0195〒", "①①①"],
)
def test_rejects(text: str) -> None:
    with pytest.raises(JapaneseInputError) as info:
        normalize_postal_code(text)
    assert info.value.code == "postal.invalid"


@given(seven_digits)
def test_normalise_of_formatted_is_identity(code: str) -> None:
    formatted = format_postal_code(code)
    assert formatted == f"〒{code[:3]}-{code[3:]}"
    assert normalize_postal_code(formatted) == code
    assert format_postal_code(formatted) == formatted


@given(seven_digits, hyphens, st.booleans(), st.booleans())
def test_tolerated_variants(code: str, hyphen: str, mark: bool, wide: bool) -> None:
    text = f"{code[:3]}{hyphen}{code[3:]}"
    if wide:
        text = text.translate(FULLWIDTH_DIGITS)
    if mark:
        text = "〒" + text
    assert normalize_postal_code(text) == code
