"""The curated phrase-level synonym table: a variant found in a text adds its canonical
phrase, so マイナカード also reads as マイナンバーカード and 国保 as 国民健康保険.

Phrases, not tokens: Sudachi splits マイナカード into マイナ | カード, so a token-level table
would never fire. The original words are kept (転居届 stays 転居届 and also gains 引っ越し),
and the same table is applied to the FAQ (variants add their phrase) and to the query
(variants are replaced by it) so both sides meet.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from machi.core.japanese.normalize import nfkc


@dataclass(frozen=True)
class SynonymTable:
    pairs: tuple[tuple[str, str], ...]  # (variant, canonical), NFKC

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, Iterable[str]]]) -> SynonymTable:
        pairs = []
        for canonical, variants in rows:
            target = nfkc(canonical).strip()
            for variant in variants:
                source = nfkc(variant).strip()
                if source and target and source != target:
                    pairs.append((source, target))
        return cls(tuple(pairs))

    def expand(self, text: str) -> str:
        """``text`` followed by the canonical phrase of every variant it contains."""
        if not self.pairs:
            return text
        found = dict.fromkeys(
            self._lookup()[match.group(0)] for match in self._pattern().finditer(text)
        )
        return f"{text}\n{' '.join(found)}" if found else text

    def rewrite(self, text: str) -> str:
        """``text`` with each variant replaced by its canonical phrase (for queries: the
        resident's word then counts as the FAQ's word, not as a word left unmatched)."""
        if not self.pairs:
            return text
        lookup = self._lookup()
        return self._pattern().sub(lambda match: lookup[match.group(0)], text)

    def _lookup(self) -> dict[str, str]:
        return _lookup(self.pairs)

    def _pattern(self) -> re.Pattern[str]:
        return _pattern(self.pairs)


@lru_cache(maxsize=32)
def _lookup(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return dict(pairs)


@lru_cache(maxsize=32)
def _pattern(pairs: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    # Longest first, so 粗大ゴミ wins over ゴミ. A variant that starts or ends in katakana
    # only matches a whole katakana word: マイナ, not the マイナ of マイナンバー or マイナス.
    variants = sorted({variant for variant, _ in pairs}, key=len, reverse=True)
    return re.compile("|".join(_bounded(v) for v in variants))


_KATAKANA = "ァ-ヺー"


def _bounded(variant: str) -> str:
    pattern = re.escape(variant)
    if re.match(f"[{_KATAKANA}]", variant):
        pattern = f"(?<![{_KATAKANA}]){pattern}"
    if re.search(f"[{_KATAKANA}]$", variant):
        pattern = f"{pattern}(?![{_KATAKANA}])"
    return pattern


def parse_synonyms_csv(text: str) -> SynonymTable:
    """``canonical,variants`` rows (variants separated by spaces), with a header."""
    reader = csv.DictReader(io.StringIO(text))
    return SynonymTable.from_rows(
        (row["canonical"], (row.get("variants") or "").split()) for row in reader
    )


@lru_cache(maxsize=1)
def default_synonyms() -> SynonymTable:
    """The table shipped with machi (``assistant/data/synonyms.csv``)."""
    data = resources.files("machi.assistant").joinpath("data/synonyms.csv")
    return parse_synonyms_csv(data.read_text(encoding="utf-8"))
