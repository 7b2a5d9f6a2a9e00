"""Catalog search in Japanese: BM25 (bm25s) over Sudachi-normalised tokens.

Each municipality's published procedures are indexed once per process and rebuilt when the
catalog changes (the stamp is the number of rows and the latest ``updated_at``), so an edit
in the admin is searchable on the next request without a restart. The title counts three
times and the keywords twice, so a procedure named for what was asked comes first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import bm25s
import numpy as np

from machi.core.japanese.normalize import nfkc
from machi.core.japanese.tokens import search_tokens
from machi.core.stamped_cache import StampedCache

TITLE_WEIGHT = 3
KEYWORD_WEIGHT = 2


@dataclass(frozen=True)
class Document:
    key: str
    title: str
    keywords: str
    body: str


class CatalogIndex:
    def __init__(self, documents: Sequence[Document]) -> None:
        self.keys = [d.key for d in documents]
        self.titles = [nfkc(f"{d.title} {d.keywords}").lower() for d in documents]
        corpus = [
            search_tokens(d.title) * TITLE_WEIGHT
            + search_tokens(d.keywords) * KEYWORD_WEIGHT
            + search_tokens(d.body)
            for d in documents
        ]
        self.retriever: Any = None
        if documents:
            self.retriever = bm25s.BM25()
            self.retriever.index(corpus, show_progress=False)

    def search(self, query: str, limit: int = 20) -> list[str]:
        """Keys of the matching documents, best first."""
        if self.retriever is None:
            return []
        tokens = search_tokens(query)
        scores = self.retriever.get_scores(tokens) if tokens else np.zeros(len(self.keys))
        ranked = [int(i) for i in np.argsort(-scores, kind="stable") if scores[i] > 0]
        if not ranked:
            # Words the dictionary splits oddly (codes, rare names): plain containment.
            needle = nfkc(query).strip().lower()
            ranked = [i for i, title in enumerate(self.titles) if needle and needle in title]
        return [self.keys[i] for i in ranked[:limit]]


_indexes: StampedCache[CatalogIndex] = StampedCache()


def index_for(tenant: str, stamp: object, load: Any) -> CatalogIndex:
    """The index of ``tenant`` at ``stamp``; ``load()`` returns its documents when stale."""
    return _indexes.get(tenant, stamp, lambda: CatalogIndex(load()))
