"""Japanese era dates (和暦) and date parsing (日付の読み取り).

Supported eras: 明治, 大正, 昭和, 平成, 令和.

Start dates follow the usual Gregorian conversion of each 改元 (the new era
counts from the day of the change): 大正 1912-07-30, 昭和 1926-12-25,
平成 1989-01-08, 令和 2019-05-01. 明治 is recorded as starting 1868-10-23
(明治改元, 慶応4年9月8日) and 1868 is 明治元年.

Supported range: 1873-01-01 (明治6年1月1日) onward. Before that day Japan
used the lunisolar 天保暦, so a 和暦 month/day in 明治1-5年 is not the same as the
Gregorian month/day; rather than give wrong answers, those dates are refused
with ``wareki.unsupported_date``. Gregorian input to :func:`parse_date` is not
limited.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from .errors import JapaneseInputError
from .normalize import nfkc

__all__ = [
    "ERAS",
    "SUPPORTED_FROM",
    "Era",
    "WarekiDate",
    "from_wareki",
    "parse_date",
    "to_wareki",
]


@dataclass(frozen=True, slots=True)
class Era:
    """An era (元号): kanji name, Latin initial and first day (Gregorian)."""

    name: str
    letter: str
    start: dt.date


#: Eras in chronological order (元号一覧).
ERAS: Final[tuple[Era, ...]] = (
    Era("明治", "M", dt.date(1868, 10, 23)),
    Era("大正", "T", dt.date(1912, 7, 30)),
    Era("昭和", "S", dt.date(1926, 12, 25)),
    Era("平成", "H", dt.date(1989, 1, 8)),
    Era("令和", "R", dt.date(2019, 5, 1)),
)

#: First date that can be converted to or from 和暦 (明治6年1月1日, 改暦).
SUPPORTED_FROM: Final = dt.date(1873, 1, 1)

_FIRST_YEAR: Final = "元"


@dataclass(frozen=True, slots=True)
class WarekiDate:
    """A date in the Japanese calendar (和暦の日付), e.g. 令和元年5月1日."""

    era: str
    year: int
    month: int
    day: int

    def __str__(self) -> str:
        year = _FIRST_YEAR if self.year == 1 else str(self.year)
        return f"{self.era}{year}年{self.month}月{self.day}日"

    def to_date(self) -> dt.date:
        """Return the Gregorian date (西暦)."""
        return from_wareki(self.era, self.year, self.month, self.day)


def _era_index(era: str) -> int:
    key = nfkc(era).strip()
    for index, candidate in enumerate(ERAS):
        if key == candidate.name or key.upper() == candidate.letter:
            return index
    raise JapaneseInputError("wareki.unknown_era")


def to_wareki(d: dt.date) -> WarekiDate:
    """Convert a Gregorian date (西暦) to 和暦.

    A ``datetime`` is converted using its date part.

    Raises:
        JapaneseInputError: ``wareki.unsupported_date`` before 1873-01-01.
    """
    if isinstance(d, dt.datetime):
        d = d.date()
    if d < SUPPORTED_FROM:
        raise JapaneseInputError("wareki.unsupported_date")
    era = next(e for e in reversed(ERAS) if e.start <= d)
    return WarekiDate(era.name, d.year - era.start.year + 1, d.month, d.day)


def from_wareki(era: str, year: int, month: int, day: int) -> dt.date:
    """Convert 和暦 to a Gregorian date (西暦).

    ``era`` is a kanji name (令和), an initial (R, case-insensitive) or a
    compatibility character (㋿). A date before the era began or on/after the
    next era began is refused (平成31年5月1日 is wrong; it is 令和元年5月1日).

    Raises:
        JapaneseInputError: ``wareki.unknown_era``, ``wareki.out_of_era``,
            ``date.nonexistent`` or ``wareki.unsupported_date``.
    """
    index = _era_index(era)
    current = ERAS[index]
    gregorian_year = current.start.year + year - 1
    if year < 1 or gregorian_year > dt.MAXYEAR:
        raise JapaneseInputError("wareki.out_of_era")
    try:
        result = dt.date(gregorian_year, month, day)
    except ValueError:
        raise JapaneseInputError("date.nonexistent") from None
    next_start = ERAS[index + 1].start if index + 1 < len(ERAS) else None
    if result < current.start or (next_start is not None and result >= next_start):
        raise JapaneseInputError("wareki.out_of_era")
    if result < SUPPORTED_FROM:
        raise JapaneseInputError("wareki.unsupported_date")
    return result


_ERA_NAMES: Final = "|".join(e.name for e in ERAS)
_ERA_LETTERS: Final = "".join(e.letter for e in ERAS)
_KANJI_WAREKI_RE: Final = re.compile(
    rf"(?P<era>{_ERA_NAMES})(?P<year>元|[0-9]{{1,4}})年"
    r"(?P<month>[0-9]{1,2})月(?P<day>[0-9]{1,2})日"
)
_LETTER_WAREKI_RE: Final = re.compile(
    rf"(?P<era>[{_ERA_LETTERS}])(?P<year>元|[0-9]{{1,4}})(?P<sep>[./-])"
    r"(?P<month>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})",
    re.IGNORECASE,
)
_GREGORIAN_RES: Final = (
    re.compile(r"(?P<year>[0-9]{4})(?P<sep>[-/.])(?P<month>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})"),
    re.compile(r"(?P<year>[0-9]{4})年(?P<month>[0-9]{1,2})月(?P<day>[0-9]{1,2})日"),
)
_WHITESPACE_RE: Final = re.compile(r"\s+")


def parse_date(text: str) -> dt.date:
    """Read a date typed in a common Japanese style (日付の入力).

    Accepted (after NFKC, so 全角 digits and ㋿/㍻ work; whitespace is ignored):

    * 西暦: ``2024-04-01``, ``2024/4/1``, ``2024.4.1``, ``2024年4月1日``
    * 和暦: ``令和6年4月1日``, ``令和元年5月1日``
    * 和暦 with an initial: ``R6.4.1``, ``H31.4.30``, ``S64.1.7`` (also ``/`` or ``-``)

    Raises:
        JapaneseInputError: ``date.invalid_format``, ``date.nonexistent`` or one
            of the ``wareki.*`` codes from :func:`from_wareki`.
    """
    value = _WHITESPACE_RE.sub("", nfkc(text))
    for pattern in (_KANJI_WAREKI_RE, _LETTER_WAREKI_RE):
        match = pattern.fullmatch(value)
        if match is not None:
            year_text = match["year"]
            year = 1 if year_text == _FIRST_YEAR else int(year_text)
            return from_wareki(match["era"], year, int(match["month"]), int(match["day"]))
    for pattern in _GREGORIAN_RES:
        match = pattern.fullmatch(value)
        if match is not None:
            try:
                return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
            except ValueError:
                raise JapaneseInputError("date.nonexistent") from None
    raise JapaneseInputError("date.invalid_format")
