"""Text and number normalisation (正規化: 全角・半角, 桁区切り, 金額)."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from .errors import JapaneseInputError

__all__ = [
    "HYPHEN_CHARS",
    "nfkc",
    "normalize_identifier",
    "normalize_number",
    "parse_yen",
]

#: Characters people type as a hyphen in numbers (ハイフン・長音・ダッシュ・マイナス).
HYPHEN_CHARS: Final = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff0d\uff70"

_WHITESPACE_RE: Final = re.compile(r"\s+")
_NUMBER_RE: Final = re.compile(
    r"(?P<sign>[-+\u2212]?)(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?P<frac>\.[0-9]+)?",
    re.ASCII,
)
_PLAIN_DIGITS: Final = frozenset("0123456789" + "".join(chr(0xFF10 + i) for i in range(10)))
_YEN_PREFIXES: Final = ("¥", "\\")
_YEN_SUFFIX: Final = "円"


def nfkc(text: str) -> str:
    """Return ``text`` in Unicode NFKC (全角英数字→半角, 半角カナ→全角 etc.)."""
    return unicodedata.normalize("NFKC", text)


def normalize_identifier(text: str) -> str:
    """Normalise an identifier-like value (番号・記号): NFKC, then remove all whitespace.

    NFKC is applied again after removing spaces, because NFKC turns some symbols
    into a space plus a combining mark (´ → " ◌́"); the result is stable.
    """
    return nfkc(_WHITESPACE_RE.sub("", nfkc(text)))


def _has_decorated_digits(text: str) -> bool:
    """True if ``text`` has digits like ①, ² or ₃ that NFKC would turn into plain digits."""
    return any(ch not in _PLAIN_DIGITS and any(c.isdigit() for c in nfkc(ch)) for ch in text)


def normalize_number(text: str) -> str:
    """Normalise a typed number (数値) to ASCII, e.g. "１，２００" → "1200".

    Accepts 全角/半角 digits, an optional sign (``-``, ``−``, ``+``; "+" is dropped),
    thousands separators "," / "，" (only in correct groups of three, so "12,00"
    is refused) and a decimal part. Circled or superscript digits (①, ²) are
    refused rather than silently read as numbers.

    Raises:
        JapaneseInputError: ``number.invalid``.
    """
    if _has_decorated_digits(text):
        raise JapaneseInputError("number.invalid")
    match = _NUMBER_RE.fullmatch(nfkc(text).strip())
    if match is None:
        raise JapaneseInputError("number.invalid")
    sign = "-" if match["sign"] in ("-", "\u2212") else ""
    return sign + match["int"].replace(",", "") + (match["frac"] or "")


def parse_yen(text: str) -> int:
    """Parse an amount of money in yen (金額), e.g. "1,200円", "￥1200", "１２００" → 1200.

    An optional leading "¥"/"￥" (or "\\", which is how ¥ appears on Japanese
    keyboards and in Shift_JIS) and trailing "円" are allowed; whitespace around
    them is ignored.

    Raises:
        JapaneseInputError: ``yen.invalid``, ``yen.negative`` or ``yen.decimal``.
    """
    if _has_decorated_digits(text):
        raise JapaneseInputError("yen.invalid")
    value = _WHITESPACE_RE.sub("", nfkc(text))
    if value.startswith(_YEN_PREFIXES):
        value = value[1:]
    value = value.removesuffix(_YEN_SUFFIX)
    try:
        number = normalize_number(value)
    except JapaneseInputError:
        raise JapaneseInputError("yen.invalid") from None
    if number.startswith("-"):
        raise JapaneseInputError("yen.negative")
    if "." in number:
        raise JapaneseInputError("yen.decimal")
    return int(number)
