"""Input errors for Japanese-format values (入力エラー).

Every error has a stable ``code`` (for tests, logs and form error codes) and a
lazily translated ``message`` that says what is wrong and how to fix it.
All messages live in :data:`MESSAGES` so translators find them in one place.

In a Django form, convert with
``ValidationError(exc.message, code=exc.code)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

__all__ = ["MESSAGES", "JapaneseInputError"]

MESSAGES: Final[dict[str, _StrPromise]] = {
    # 日付・和暦
    "date.invalid_format": _("Enter the date as 令和6年4月1日, R6.4.1 or 2024-04-01."),
    "date.nonexistent": _(
        "This date does not exist. Check the month and day (for example, there is no 2月30日)."
    ),
    "wareki.unknown_era": _(
        "Unknown era name. Use 明治, 大正, 昭和, 平成 or 令和 (or M, T, S, H, R)."
    ),
    "wareki.out_of_era": _(
        "This date is not within the era. Check the era and year: for example, "
        "平成31年4月30日 is followed by 令和元年5月1日."
    ),
    "wareki.unsupported_date": _(
        "和暦 dates before 明治6年1月1日 (1873-01-01) cannot be converted because Japan "
        "used the lunisolar calendar until then. Enter a later date."
    ),
    # 数値・金額
    "number.invalid": _("Enter a number using digits, for example 1200 or 1,200."),
    "yen.invalid": _("Enter the amount in yen using digits, for example 1200 or 1,200円."),
    "yen.negative": _("The amount cannot be negative. Enter 0 or more, for example 1,200円."),
    "yen.decimal": _("Enter the amount in whole yen without decimals, for example 1,200円."),
    # カナ
    "kana.empty": _("This field is empty. Enter it in 全角カタカナ, for example ヤマダ タロウ."),
    "kana.not_katakana": _(
        "Enter this in 全角カタカナ (full-width katakana) only, for example ヤマダ タロウ. "
        "Hiragana, kanji and Latin letters cannot be used."
    ),
    "kana.not_furigana": _(
        "Enter this in katakana or hiragana, for example カメヤマ タロウ. "
        "Kanji, Latin letters and digits cannot be used."
    ),
    # 郵便番号・電話番号
    "postal.invalid": _("Enter the postal code as 7 digits, for example 519-0195."),
    "phone.invalid": _(
        "Enter a Japanese phone number including the area code, "
        "for example 0595-82-1111 or 090-1234-5678."
    ),
    # 全国地方公共団体コード
    "localgov.invalid_format": _(
        "Enter the 全国地方公共団体コード as 6 digits, for example 242101."
    ),
    "localgov.check_digit": _(
        "This 全国地方公共団体コード has a wrong check digit (the 6th digit). "
        "Check the code against the official list; for example, 242101 is valid."
    ),
}


class JapaneseInputError(ValueError):
    """A value in a Japanese format could not be understood (入力値の形式エラー).

    ``str(exc)`` is the code, so printing or logging never needs translations
    (and never needs Django settings).
    """

    code: str
    message: _StrPromise

    def __init__(self, code: str, message: _StrPromise | None = None) -> None:
        if message is None:
            message = MESSAGES[code]
        super().__init__(code)
        self.code = code
        self.message = message
