"""Telephone numbers (電話番号).

Formatting rules (documented heuristics, since the full 市外局番 table is not
bundled):

* 11 digits: 携帯・PHS・IP・M2M (090/080/070/060/050/020) → 3-4-4
  (090-1234-5678); 0800 フリーダイヤル → 4-3-4.
* 10 digits, nationwide services 0120 / 0570 → 4-3-3 (0120-123-456).
* Other 10-digit numbers are fixed lines: the last 4 digits are the 加入者番号
  and the first 6 are 市外局番 + 市内局番. The 市外局番 is the longest match
  among the caller's ``area_codes`` and a small built-in list of codes whose
  whole block is one area (03, 06 → 2-4-4; 011, 045, 052 → 3-3-4). Otherwise
  the most common shape, a 4-digit 市外局番, is assumed → 4-2-4
  (0595-82-1111, 亀山市). Pass the tenant's 市外局番 as ``area_codes`` (e.g.
  ``("0595",)``) to get its numbers right whatever their shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from .errors import JapaneseInputError
from .normalize import HYPHEN_CHARS, nfkc

__all__ = ["DEFAULT_AREA_CODES", "format_phone", "normalize_phone"]

#: 市外局番 (with the leading 0) whose whole number block belongs to one area.
DEFAULT_AREA_CODES: Final = ("03", "06", "011", "045", "052")

_SEPARATORS_RE: Final = re.compile(rf"[\s(){re.escape(HYPHEN_CHARS)}]+")
_DIGITS_RE: Final = re.compile(r"0[1-9][0-9]{8,9}")
_COUNTRY_CODE: Final = "+81"
_ELEVEN_DIGIT_PREFIXES: Final = ("020", "050", "060", "070", "080", "090", "0800")
_TOLL_FREE_PREFIXES: Final = ("0120", "0570")
_ELEVEN_DIGITS: Final = 11
_MIN_AREA_CODE_DIGITS: Final = 2
_AREA_AND_EXCHANGE_DIGITS: Final = 6


def normalize_phone(text: str) -> str:
    """Return the number as digits only, e.g. "(0595) 82-1111" → "0595821111".

    Tolerates 全角 characters, spaces, hyphen-like characters and parentheses.
    An international "+81" prefix becomes 0 ("+81 90-1234-5678" and
    "+81 (0)90 …" → "09012345678"). The result must be 10 or 11 digits
    starting with 0, and 11 digits only for 0X0 numbers and 0800.

    Raises:
        JapaneseInputError: ``phone.invalid``.
    """
    value = _SEPARATORS_RE.sub("", nfkc(text))
    if value.startswith(_COUNTRY_CODE):
        value = "0" + value.removeprefix(_COUNTRY_CODE).removeprefix("0")
    if _DIGITS_RE.fullmatch(value) is None:
        raise JapaneseInputError("phone.invalid")
    is_eleven_digit_kind = value.startswith(_ELEVEN_DIGIT_PREFIXES)
    if is_eleven_digit_kind != (len(value) == _ELEVEN_DIGITS):
        raise JapaneseInputError("phone.invalid")
    return value


def _split(digits: str, *sizes: int) -> str:
    parts: list[str] = []
    start = 0
    for size in sizes:
        parts.append(digits[start : start + size])
        start += size
    parts.append(digits[start:])
    return "-".join(parts)


def format_phone(text: str, area_codes: Iterable[str] = ()) -> str:
    """Format a phone number with hyphens (see the module docstring for the rules).

    ``area_codes``: extra 市外局番 (with leading 0, 2 to 5 digits) to recognise,
    typically the tenant's own.

    Raises:
        JapaneseInputError: ``phone.invalid``.
    """
    digits = normalize_phone(text)
    if len(digits) == _ELEVEN_DIGITS:
        return _split(digits, 4, 3) if digits.startswith("0800") else _split(digits, 3, 4)
    if digits.startswith(_TOLL_FREE_PREFIXES):
        return _split(digits, 4, 3)
    candidates = [
        code
        for code in (*area_codes, *DEFAULT_AREA_CODES)
        if _MIN_AREA_CODE_DIGITS <= len(code) < _AREA_AND_EXCHANGE_DIGITS
        and digits.startswith(code)
    ]
    area = max(candidates, key=len, default=digits[:4])
    return _split(digits, len(area), _AREA_AND_EXCHANGE_DIGITS - len(area))
