"""The FAQ search engine: a lexical channel and one semantic channel per sentence encoder,
fused per question; each hit carries a confidence between 0 and 1.

* **Lexical** (:class:`LexicalIndex`): BM25 (bm25s) over Sudachi short units and their
  readings, the question (with its keywords) and the answer scored as separate fields and
  added, plus character 1–2-grams at a small weight for typos and unknown words.
* **Semantic**: the cosine between the question's embedding and each entry's stored
  embeddings (its question, its answer, and both together), mixed by ``PASSAGE_MIX``.
* **Fusion**: each channel's scores are z-normalised over the FAQ for this question, so a
  channel counts by how far an entry stands out rather than by its scale, then weighted
  and summed (``Tuning.weights``, fitted on the tuning set by ``faq_fit``).
* **Confidence**: a logistic fit of "this entry is a correct answer" on the entry's fused
  score, its lead over the best other entry, and how much of the question's words (by
  IDF) the entry contains (``Tuning.calibration``). The z-scores say how far an entry
  stands out; the coverage says whether it speaks of what was asked at all, which keeps
  the confidence sane on a small FAQ and for questions the FAQ cannot answer.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

import bm25s
import numpy as np

from .analysis import char_grams, is_japanese, short_terms
from .encoders import Encoder
from .synonym_table import SynonymTable, default_synonyms

LEXICAL: Final = "lexical"
# Field weights of the lexical channel (measured on an independent municipal FAQ set: the
# answer counts a little more than the question; characters only break ties).
FIELD_WEIGHTS: Final = {"question": 1.0, "answer": 1.25, "chars": 0.1}
# Semantic score of an entry: its question's, answer's and both's cosines, mixed.
PASSAGE_MIX: Final = {"question": 0.5, "answer": 0.0, "both": 0.5}
# From this confidence on the top entry is the answer ("more likely right than wrong").
CONFIDENT: Final = 0.5
# Below CONFIDENT, while one of the top CANDIDATES reaches OFFER, they are offered
# (こちらの情報でしょうか); under it the assistant says it found nothing.
OFFER: Final = 0.06
CANDIDATES: Final = 3


@dataclass(frozen=True)
class FaqDocument:
    key: str
    question: str
    answer: str
    category: str = ""
    keywords: str = ""


@dataclass(frozen=True)
class Hit:
    key: str
    score: float
    confidence: float


@dataclass(frozen=True)
class EntryVectors:
    """One encoder's embeddings of every entry, rows in the engine's document order; a
    row of NaN is an entry not encoded yet."""

    question: np.ndarray
    answer: np.ndarray
    both: np.ndarray


@dataclass(frozen=True)
class Tuning:
    """Channel weights and the confidence calibration ``(a, b, d, c)``: confidence =
    σ(a·score + b·lead + d·coverage + c)."""

    weights: Mapping[str, float]
    calibration: tuple[float, float, float, float]
    fitted_on: str = ""
    figures: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "weights": dict(self.weights),
            "calibration": list(self.calibration),
            "fitted_on": self.fitted_on,
            "figures": dict(self.figures),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Tuning:
        a, b, d, c = (float(x) for x in data["calibration"])
        return cls(
            {str(k): float(v) for k, v in data["weights"].items()},
            (a, b, d, c),
            str(data.get("fitted_on", "")),
            dict(data.get("figures", {})),
        )


class ReplyKind(StrEnum):
    ANSWER = "answer"
    CANDIDATES = "candidates"
    NOT_UNDERSTOOD = "not_understood"


def reply_kind(hits: Sequence[Hit]) -> ReplyKind:
    """How sure the assistant is of ``hits`` (best first): answer, offer or say so."""
    if hits and hits[0].confidence >= CONFIDENT:
        return ReplyKind.ANSWER
    if any(hit.confidence >= OFFER for hit in hits[:CANDIDATES]):
        return ReplyKind.CANDIDATES
    return ReplyKind.NOT_UNDERSTOOD


class _Field:
    def __init__(self, corpus: list[list[str]]) -> None:
        self.retriever: Any = None
        if any(corpus):  # bm25s cannot index a field no entry fills
            self.retriever = bm25s.BM25(k1=1.2, b=0.75)
            self.retriever.index(corpus, show_progress=False)

    def scores(self, terms: list[str], size: int) -> np.ndarray:
        if self.retriever is None or not terms:
            return np.zeros(size)
        return np.asarray(self.retriever.get_scores(terms))


class LexicalIndex:
    def __init__(self, documents: Sequence[FaqDocument], synonyms: SynonymTable) -> None:
        self.synonyms = synonyms
        self.size = len(documents)
        self._last_query: tuple[str, frozenset[str]] = ("", frozenset())
        questions = [short_terms(f"{d.question}\n{d.keywords}", synonyms) for d in documents]
        answers = [short_terms(d.answer, synonyms) for d in documents]
        self.words = [set(q) | set(a) for q, a in zip(questions, answers, strict=True)]
        counts = Counter(word for words in self.words for word in words)
        self.idf = {w: math.log(1 + (self.size - n + 0.5) / (n + 0.5)) for w, n in counts.items()}
        self.max_idf = max(self.idf.values(), default=1.0)
        self.fields = {
            "question": _Field(questions),
            "answer": _Field(answers),
            "chars": _Field(
                [char_grams(f"{d.question}\n{d.keywords}\n{d.answer}", synonyms) for d in documents]
            ),
        }

    def coverage(self, query: str, index: int) -> float:
        """Share of the query's word IDF mass found in entry ``index`` (unknown words weigh
        the most)."""
        last = self._last_query
        if last[0] == query:  # called for each hit of the same question
            words = last[1]
        else:
            words = frozenset(short_terms(query, self.synonyms, query=True))
            self._last_query = (query, words)
        if not words:
            return 0.0
        total = sum(self.idf.get(w, self.max_idf) for w in words)
        found = sum(self.idf.get(w, self.max_idf) for w in words & self.words[index])
        return found / total

    def scores(self, query: str) -> np.ndarray:
        words = short_terms(query, self.synonyms, query=True)
        chars = char_grams(query, self.synonyms, query=True)
        total = np.zeros(self.size)
        for name, index in self.fields.items():
            terms = chars if name == "chars" else words
            total += FIELD_WEIGHTS[name] * index.scores(terms, self.size)
        return total


def _zscores(scores: np.ndarray) -> np.ndarray:
    spread = float(scores.std())
    return (scores - scores.mean()) / spread if spread > 1e-9 else np.zeros_like(scores)


def semantic_scores(vectors: EntryVectors, query: np.ndarray) -> np.ndarray:
    mixed = sum(
        weight * (getattr(vectors, part) @ query) for part, weight in PASSAGE_MIX.items() if weight
    )
    scores = np.asarray(mixed, dtype=np.float64)
    missing = np.isnan(scores)
    if missing.any():  # not encoded yet: an average entry for this channel
        scores[missing] = float(scores[~missing].mean()) if (~missing).any() else 0.0
    return scores


class FaqEngine:
    def __init__(
        self,
        documents: Sequence[FaqDocument],
        *,
        tuning: Tuning,
        synonyms: SynonymTable | None = None,
        vectors: Mapping[str, EntryVectors] | None = None,
        encoders: Mapping[str, Encoder] | None = None,
    ) -> None:
        self.synonyms = synonyms if synonyms is not None else default_synonyms()
        self.keys = [d.key for d in documents]
        self.tuning = tuning
        self.lexical = LexicalIndex(documents, self.synonyms)
        self.vectors = dict(vectors or {})
        self.encoders = {
            name: enc
            for name, enc in (encoders or {}).items()
            if name in self.vectors and tuning.weights.get(name)
        }

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def channels(self) -> tuple[str, ...]:
        return (LEXICAL, *self.encoders)

    def channel_scores(self, query: str) -> dict[str, np.ndarray]:
        """Each channel's raw scores of every entry for ``query``."""
        scores = {LEXICAL: self.lexical.scores(query)}
        for name, enc in self.encoders.items():
            scores[name] = semantic_scores(self.vectors[name], enc.queries([query])[0])
        return scores

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """The best ``limit`` entries for ``query``, best first."""
        if not self.keys:
            return []
        return ranked_hits(
            self.keys,
            self.channel_scores(query),
            Tuning(query_weights(self.tuning.weights, query), self.tuning.calibration),
            limit,
            lambda i: self.lexical.coverage(query, i),
        )


def query_weights(weights: Mapping[str, float], query: str) -> dict[str, float]:
    """The channel weights for this question. A question in another language than the
    FAQ's goes to the multilingual encoders alone while one is weighted: its words and
    letters match Japanese text by accident (a Latin letter in a URL), not by meaning."""
    if is_japanese(query) or not any(w for name, w in weights.items() if name != LEXICAL):
        return dict(weights)
    return {name: w for name, w in weights.items() if name != LEXICAL}


def fuse(channel_scores: Mapping[str, np.ndarray], weights: Mapping[str, float]) -> np.ndarray:
    """The weighted mean of the channels' z-scores (a channel weighted 0 does not count)."""
    used = {name: w for name, w in weights.items() if w and name in channel_scores}
    total = sum(used.values()) or 1.0
    size = len(next(iter(channel_scores.values()), ()))
    fused = np.zeros(size)
    for name, weight in used.items():
        fused += weight * _zscores(channel_scores[name])
    return fused / total


def hit_features(
    fused: np.ndarray, order: Sequence[int], coverage: Callable[[int], float]
) -> list[tuple[float, float, float]]:
    """(score, lead over the best other entry, coverage) of each entry in ``order``."""
    if len(order) == 0:
        return []
    first = float(fused[order[0]])
    second = float(fused[order[1]]) if len(order) > 1 else first
    return [
        (float(fused[i]), float(fused[i]) - (second if rank == 0 else first), coverage(i))
        for rank, i in enumerate(order)
    ]


def confidence(calibration: tuple[float, float, float, float], features: Sequence[float]) -> float:
    a, b, d, c = calibration
    score, lead, coverage = features
    value = a * score + b * lead + d * coverage + c
    return round(1 / (1 + math.exp(-max(min(value, 50.0), -50.0))), 3)


def ranked_hits(
    keys: Sequence[str],
    channel_scores: Mapping[str, np.ndarray],
    tuning: Tuning,
    limit: int,
    coverage: Callable[[int], float],
) -> list[Hit]:
    fused = fuse(channel_scores, tuning.weights)
    order = [int(i) for i in np.argsort(-fused, kind="stable")[:limit]]
    features = hit_features(fused, order, coverage)
    return [
        Hit(keys[i], f[0], confidence(tuning.calibration, f))
        for i, f in zip(order, features, strict=True)
    ]
