"""Postal codes (郵便番号)."""

from __future__ import annotations

import re
from typing import Final

from .errors import JapaneseInputError
from .normalize import HYPHEN_CHARS, nfkc

__all__ = ["format_postal_code", "normalize_postal_code"]

_POSTAL_MARK: Final = "〒"
_WHITESPACE_RE: Final = re.compile(r"\s+")
_POSTAL_RE: Final = re.compile(rf"([0-9]{{3}})[{re.escape(HYPHEN_CHARS)}]?([0-9]{{4}})")


def normalize_postal_code(text: str) -> str:
    """Return the 7-digit postal code, e.g. "〒５１９－０１９５" → "5190195".

    Tolerates 全角 digits, a leading 〒, whitespace, and one hyphen-like
    character (-, ‐, −, ー, －, …) between the 3rd and 4th digits.

    Raises:
        JapaneseInputError: ``postal.invalid``.
    """
    value = _WHITESPACE_RE.sub("", nfkc(text)).removeprefix(_POSTAL_MARK)
    match = _POSTAL_RE.fullmatch(value)
    if match is None:
        raise JapaneseInputError("postal.invalid")
    return match[1] + match[2]


def format_postal_code(text: str) -> str:
    """Format a postal code for display: "5190195" → "〒519-0195".

    Raises:
        JapaneseInputError: ``postal.invalid``.
    """
    code = normalize_postal_code(text)
    return f"{_POSTAL_MARK}{code[:3]}-{code[3:]}"
