"""The plain baseline ``faq_eval`` measures beside the engine: bm25s with default settings
over Sudachi normalised forms (mode C, symbols and spaces dropped) of question + answer,
with no synonyms, field weights, stop words, readings or character n-grams."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import bm25s
import numpy as np

from machi.core.japanese.tokens import sudachi_tokenizer

from .engine import FaqDocument, Hit

_DROPPED_POS = frozenset({"補助記号", "空白"})


def baseline_terms(text: str) -> list[str]:
    from sudachipy import SplitMode

    return [
        m.normalized_form()
        for m in sudachi_tokenizer().tokenize(text[:4000], SplitMode.C)
        if m.part_of_speech()[0] not in _DROPPED_POS and m.normalized_form().strip()
    ]


class BaselineEngine:
    def __init__(self, documents: Sequence[FaqDocument]) -> None:
        self.keys = [d.key for d in documents]
        self.retriever: Any = bm25s.BM25()
        self.retriever.index(
            [baseline_terms(f"{d.question}\n{d.answer}") for d in documents], show_progress=False
        )

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        terms = baseline_terms(query)
        if not terms or not self.keys:
            return []
        scores = self.retriever.get_scores(terms)
        order = [int(i) for i in np.argsort(-scores, kind="stable")[:limit] if scores[i] > 0]
        return [Hit(self.keys[i], float(scores[i]), 0.0) for i in order]
