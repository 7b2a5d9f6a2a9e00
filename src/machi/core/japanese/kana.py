"""Katakana conversion and validation (カタカナ: 半角⇄全角, ひらがな→カタカナ, 入力チェック).

Space handling (documented choice): :func:`to_fullwidth_katakana` changes only
半角カナ and leaves every other character, spaces included, as it was.
:func:`validate_katakana` produces the stored form: leading/trailing spaces are
removed and each run of spaces (半角, 全角, tabs) inside becomes one 全角 space
(U+3000), so "ﾔﾏﾀﾞ  ﾀﾛｳ" is stored as "ヤマダ　タロウ".
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from .errors import JapaneseInputError
from .normalize import nfkc

__all__ = [
    "hiragana_to_katakana",
    "to_fullwidth_katakana",
    "to_halfwidth_katakana",
    "validate_katakana",
]

_HALFWIDTH_FIRST: Final = 0xFF61  # ｡
_HALFWIDTH_LAST: Final = 0xFF9F  # ﾟ
_COMBINING_TO_SPACING: Final = {"\u3099": "\u309b", "\u309a": "\u309c"}  # 濁点, 半濁点
_IDEOGRAPHIC_SPACE: Final = "\u3000"
_BASE_AND_MARK: Final = 2  # e.g. NFD of ガ is カ + U+3099
_WHITESPACE_RE: Final = re.compile(r"\s+")
_KATAKANA_RE: Final = re.compile("[\u30a1-\u30fa\u30fb\u30fc\u3000]+")


def _is_halfwidth_kana(ch: str) -> bool:
    return _HALFWIDTH_FIRST <= ord(ch) <= _HALFWIDTH_LAST


def to_fullwidth_katakana(text: str) -> str:
    """Convert 半角カナ to 全角カナ, e.g. "ｶﾞｯｺｳ ﾊﾟﾝ" → "ガッコウ パン".

    Each 半角 character (U+FF61 to U+FF9F: kana, ｰ, ･, ｡, ｢, ｣, ､) is converted with
    NFKC; a following ﾞ/ﾟ is merged into the previous character when a
    composed character exists (ｶﾞ → ガ, ﾊﾟ → パ, ｳﾞ → ヴ). A ﾞ/ﾟ that cannot be
    merged (ｱﾞ) becomes the visible mark ゛/゜. All other text is unchanged.
    """
    out: list[str] = []
    for ch in text:
        if not _is_halfwidth_kana(ch):
            out.append(ch)
            continue
        full = nfkc(ch)
        spacing = _COMBINING_TO_SPACING.get(full)
        if spacing is None:
            out.append(full)
            continue
        composed = unicodedata.normalize("NFC", out[-1] + full) if out else ""
        if len(composed) == 1:
            out[-1] = composed
        else:
            out.append(spacing)
    return "".join(out)


def _build_halfwidth_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for code in range(_HALFWIDTH_FIRST, _HALFWIDTH_LAST + 1):
        half = chr(code)
        full = nfkc(half)
        if len(full) == 1 and full not in _COMBINING_TO_SPACING:
            table[full] = half
    dakuten = {"\u3099": "\uff9e", "\u309a": "\uff9f"}
    for code in range(0x30A1, 0x30FB):
        full = chr(code)
        decomposed = unicodedata.normalize("NFD", full)
        if (
            len(decomposed) == _BASE_AND_MARK
            and decomposed[0] in table
            and decomposed[1] in dakuten
        ):
            table[full] = table[decomposed[0]] + dakuten[decomposed[1]]
    return table


_TO_HALFWIDTH: Final = str.maketrans(_build_halfwidth_table())


def to_halfwidth_katakana(text: str) -> str:
    """Convert 全角カナ to 半角カナ (e.g. for 全銀 transfer files): "ガッコウ" → "ｶﾞｯｺｳ".

    The inverse of :func:`to_fullwidth_katakana` for katakana and the
    punctuation that has a 半角 form (ー・。「」、). Katakana without a 半角 form
    (ヮ, ヰ, ヱ, ヵ, ヶ) and all other characters are unchanged.
    """
    return text.translate(_TO_HALFWIDTH)


def hiragana_to_katakana(text: str) -> str:
    """Convert ひらがな to カタカナ ("やまだ" → "ヤマダ"); other characters are unchanged."""
    return "".join(
        chr(ord(ch) + 0x60) if "\u3041" <= ch <= "\u3096" or ch in "\u309d\u309e" else ch
        for ch in text
    )


def validate_katakana(text: str) -> str:
    """Return ``text`` normalised if it is only 全角カタカナ, ー, ・ and spaces.

    半角カナ is converted to 全角 first and decomposed input (カ + ゙) is
    composed; spaces are normalised as described in the module docstring.

    Raises:
        JapaneseInputError: ``kana.empty`` or ``kana.not_katakana`` (hiragana,
            kanji, Latin letters, digits, other symbols).
    """
    value = to_fullwidth_katakana(unicodedata.normalize("NFC", text))
    value = _WHITESPACE_RE.sub(_IDEOGRAPHIC_SPACE, value.strip())
    if not value:
        raise JapaneseInputError("kana.empty")
    if _KATAKANA_RE.fullmatch(value) is None:
        raise JapaneseInputError("kana.not_katakana")
    return value
