"""Personal data out of logged questions: phone numbers, e-mail addresses, postal codes,
long digit runs (My Number, account numbers) and street addresses become placeholders
before a question is stored. Applied to the NFKC text, so 全角 digits are caught too."""

from __future__ import annotations

import re
from typing import Final

from machi.core.japanese.normalize import HYPHEN_CHARS, nfkc

_RULES: Final = [
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[メール]"),
    (re.compile(r"(?<!\d)0\d{1,4}[-(]?\d{1,4}[-)]?\d{3,4}(?!\d)"), "[電話番号]"),
    (re.compile(r"〒?\s*\d{3}-\d{4}"), "[郵便番号]"),
    (re.compile(r"\d{6,}"), "[番号]"),
    # 住所: a place name followed by block numbers (本丸町577, 東町1丁目2番3号, 1-2-3).
    (
        re.compile(
            r"[\w々ヶ]{1,12}?(?:都|道|府|県|市|区|町|村|丁目)?\s*"
            r"\d+(?:\s*(?:丁目|番地?|号|-|の)\s*\d+)+(?:\s*号)?"
        ),
        "[住所]",
    ),
    (re.compile(r"[\w々ヶ]{1,12}(?:町|村|丁目)\d+(?:番地?)?"), "[住所]"),
]


_DASH_BETWEEN_DIGITS: Final = re.compile(rf"(?<=\d)[{re.escape(HYPHEN_CHARS)}](?=\d)")


def mask_personal_data(text: str) -> str:
    masked = _DASH_BETWEEN_DIGITS.sub("-", nfkc(text))
    for pattern, placeholder in _RULES:
        masked = pattern.sub(placeholder, masked)
    return masked
