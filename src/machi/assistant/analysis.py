"""Text to index terms for the FAQ engine.

Words (:func:`short_terms`): Sudachi's short units (mode A) as normalised forms plus
their readings, content words only, after the synonym table and without the words every
question carries (教えて, 知りたい, ほしい …). Characters (:func:`char_grams`): single
characters and bigrams of the text with kana folded to katakana, so a typo (住民表) or a
word the dictionary does not know still shares most of its pieces with the right entry.
:func:`word_terms` (long and short units) groups the questions staff review.
"""

from __future__ import annotations

import re
from typing import Final

from machi.core.japanese.normalize import nfkc
from machi.core.japanese.tokens import search_tokens, short_unit_tokens

from .synonym_table import SynonymTable

# Verbs and words of asking: present in most questions, they say nothing about the topic.
ASKING_WORDS: Final = frozenset(
    {
        "教える",
        "知る",
        "分かる",
        "欲しい",
        "良い",
        "思う",
        "下さる",
        "頂く",
        "貰う",
        "聞く",
        "質問",
        "尋ねる",
        "どう",
        "何",
        "の",
        "ん",
    }
)
_NON_WORD_RE: Final = re.compile(r"[\W_]+")
_HIRAGANA: Final = {code: code + 0x60 for code in range(0x3041, 0x3097)}


_JAPANESE_RE: Final = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")
_LATIN_RE: Final = re.compile(r"[A-Za-z]{2,}")


def is_japanese(text: str) -> bool:
    """False for a text with Latin words and no kana or kanji at all (a question asked in
    English, say); anything else counts as Japanese."""
    return bool(_JAPANESE_RE.search(text)) or not _LATIN_RE.search(text)


def _apply(text: str, synonyms: SynonymTable, query: bool) -> str:
    text = nfkc(text or "")
    return synonyms.rewrite(text) if query else synonyms.expand(text)


def word_terms(text: str, synonyms: SynonymTable, *, query: bool = False) -> list[str]:
    expanded = _apply(text, synonyms, query)
    return [t for t in search_tokens(expanded) if t not in ASKING_WORDS]


def short_terms(text: str, synonyms: SynonymTable, *, query: bool = False) -> list[str]:
    expanded = _apply(text, synonyms, query)
    return [t for t in short_unit_tokens(expanded) if t not in ASKING_WORDS]


def char_grams(text: str, synonyms: SynonymTable, *, query: bool = False) -> list[str]:
    """Single characters and bigrams."""
    folded = _NON_WORD_RE.sub("", _apply(text, synonyms, query).lower()).translate(_HIRAGANA)
    return list(folded) + [folded[i : i + 2] for i in range(len(folded) - 1)]
