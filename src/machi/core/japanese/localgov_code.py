"""全国地方公共団体コード (local government codes, 6 digits with a check digit).

The 6th digit is a check digit over the first five (d1…d5):
``(11 - (6·d1 + 5·d2 + 4·d3 + 3·d4 + 2·d5) mod 11) mod 10``,
i.e. 11 minus the remainder, keeping only the last digit
(remainder 0 → 1, remainder 1 → 0). Example: 24210 → 1, so 亀山市 is 242101.
"""

from __future__ import annotations

import re
from typing import Final

from .errors import JapaneseInputError
from .normalize import nfkc

__all__ = ["check_digit", "validate_localgov_code"]

_WEIGHTS: Final = (6, 5, 4, 3, 2)
_FIVE_DIGITS_RE: Final = re.compile(r"[0-9]{5}")
_SIX_DIGITS_RE: Final = re.compile(r"[0-9]{6}")


def check_digit(first5: str) -> int:
    """Return the check digit (検査数字) for the first five digits of a code.

    Raises:
        JapaneseInputError: ``localgov.invalid_format`` unless ``first5`` is
            exactly five ASCII digits.
    """
    if _FIVE_DIGITS_RE.fullmatch(first5) is None:
        raise JapaneseInputError("localgov.invalid_format")
    total = sum(int(digit) * weight for digit, weight in zip(first5, _WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def validate_localgov_code(text: str) -> str:
    """Return the 6-digit 全国地方公共団体コード if it is well formed ("２４２１０１" → "242101").

    Raises:
        JapaneseInputError: ``localgov.invalid_format`` (not 6 digits) or
            ``localgov.check_digit`` (wrong 6th digit).
    """
    value = nfkc(text).strip()
    if _SIX_DIGITS_RE.fullmatch(value) is None:
        raise JapaneseInputError("localgov.invalid_format")
    if check_digit(value[:5]) != int(value[5]):
        raise JapaneseInputError("localgov.check_digit")
    return value
