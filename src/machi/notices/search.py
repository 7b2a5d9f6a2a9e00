"""Japanese search over notices: every word of the query, anywhere in title or body.

Text and query are folded the same way (NFKC, so 全角 and 半角 meet; katakana as
hiragana, so ゴミ finds ごみ; lower case), and each word is a substring match, so a
part of a compound (粗大 in 粗大ごみ) finds it without a dictionary. A notice list is a few
thousand rows per city: the database's substring match on one folded column is enough.
"""

from __future__ import annotations

import jaconv

from machi.core.japanese.normalize import nfkc

MAX_WORDS = 8


def fold(text: str) -> str:
    return jaconv.kata2hira(nfkc(text)).casefold()


def words_of(query: str) -> list[str]:
    """The query's words, folded (at most :data:`MAX_WORDS`; 　 separates too)."""
    return [w for w in fold(query).split() if w][:MAX_WORDS]


def search_text_of(title: str, body: str, title_en: str = "", body_en: str = "") -> str:
    return fold("\n".join((title, body, title_en, body_en)))
