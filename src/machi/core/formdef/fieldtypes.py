"""Each field type: typed input (a string from a page, or JSON from the API) → stored value,
and stored value → text for people.

Stored values are plain JSON: text and codes as ``str`` (dates as ISO ``YYYY-MM-DD``, postal
codes as 7 digits, phone numbers as digits), numbers and yen as ``int``, a single checkbox as
``bool``, a checkbox list and files as lists of ``str``. Empty answers are handled by the
engine before a value reaches :func:`parse_value`.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from typing import Final

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from machi.core.formdef.definition import Field
from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.kana import normalize_furigana
from machi.core.japanese.normalize import nfkc, normalize_number, parse_yen
from machi.core.japanese.phone import format_phone, normalize_phone
from machi.core.japanese.postal import format_postal_code, normalize_postal_code
from machi.core.japanese.wareki import parse_date, to_wareki

# C0 controls other than tab and line breaks (PostgreSQL cannot store U+0000 in JSON).
_CONTROL_RE: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRUE_TEXTS: Final = frozenset({"yes", "on", "true", "1"})
_FALSE_TEXTS: Final = frozenset({"no", "off", "false", "0"})
MAX_EMAIL_LENGTH: Final = 254
#: Numbers beyond this are refused: no form asks for more, and JSON/int columns stay safe.
MAX_NUMBER: Final = 10**12
# Longer typed text cannot be a number below MAX_NUMBER, even with separators and spaces.
MAX_NUMBER_TEXT: Final = 40


class FieldInvalid(ValueError):
    """The answer cannot be used; ``message`` says how to fix it (translated)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def clean_text(raw: object) -> str:
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise FieldInvalid(_("Enter text."))
    if isinstance(raw, int) and abs(raw) > MAX_NUMBER:
        raise FieldInvalid(_("This number is too large. Check the digits."))
    return _CONTROL_RE.sub("", str(raw)).strip()


def _japanese(parse: object, raw: object) -> object:
    try:
        return parse(clean_text(raw))  # type: ignore[operator]
    except JapaneseInputError as exc:
        raise FieldInvalid(str(exc.message)) from None


def _whole_number(field: Field, raw: object) -> int:
    too_large = FieldInvalid(_("This number is too large. Check the digits."))
    if isinstance(raw, str) and len(raw) > MAX_NUMBER_TEXT:
        # Python refuses to read integers of thousands of digits: say so before trying.
        raise too_large
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif field.type == "yen":
        value = _japanese(parse_yen, raw)  # type: ignore[assignment]
    else:
        text = _japanese(normalize_number, raw)
        if not isinstance(text, str) or "." in text:
            raise FieldInvalid(_("Enter a whole number using digits, for example 2."))
        value = int(text)
    if abs(value) > MAX_NUMBER:
        raise too_large
    if field.type == "yen" and value < 0:
        raise FieldInvalid(
            _("The amount cannot be negative. Enter 0 or more, for example 1,200円.")
        )
    if field.minimum is not None and value < field.minimum:
        raise FieldInvalid(
            _("Enter %(min)s or more.") % {"min": number_format(field.minimum, force_grouping=True)}
        )
    if field.maximum is not None and value > field.maximum:
        raise FieldInvalid(
            _("Enter %(max)s or less.") % {"max": number_format(field.maximum, force_grouping=True)}
        )
    return value


def _date(field: Field, raw: object, today: dt.date) -> str:
    value = _japanese(parse_date, raw)
    assert isinstance(value, dt.date)
    if field.date_range == "past" and value > today:
        raise FieldInvalid(_("Enter a date that is today or earlier."))
    if field.date_range == "future" and value < today:
        raise FieldInvalid(_("Enter a date that is today or later."))
    return value.isoformat()


def _choice(field: Field, raw: object) -> str:
    if not isinstance(raw, str) or field.choice(raw) is None:
        raise FieldInvalid(_("Choose one of the options shown."))
    return raw


def _choices(field: Field, raw: object) -> list[str]:
    values = raw if isinstance(raw, list) else [raw]
    if any(not isinstance(v, str) or field.choice(v) is None for v in values):
        raise FieldInvalid(_("Choose from the options shown."))
    return [c.value for c in field.choices if c.value in values]


def _tick(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _TRUE_TEXTS | _FALSE_TEXTS:
        return raw.strip().lower() in _TRUE_TEXTS
    raise FieldInvalid(_("Tick the box or leave it empty."))


def _files(field: Field, raw: object) -> list[str]:
    values = raw if isinstance(raw, list) else [raw]
    ids: list[str] = []
    for value in values:
        try:
            ids.append(str(uuid.UUID(str(value))))
        except ValueError:
            raise FieldInvalid(_("Attach the file again.")) from None
    if len(ids) > field.max_files:
        raise FieldInvalid(
            _("Attach at most %(max)d files here. Remove one first.") % {"max": field.max_files}
        )
    return list(dict.fromkeys(ids))


def _kana(text: str) -> str:
    """Furigana as people type it (hiragana, 半角カナ), stored in 全角カタカナ."""
    try:
        return normalize_furigana(text)
    except JapaneseInputError as exc:
        raise FieldInvalid(str(exc.message)) from None


def _text(field: Field, raw: object) -> str:
    text = clean_text(raw)
    if field.type == "kana":
        text = _kana(text)
    if field.type == "email":
        text = nfkc(text).replace(" ", "")
        try:
            validate_email(text)
        except ValidationError:
            raise FieldInvalid(_("Enter an e-mail address in the form name@example.jp.")) from None
        if len(text) > MAX_EMAIL_LENGTH:
            raise FieldInvalid(_("This e-mail address is too long."))
    limit = field.max_length
    if limit is not None and len(text) > limit:
        raise FieldInvalid(
            _("Use %(max)d characters or fewer (you entered %(count)d).")
            % {"max": limit, "count": len(text)}
        )
    return text


def parse_value(field: Field, raw: object, *, today: dt.date) -> object:
    """Turn one non-empty answer into its stored value, or raise :class:`FieldInvalid`."""
    kind = field.type
    if kind in ("text", "textarea", "kana", "address", "email"):
        return _text(field, raw)
    if kind in ("number", "yen"):
        return _whole_number(field, raw)
    if kind == "date":
        return _date(field, raw, today)
    if kind == "postal_code":
        return _japanese(normalize_postal_code, raw)
    if kind == "phone":
        return _japanese(normalize_phone, raw)
    if kind in ("select", "radio"):
        return _choice(field, raw)
    if kind == "checkbox":
        return _choices(field, raw) if field.is_multiple else _tick(raw)
    if kind == "file":
        return _files(field, raw)
    raise FieldInvalid(_("This answer cannot be read."))


def format_yen(amount: int, language: str) -> str:
    grouped = f"{amount:,}"
    return f"¥{grouped}" if language == "en" else f"{grouped}円"


def format_date(iso: str, language: str) -> str:
    """``2026-11-30`` → 令和8年11月30日 (2026-11-30); the 和暦 first for Japanese readers."""
    try:
        day = dt.date.fromisoformat(iso)
        wareki = str(to_wareki(day))
    except (ValueError, JapaneseInputError):
        return iso
    return f"{day.isoformat()} ({wareki})" if language == "en" else f"{wareki}（{iso}）"


def display_value(
    field: Field, value: object, language: str, file_names: Mapping[str, str] | None = None
) -> str:
    """Text for the check-your-answers page, the PDF, the mail and the status page."""
    if value in (None, "", []):
        return ""
    kind = field.type
    try:
        if kind == "date":
            return format_date(str(value), language)
        if kind == "yen" and isinstance(value, int):
            return format_yen(value, language)
        if kind == "number" and isinstance(value, int):
            return f"{value:,}"
        if kind == "postal_code":
            return format_postal_code(str(value))
        if kind == "phone":
            return format_phone(str(value))
    except JapaneseInputError:
        return str(value)
    if kind in ("select", "radio"):
        choice = field.choice(value)
        return choice.text(language) if choice else str(value)
    if kind == "checkbox":
        if isinstance(value, list):
            return "、".join(c.text(language) for c in field.choices if c.value in value)
        return _("Yes") if value else _("No")
    if kind == "file" and isinstance(value, list):
        names = file_names or {}
        return "、".join(names.get(str(v), _("(file)")) for v in value)
    return str(value)
