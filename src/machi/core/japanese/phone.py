"""Telephone numbers (電話番号).

Two layers:

* machi's input rules: NFKC (全角 digits), then spaces, parentheses and the hyphen
  variants of :data:`~.normalize.HYPHEN_CHARS` are dropped; what is left must be a
  domestic number (a 0 then 9 or 10 digits) or the same after "+81" — no 内線,
  letters, ``tel:`` or other countries. "+81 (0)90 …" is read as 090 ….
* phonenumbers (libphonenumber's metadata for JP, which follows 総務省's numbering
  plan) decides whether the number exists and how it is grouped. A number in a
  block that is not allocated (021…, 0500…, 010 which is the international
  prefix) is refused, and a fixed line is grouped by its real 市外局番:
  0595-82-1111 (亀山市), 059-212-3456 (津市), 03-1234-5678, 01267-2-1234.
"""

from __future__ import annotations

import re
from typing import Final

import phonenumbers

from .errors import JapaneseInputError
from .normalize import HYPHEN_CHARS, nfkc

__all__ = ["format_phone", "normalize_phone"]

_SEPARATORS_RE: Final = re.compile(rf"[\s(){re.escape(HYPHEN_CHARS)}]+")
_DIGITS_RE: Final = re.compile(r"0[1-9][0-9]{8,9}")
_COUNTRY_CODE: Final = "+81"
_JAPAN: Final = "JP"
_JAPAN_CALLING_CODE: Final = 81


def _parse(text: str) -> tuple[str, phonenumbers.PhoneNumber]:
    """The digits as typed (with the leading 0) and the number phonenumbers read."""
    value = _SEPARATORS_RE.sub("", nfkc(text))
    if value.startswith(_COUNTRY_CODE):
        value = "0" + value.removeprefix(_COUNTRY_CODE).removeprefix("0")
    if _DIGITS_RE.fullmatch(value) is None:
        raise JapaneseInputError("phone.invalid")
    try:
        number = phonenumbers.parse(value, _JAPAN)
    except phonenumbers.NumberParseException:
        raise JapaneseInputError("phone.invalid") from None
    # 010… is the international prefix: phonenumbers reads it as another country.
    if number.country_code != _JAPAN_CALLING_CODE or not phonenumbers.is_valid_number(number):
        raise JapaneseInputError("phone.invalid")
    return value, number


def normalize_phone(text: str) -> str:
    """Return the number as digits only, e.g. "(0595) 82-1111" → "0595821111".

    Tolerates 全角 characters, spaces, hyphen-like characters and parentheses.
    An international "+81" prefix becomes 0 ("+81 90-1234-5678" and
    "+81 (0)90 …" → "09012345678"). The number must exist in Japan's numbering
    plan (10 digits, or 11 for 0X0 numbers and 0800).

    Raises:
        JapaneseInputError: ``phone.invalid``.
    """
    return _parse(text)[0]


def format_phone(text: str) -> str:
    """Format a phone number with hyphens, e.g. "0595821111" → "0595-82-1111".

    Raises:
        JapaneseInputError: ``phone.invalid``.
    """
    number = _parse(text)[1]
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
