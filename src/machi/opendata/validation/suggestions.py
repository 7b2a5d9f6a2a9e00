"""The corrected value to suggest for one problem (修正候補).

Runs in Python once per *stored* problem, never per row of the file, and reuses the
platform's Japanese input rules (``machi.core.japanese``) so that a value the validator
suggests is one the rest of machi accepts.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Final

from machi.core.csv_safety import neutralise_cell
from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.kana import normalize_furigana
from machi.core.japanese.normalize import nfkc, normalize_number
from machi.core.japanese.phone import format_phone
from machi.core.japanese.postal import normalize_postal_code
from machi.core.japanese.wareki import parse_date

from ..table_schemas import SchemaField
from .patterns import PLATFORM_CHARS

__all__ = ["platform_chars_in", "suggest"]

_EXCEL_EPOCH: Final = dt.date(1899, 12, 30)
_EXCEL_FIRST: Final = 20000  # 1954-10-03
_EXCEL_LAST: Final = 80000  # 2119-01-10
_MINUTES_PER_DAY: Final = 24 * 60
_HOURS: Final = 24
_MINUTES: Final = 60
_CLOCK_RE: Final = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?")
_KANJI_TIME_RE: Final = re.compile(r"([0-9]{1,2})時(?:([0-9]{1,2})分|半)?")
_FOUR_DIGIT_TIME_RE: Final = re.compile(r"([0-9]{2})([0-9]{2})")
_DAY_FRACTION_RE: Final = re.compile(r"0?\.[0-9]+")
_NUMBER_WITH_UNIT_RE: Final = re.compile(r"([+\-]?[0-9][0-9,]*(?:\.[0-9]+)?)\s*[^\s0-9.,+\-]{1,3}")

_YES: Final = frozenset(
    {"有", "有り", "あり", "アリ", "ある", "○", "〇", "◯", "●", "yes", "true", "1", "対応"}
)
_NO: Final = frozenset({"無", "無し", "なし", "ナシ", "ない", "×", "✕", "no", "false", "0", "-"})
_WAVE_DASHES: Final = "\u301c\uff5e"


def _date(value: str) -> str | None:
    text = nfkc(value).strip()
    if re.fullmatch(r"[0-9]{5}", text) and _EXCEL_FIRST <= int(text) <= _EXCEL_LAST:
        return (_EXCEL_EPOCH + dt.timedelta(days=int(text))).isoformat()
    try:
        return parse_date(value).isoformat()
    except JapaneseInputError:
        return None


def _clock(hours: int, minutes: int) -> str | None:
    if 0 <= hours < _HOURS and 0 <= minutes < _MINUTES:
        return f"{hours:02d}:{minutes:02d}"
    return None


def _time(value: str) -> str | None:
    text = nfkc(value).strip()
    if match := _CLOCK_RE.fullmatch(text):
        if match[3] not in (None, "00"):
            return None
        return _clock(int(match[1]), int(match[2]))
    if match := _KANJI_TIME_RE.fullmatch(text):
        minutes = 30 if text.endswith("半") else int(match[2] or 0)
        return _clock(int(match[1]), minutes)
    if match := _FOUR_DIGIT_TIME_RE.fullmatch(text):
        return _clock(int(match[1]), int(match[2]))
    if _DAY_FRACTION_RE.fullmatch(text):  # Excel stores a time as a fraction of a day
        total = round(float(text) * _MINUTES_PER_DAY)
        return _clock(*divmod(total, _MINUTES)) if total < _MINUTES_PER_DAY else None
    return None


def _number(value: str, *, whole: bool) -> str | None:
    text = nfkc(value).strip()
    if match := _NUMBER_WITH_UNIT_RE.fullmatch(text):
        text = match[1]
    try:
        number = normalize_number(text)
    except JapaneseInputError:
        return None
    if not whole:
        return number
    if "." in number:
        integer, fraction = number.split(".")
        return integer if not fraction.strip("0") else None
    return number


def _enum(value: str, allowed: tuple[str, ...]) -> str | None:
    text = nfkc(value).strip()
    if text in allowed:
        return text
    key = text.casefold()
    if allowed == ("有", "無"):
        if key in _YES:
            return "有"
        if key in _NO:
            return "無"
    if allowed == ("1",) and key in _YES:
        return "1"
    return None


def _kana(value: str) -> str | None:
    try:
        fixed = normalize_furigana(value)
    except JapaneseInputError:
        return None
    return fixed if fixed != value else None


def platform_chars_in(value: str) -> str:
    """The platform-dependent characters of ``value``, each once, in order."""
    return "".join(dict.fromkeys(ch for ch in value if ch in PLATFORM_CHARS))


def _platform(value: str) -> str:
    out: list[str] = []
    for ch in value:
        if ch not in PLATFORM_CHARS:
            out.append(ch)
        elif ch in _WAVE_DASHES:
            out.append("から")
        elif 0x2460 <= ord(ch) <= 0x2473 or 0x32A4 <= ord(ch) <= 0x32A8:  # ① … ⑳, ㊤ … ㊨
            out.append(f"({unicodedata.normalize('NFKC', ch)})")
        else:  # ㈱ → (株), ㍻ → 平成, ㋿ → 令和, ㎡ → m2, Ⅳ → IV, № → No
            out.append(unicodedata.normalize("NFKC", ch))
    return "".join(out)


def _fullwidth(value: str, field: SchemaField | None) -> str | None:
    if field is not None:
        if field.type == "date":
            return _date(value)
        if field.type == "time":
            return _time(value)
        if field.type in ("integer", "number"):
            return _number(value, whole=field.type == "integer")
        try:
            if field.check == "phone":
                return format_phone(value)
            if field.check == "postal-code":
                return normalize_postal_code(value)
        except JapaneseInputError:
            return None
    return nfkc(value).strip().replace("，", ",")


def _pattern(value: str, field: SchemaField | None) -> str | None:
    text = nfkc(value).strip()
    if field is None or field.pattern is None or text == value:
        return None
    return text if re.fullmatch(field.pattern, text) else None


def _postal(value: str) -> str | None:
    try:
        return normalize_postal_code(value)
    except JapaneseInputError:
        return None


def _uri(value: str) -> str | None:
    text = value.strip()
    return f"https://{text}" if text.startswith("www.") and " " not in text else None


_BY_CODE: Final[dict[str, Callable[[str, SchemaField | None], str | None]]] = {
    "type.date": lambda v, f: _date(v),
    "wareki-date": lambda v, f: _date(v),
    "excel-serial-date": lambda v, f: _date(v),
    "type.time": lambda v, f: _time(v),
    "type.integer": lambda v, f: _number(v, whole=True),
    "type.number": lambda v, f: _number(v, whole=False),
    "fullwidth-digits": _fullwidth,
    "constraint.enum": lambda v, f: _enum(v, f.enum) if f is not None and f.enum else None,
    "constraint.pattern": _pattern,
    "localgov-code.leading-zero": lambda v, f: "0" + v.strip(),
    "postal-code.format": lambda v, f: _postal(v),
    "kana.halfwidth": lambda v, f: _kana(v),
    "kana.invalid": lambda v, f: _kana(v),
    "format.uri": lambda v, f: _uri(v),
    "platform-char": lambda v, f: _platform(v),
    "whitespace": lambda v, f: v.strip() or None,
    "formula-cell": lambda v, f: neutralise_cell(v),
}


def suggest(code: str, value: str, field: SchemaField | None) -> str | None:
    """The value to enter instead of ``value``, or None when there is no safe guess."""
    maker = _BY_CODE.get(code)
    if maker is None:
        return None
    suggestion = maker(value, field)
    return suggestion if suggestion != value else None
