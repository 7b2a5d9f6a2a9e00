"""Search tokens for Japanese text (SudachiPy, SudachiDict-core; works offline).

:func:`search_tokens` turns text into the terms a search index compares:

* Sudachi's normalised forms, in both long units (mode C: 児童手当) and short units
  (mode A: 児童, 手当), so a query for either finds the other, and spelling variants meet
  (引越し, 引越 → 引っ越し; ﾏｲﾅﾝﾊﾞｰ → マイナンバー);
* the katakana reading of each content word, marked with ``読:``, so a query typed in
  hiragana finds the kanji (ひっこし → 引っ越し, そだいごみ → 粗大ゴミ);
* only content words: particles, auxiliaries, symbols and a few empty verbs are dropped.

The dictionary loads once per thread (Sudachi tokenizers are not thread-safe).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, Final

from .normalize import nfkc

READING_MARK: Final = "読:"
_CONTENT_POS: Final = frozenset({"名詞", "動詞", "形容詞", "形状詞", "接尾辞", "副詞", "代名詞"})
_EMPTY_WORDS: Final = frozenset(
    {
        "為る",
        "有る",
        "居る",
        "成る",
        "出来る",
        "言う",
        "事",
        "物",
        "方",
        "所",
        "様",
        "ため",
        "もの",
        "こと",
    }
)
_local = threading.local()


def sudachi_tokenizer() -> Any:
    """This thread's Sudachi tokenizer (SudachiDict-core), created on first use."""
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        from sudachipy import Dictionary

        tokenizer = Dictionary(dict="core").tokenizer()
        _local.tokenizer = tokenizer
    return tokenizer


def _modes() -> tuple[Any, Any]:
    from sudachipy import SplitMode

    return SplitMode.C, SplitMode.A


def _content_words(text: str, mode: Any) -> Iterable[tuple[str, str]]:
    for morpheme in sudachi_tokenizer().tokenize(text, mode):
        pos = morpheme.part_of_speech()
        if pos[0] not in _CONTENT_POS:
            continue
        normalized = morpheme.normalized_form()
        if normalized in _EMPTY_WORDS or not normalized.strip():
            continue
        yield normalized.lower(), morpheme.reading_form()


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    tokens: list[str] = []
    long_mode, short_mode = _modes()
    seen_long: set[str] = set()
    for normalized, _reading in _content_words(text, long_mode):
        tokens.append(normalized)
        seen_long.add(normalized)
    for normalized, reading in _content_words(text, short_mode):
        if normalized not in seen_long:
            tokens.append(normalized)
        if len(reading) >= 2 and reading != "キゴウ":
            tokens.append(READING_MARK + reading)
    return tuple(tokens)


@lru_cache(maxsize=4096)
def _short_tokens(text: str) -> tuple[str, ...]:
    tokens: list[str] = []
    for normalized, reading in _content_words(text, _modes()[1]):
        tokens.append(normalized)
        if len(reading) >= 2 and reading != "キゴウ":
            tokens.append(READING_MARK + reading)
    return tuple(tokens)


def clear_token_cache() -> None:
    """Forget tokenised texts (benchmarks measure tokenising afresh)."""
    _tokens.cache_clear()
    _short_tokens.cache_clear()


def search_tokens(text: str) -> list[str]:
    """Index terms of ``text`` (repeated terms are kept: they count in BM25)."""
    return _by_chunk(text, _tokens)


def short_unit_tokens(text: str) -> list[str]:
    """Short units only (mode A normalised forms) with their readings: 児童手当 gives 児童,
    手当 and ジドウ, テアテ. Finer than :func:`search_tokens`, for ranking FAQ entries."""
    return _by_chunk(text, _short_tokens)


def _by_chunk(text: str, tokenize: Callable[[str], tuple[str, ...]]) -> list[str]:
    # Sudachi refuses very long inputs; search texts are short, documents are cut in lines.
    cleaned = nfkc(text or "").strip()
    tokens: list[str] = []
    for line in cleaned.splitlines():
        line = line.strip()
        while line:
            chunk, line = line[:4000], line[4000:]
            tokens.extend(tokenize(chunk))
    return tokens
