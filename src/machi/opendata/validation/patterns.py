"""Regular expressions shared by the vectorised checks (polars, Rust ``regex``) and the
per-problem Python code (``re``); each one is written in the syntax both accept.

``[0-9]`` is spelt out on purpose: ``\\d`` is Unicode-aware in both engines and would
accept full-width digits, which the checks must catch.
"""

from __future__ import annotations

from typing import Final

FULLWIDTH_DIGIT: Final = "[０-９]"
HALFWIDTH_KANA: Final = "[\uff61-\uff9f]"

#: 機種依存文字 (rule L1-08): circled numbers, Roman numerals, squared words and units
#: (㍻ ㌔ ㎡ …), ㋿, ㈱ ㈲ ㈹, ㊤…㊨, № ℡, and the wave dashes 〜 (U+301C) and ～ (U+FF5E),
#: which CP932 and other encodings map to different characters.
PLATFORM_CHARS: Final = (
    "".join(chr(c) for c in range(0x2460, 0x2474))
    + "".join(chr(c) for c in range(0x2160, 0x2180))
    + "".join(chr(c) for c in range(0x3300, 0x3400))
    + "".join(chr(c) for c in range(0x32A4, 0x32A9))
    + "\u32ff\u3231\u3232\u3239\u2116\u2121\u301c\uff5e"
)
PLATFORM_CLASS: Final = (
    "[\u2460-\u2473\u2160-\u217f\u3300-\u33ff\u32a4-\u32a8"
    "\u32ff\u3231\u3232\u3239\u2116\u2121\u301c\uff5e]"
)

_NUM: Final = "(?:[0-9０-９]{1,2})"
_ERA: Final = "(?:明治|大正|昭和|平成|令和|[\u337b-\u337e\u32ff])"
_SEP: Final = r"[./\-．／－]"
_KANJI_DATE: Final = rf"{_ERA}\s*(?:{_NUM}|元)\s*年(?:\s*{_NUM}\s*月(?:\s*{_NUM}\s*日)?)?"
_LETTER_DATE: Final = rf"[MTSHRmtshrＭＴＳＨＲ]\s*(?:{_NUM}|元)\s*{_SEP}\s*{_NUM}\s*{_SEP}\s*{_NUM}"
#: A whole cell that is a 和暦 date: 令和5年4月1日, 平成31年4月, R6.4.1, H31/4/30 …
WAREKI: Final = rf"^\s*(?:{_KANJI_DATE}|{_LETTER_DATE})\s*$"

#: A whole cell that is a number typed with full-width characters (１２３, ３４．８５６).
FULLWIDTH_NUMBER: Final = r"^\s*[+\-＋－]?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?\s*$"

#: Anything in a free-text cell worth a closer look: full-width digits, platform-dependent
#: characters, spaces at either end, or something that may be a 和暦 date.
#: A cell a spreadsheet would run as a formula (=HYPERLINK(…), @SUM(…), +cmd); plain
#: signed numbers such as -1.5 are data.
FORMULA: Final = r"^(?:[=@\t\r]|[+\-][^0-9.])"
ATTENTION: Final = (
    rf"{FULLWIDTH_DIGIT}|{PLATFORM_CLASS}|^\s|\s$|明治|大正|昭和|平成|令和"
    r"|^\s*[MTSHRmtshrＭＴＳＨＲ]\s*[0-9０-９]|^[=@+\-]"
)
EDGE_SPACE: Final = r"^\s|\s$"

ISO_DATE: Final = r"^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$"
#: ISO dates whose day exists in every year (29 February is left to a date parser).
ISO_DATE_SURE: Final = (
    r"^[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))$"
)
TIME_HHMM: Final = r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$"
INTEGER: Final = r"^[+-]?[0-9]+$"
NUMBER: Final = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
EXCEL_SERIAL: Final = r"^[0-9]{5}$"
KANA: Final = r"^[ァ-ヺヽヾー・]+(?:[ 　][ァ-ヺヽヾー・]+)*$"
URL: Final = r"^https?://[!-~]+$"
EMAIL: Final = (
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
#: Telephone numbers in a standard shape; whether each exists is ``normalize_phone``'s call.
PHONE_PLAIN: Final = r"^0[1-9][0-9]{0,3}-[0-9]{1,4}-[0-9]{3,4}$|^0[1-9][0-9]{8,9}$"
SIX_DIGITS: Final = r"^[0-9]{6}$"
SEVEN_DIGITS: Final = r"^[0-9]{7}$"
THIRTEEN_DIGITS: Final = r"^[0-9]{13}$"
