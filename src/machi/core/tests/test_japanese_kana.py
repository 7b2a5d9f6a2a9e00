"""Tests for machi.core.japanese.kana (カタカナ)."""

from __future__ import annotations

import jaconv
import pytest
from hypothesis import given
from hypothesis import strategies as st

from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.kana import (
    hiragana_to_katakana,
    normalize_furigana,
    to_fullwidth_katakana,
    to_halfwidth_katakana,
    validate_katakana,
)

HALFWIDTH_BLOCK = frozenset(chr(code) for code in range(0xFF61, 0xFFA0))
ALL_KATAKANA = [chr(code) for code in range(0x30A1, 0x30FB)] + ["ー", "・"]
#: Full-width characters that have a half-width form (incl. ガ = ｶﾞ, パ = ﾊﾟ).
CONVERTIBLE = [
    ch for ch in [*ALL_KATAKANA, "。", "「", "」", "、"] if to_halfwidth_katakana(ch) != ch
]

convertible_text = st.text(alphabet=st.sampled_from(CONVERTIBLE))
katakana_words = st.lists(
    st.text(alphabet=st.sampled_from(ALL_KATAKANA), min_size=1, max_size=8), min_size=1, max_size=4
)
spaces = st.sampled_from([" ", "\u3000", "  ", "\t", " \u3000 "])


@pytest.mark.parametrize(
    ("half", "full"),
    [
        ("ｶﾞ", "ガ"),
        ("ﾊﾟ", "パ"),
        ("ｳﾞ", "ヴ"),
        ("ﾜﾞ", "ヷ"),
        ("ｶﾞｯｺｳ", "ガッコウ"),
        ("ﾎﾟｰﾙ･ｽﾐｽ", "ポール・スミス"),
        ("｢ｱｲｳ｣､｡", "「アイウ」、。"),
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ タロウ"),
        ("ABC ﾃｽﾄ 123", "ABC テスト 123"),
        ("カﾞ", "ガ"),
        ("ｱﾞ", "ア゛"),
        ("ﾟ", "゜"),
    ],
)
def test_to_fullwidth_examples(half: str, full: str) -> None:
    assert to_fullwidth_katakana(half) == full


def test_every_halfwidth_character_is_converted() -> None:
    converted = to_fullwidth_katakana("".join(sorted(HALFWIDTH_BLOCK)))
    assert not HALFWIDTH_BLOCK & set(converted)


@given(st.text())
def test_to_fullwidth_removes_halfwidth_and_is_idempotent(text: str) -> None:
    value = to_fullwidth_katakana(text)
    assert not HALFWIDTH_BLOCK & set(value)
    assert to_fullwidth_katakana(value) == value


@given(st.text().filter(lambda text: not HALFWIDTH_BLOCK & set(text)))
def test_text_without_halfwidth_kana_is_unchanged(text: str) -> None:
    assert to_fullwidth_katakana(text) == text


@given(convertible_text)
def test_fullwidth_halfwidth_round_trip(text: str) -> None:
    half = to_halfwidth_katakana(text)
    assert set(half) <= HALFWIDTH_BLOCK
    assert to_fullwidth_katakana(half) == text
    assert to_halfwidth_katakana(to_fullwidth_katakana(half)) == half


@given(st.text().filter(lambda text: not HALFWIDTH_BLOCK & set(text)))
def test_halfwidth_then_fullwidth_restores_any_text(text: str) -> None:
    assert to_fullwidth_katakana(to_halfwidth_katakana(text)) == text


def test_to_halfwidth_examples() -> None:
    assert to_halfwidth_katakana("ヤマダ タロウ") == "ﾔﾏﾀﾞ ﾀﾛｳ"
    assert to_halfwidth_katakana("ヴァイオリン・パン") == "ｳﾞｧｲｵﾘﾝ･ﾊﾟﾝ"
    assert to_halfwidth_katakana("ヶ丘 ABC") == "ヶ丘 ABC"


def test_hiragana_to_katakana() -> None:
    assert hiragana_to_katakana("やまだ たろう") == "ヤマダ タロウ"
    assert hiragana_to_katakana("ゔぁ ゝゞ 山田") == "ヴァ ヽヾ 山田"
    every_hiragana = "".join(chr(code) for code in range(0x3041, 0x3097))
    assert validate_katakana(hiragana_to_katakana(every_hiragana))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ヤマダ タロウ", "ヤマダ\u3000タロウ"),
        ("ヤマダ\u3000タロウ", "ヤマダ\u3000タロウ"),
        ("  ﾔﾏﾀﾞ   ﾀﾛｳ  ", "ヤマダ\u3000タロウ"),
        ("ヴァイオリン", "ヴァイオリン"),
        ("ジョン・スミス", "ジョン・スミス"),
        ("カ\u3099ク", "ガク"),
        ("ヶ", "ヶ"),
    ],
)
def test_validate_katakana_accepts(text: str, expected: str) -> None:
    assert validate_katakana(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "kana.empty"),
        ("\u3000 ", "kana.empty"),
        ("やまだ", "kana.not_katakana"),
        ("山田", "kana.not_katakana"),
        ("Yamada", "kana.not_katakana"),
        ("ＹＡＭＡＤＡ", "kana.not_katakana"),
        ("ヤマダ1", "kana.not_katakana"),
        ("ヤマダ。", "kana.not_katakana"),
        ("ｱﾞ", "kana.not_katakana"),
        ("ヤマダ\u200bタロウ", "kana.not_katakana"),
    ],
)
def test_validate_katakana_rejects(text: str, code: str) -> None:
    with pytest.raises(JapaneseInputError) as info:
        validate_katakana(text)
    assert info.value.code == code


@given(katakana_words, spaces, st.booleans())
def test_validate_katakana_property(words: list[str], space: str, half: bool) -> None:
    text = space.join(words)
    if half:
        text = to_halfwidth_katakana(text)
    value = validate_katakana(f"{space}{text}{space}")
    assert value == "\u3000".join(words)
    assert validate_katakana(value) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("やまだ たろう", "ヤマダ\u3000タロウ"),
        ("  ｶﾒﾔﾏ   はなこ ", "カメヤマ\u3000ハナコ"),
        ("ヤマダ\u3000タロウ", "ヤマダ\u3000タロウ"),
        ("か\u3099く", "ガク"),
        ("ゔぁいおりん", "ヴァイオリン"),
    ],
)
def test_furigana_accepts_hiragana_and_stores_katakana(text: str, expected: str) -> None:
    assert normalize_furigana(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "kana.empty"),
        (" \u3000", "kana.empty"),
        ("山田", "kana.not_furigana"),
        ("Yamada", "kana.not_furigana"),
        ("やまだ1", "kana.not_furigana"),
    ],
)
def test_furigana_rejects_other_scripts(text: str, code: str) -> None:
    with pytest.raises(JapaneseInputError) as info:
        normalize_furigana(text)
    assert info.value.code == code


@given(katakana_words, spaces, st.booleans())
def test_furigana_of_katakana_is_validate_katakana(
    words: list[str], space: str, hiragana: bool
) -> None:
    text = space.join(words)
    typed = jaconv.kata2hira(text) if hiragana else text
    assert normalize_furigana(typed) == validate_katakana(text)
