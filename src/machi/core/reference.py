"""受付番号: short reference numbers people can read aloud and type back.

Nine characters from 2–9 and A–Z without I and O (so 0/O and 1/I are never confused),
shown in three groups (``K7Q-4MX-9PC``). The last character is a Luhn mod 32 check
character, so one mistyped character is always caught before any lookup, and so is a swap
of two neighbours: Luhn mod N misses only the swap of its first and last characters (2 and
Z), and references are drawn so that 2 and Z never stand side by side.
"""

from __future__ import annotations

import re
import secrets
from typing import Final

from machi.core.japanese.normalize import HYPHEN_CHARS, nfkc

ALPHABET: Final = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_BASE: Final = len(ALPHABET)
_BODY_LENGTH: Final = 8
# The one neighbour swap Luhn mod N cannot see: the alphabet's first and last characters.
_BLIND_PAIR: Final = ALPHABET[0] + ALPHABET[-1]
_SEPARATORS_RE: Final = re.compile(rf"[\s{re.escape(HYPHEN_CHARS)}]+")


def check_character(body: str) -> str:
    """The Luhn mod N check character of ``body`` (characters from :data:`ALPHABET`)."""
    factor = 2
    total = 0
    for char in reversed(body):
        addend = factor * ALPHABET.index(char)
        factor = 1 if factor == 2 else 2
        total += addend // _BASE + addend % _BASE
    return ALPHABET[(_BASE - total % _BASE) % _BASE]


def new_reference() -> str:
    """A random reference in its stored form (9 characters, no hyphens)."""
    while True:
        body = "".join(secrets.choice(ALPHABET) for _ in range(_BODY_LENGTH))
        reference = body + check_character(body)
        if _BLIND_PAIR not in reference and _BLIND_PAIR[::-1] not in reference:
            return reference


def format_reference(reference: str) -> str:
    return "-".join(reference[i : i + 3] for i in range(0, len(reference), 3))


def parse_reference(text: str) -> str | None:
    """The stored form of a typed reference (全角, lower case and hyphens are fine), or None
    when it cannot be one of ours."""
    value = _SEPARATORS_RE.sub("", nfkc(text)).upper()
    if len(value) != _BODY_LENGTH + 1 or any(char not in ALPHABET for char in value):
        return None
    if check_character(value[:-1]) != value[-1]:
        return None
    return value
