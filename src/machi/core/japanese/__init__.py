"""Japanese-format input helpers (日本語・日本の書式の入力処理).

Pure Python apart from ``gettext_lazy`` for error messages. Every parser raises
:class:`JapaneseInputError` (a ``ValueError``) with a stable ``code`` and a
translatable ``message``.
"""

from .errors import JapaneseInputError
from .fiscal_year import fiscal_year_label, fiscal_year_of, fiscal_year_range
from .kana import (
    hiragana_to_katakana,
    normalize_furigana,
    to_fullwidth_katakana,
    to_halfwidth_katakana,
    validate_katakana,
)
from .localgov_code import check_digit, validate_localgov_code
from .normalize import nfkc, normalize_identifier, normalize_number, parse_yen
from .phone import format_phone, normalize_phone
from .postal import format_postal_code, normalize_postal_code
from .wareki import WarekiDate, from_wareki, parse_date, to_wareki

__all__ = [
    "JapaneseInputError",
    "WarekiDate",
    "check_digit",
    "fiscal_year_label",
    "fiscal_year_of",
    "fiscal_year_range",
    "format_phone",
    "format_postal_code",
    "from_wareki",
    "hiragana_to_katakana",
    "nfkc",
    "normalize_furigana",
    "normalize_identifier",
    "normalize_number",
    "normalize_phone",
    "normalize_postal_code",
    "parse_date",
    "parse_yen",
    "to_fullwidth_katakana",
    "to_halfwidth_katakana",
    "to_wareki",
    "validate_katakana",
    "validate_localgov_code",
]
