"""Katakana conversion and validation (カタカナ: 半角⇄全角, ひらがな→カタカナ, 入力チェック).

The conversions are jaconv's (``h2z``, ``z2h``, ``hira2kata``). machi adds only what
jaconv 0.5 does not do: a 半角 ﾞ/ﾟ that jaconv leaves alone is merged into the character
before it when a composed character exists (ﾜﾞ → ヷ, ｦﾞ → ヺ, カﾞ → ガ) and otherwise
becomes the visible mark ゛/゜, so no 半角カナ is left; ヷ and ヺ get their 半角 forms ﾜﾞ
and ｦﾞ. What a valid カナ field is (:func:`validate_katakana`, :func:`normalize_furigana`)
and its error messages are machi's.

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

import jaconv

from .errors import JapaneseInputError

__all__ = [
    "hiragana_to_katakana",
    "normalize_furigana",
    "to_fullwidth_katakana",
    "to_halfwidth_katakana",
    "validate_katakana",
]

#: 半角 ﾞ and ﾟ: the combining mark to compose with, and the visible mark otherwise.
_MARKS: Final = {"\uff9e": ("\u3099", "\u309b"), "\uff9f": ("\u309a", "\u309c")}
_LEFT_MARK_RE: Final = re.compile("([^\uff9e\uff9f]?)([\uff9e\uff9f])", re.DOTALL)
#: Katakana with a 半角 form that jaconv's z2h leaves 全角.
_HALFWIDTH_EXTRA: Final = str.maketrans({"ヷ": "ﾜﾞ", "ヺ": "ｦﾞ"})
_IDEOGRAPHIC_SPACE: Final = "\u3000"
_WHITESPACE_RE: Final = re.compile(r"\s+")
_KATAKANA_RE: Final = re.compile("[\u30a1-\u30fa\u30fb\u30fc\u3000]+")


def _merge_mark(match: re.Match[str]) -> str:
    base, mark = match.groups()
    combining, spacing = _MARKS[mark]
    composed = unicodedata.normalize("NFC", base + combining)
    return composed if base and len(composed) == 1 else base + spacing


def to_fullwidth_katakana(text: str) -> str:
    """Convert 半角カナ to 全角カナ, e.g. "ｶﾞｯｺｳ ﾊﾟﾝ" → "ガッコウ パン".

    Every 半角 character (U+FF61 to U+FF9F: kana, ｰ, ･, ｡, ｢, ｣, ､) is converted; ﾞ/ﾟ is
    merged into the previous character when a composed character exists (ｶﾞ → ガ,
    ﾊﾟ → パ, ｳﾞ → ヴ, ﾜﾞ → ヷ), else it becomes the visible mark ゛/゜ (ｱﾞ → ア゛).
    All other text is unchanged.
    """
    full = jaconv.h2z(text, kana=True, ascii=False, digit=False)
    return _LEFT_MARK_RE.sub(_merge_mark, full)


def to_halfwidth_katakana(text: str) -> str:
    """Convert 全角カナ to 半角カナ (e.g. for 全銀 transfer files): "ガッコウ" → "ｶﾞｯｺｳ".

    The inverse of :func:`to_fullwidth_katakana` for katakana and the
    punctuation that has a 半角 form (ー・。「」、). Katakana without a 半角 form
    (ヮ, ヰ, ヱ, ヵ, ヶ) and all other characters are unchanged.
    """
    return jaconv.z2h(text, kana=True, ascii=False, digit=False).translate(_HALFWIDTH_EXTRA)


def hiragana_to_katakana(text: str) -> str:
    """Convert ひらがな to カタカナ ("やまだ" → "ヤマダ"); other characters are unchanged."""
    return jaconv.hira2kata(text)


def _spaces(value: str) -> str:
    """Edge spaces removed, each run of spaces inside made one 全角 space."""
    value = _WHITESPACE_RE.sub(_IDEOGRAPHIC_SPACE, value.strip())
    if not value:
        raise JapaneseInputError("kana.empty")
    return value


def validate_katakana(text: str) -> str:
    """Return ``text`` normalised if it is only 全角カタカナ, ー, ・ and spaces.

    半角カナ is converted to 全角 first and decomposed input (カ + ゙) is
    composed; spaces are normalised as described in the module docstring.

    Raises:
        JapaneseInputError: ``kana.empty`` or ``kana.not_katakana`` (hiragana,
            kanji, Latin letters, digits, other symbols).
    """
    value = _spaces(to_fullwidth_katakana(unicodedata.normalize("NFC", text)))
    if _KATAKANA_RE.fullmatch(value) is None:
        raise JapaneseInputError("kana.not_katakana")
    return value


def normalize_furigana(text: str) -> str:
    """Furigana (フリガナ) as people type it, in its stored form: like
    :func:`validate_katakana`, but ひらがな (what a phone keyboard offers first) is
    converted too, so "やまだ たろう" is stored as "ヤマダ　タロウ".

    Raises:
        JapaneseInputError: ``kana.empty`` or ``kana.not_furigana`` (kanji, Latin
            letters, digits, other symbols).
    """
    full = to_fullwidth_katakana(unicodedata.normalize("NFC", text))
    value = _spaces(hiragana_to_katakana(full))
    if _KATAKANA_RE.fullmatch(value) is None:
        raise JapaneseInputError("kana.not_furigana")
    return value
