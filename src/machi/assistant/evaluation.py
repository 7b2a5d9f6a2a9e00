"""Offline evaluation of FAQ retrieval: load a FAQ, queries and graded judgements from
CSV, build throw-away indexes (the engine's channels and the plain baseline), and compute
hit@k, MRR, nDCG@10 and latency. Nothing is read from or written to the database."""

from __future__ import annotations

import csv
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from .embedding import Progress, encode_documents
from .encoders import encoder
from .engine import CANDIDATES, EntryVectors, FaqDocument, Hit, ReplyKind, reply_kind

DEPTH = 10


class Searcher(Protocol):
    def search(self, query: str, limit: int = 10) -> list[Hit]: ...


class EvaluationInputError(ValueError):
    """A CSV file is missing, unreadable or lacks a column; the message says which."""


@dataclass(frozen=True)
class Query:
    key: str
    text: str


def _rows(path: Path, required: Sequence[str]) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise EvaluationInputError(
                    f"{path}: missing column(s) {', '.join(missing)} "
                    f"(列がありません: {', '.join(missing)})"
                )
            return list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise EvaluationInputError(f"{path}: {exc} (読み込めません)") from exc


def encode_faqs(
    documents: Sequence[FaqDocument], names: Sequence[str], progress: Progress | None = None
) -> dict[str, EntryVectors]:
    """Every encoder's embeddings of ``documents`` (what the database stores in production)."""
    return {name: encode_documents(documents, encoder(name), progress) for name in names}


def load_faqs(path: Path) -> list[FaqDocument]:
    return [
        FaqDocument(
            key=row["id"],
            question=row["question"],
            answer=row["answer"],
            category=row.get("category") or "",
            keywords=row.get("keywords") or "",
        )
        for row in _rows(path, ["id", "question", "answer"])
    ]


def load_queries(path: Path) -> list[Query]:
    return [Query(row["id"], row["query"]) for row in _rows(path, ["id", "query"])]


def load_qrels(path: Path) -> dict[str, dict[str, int]]:
    judged: dict[str, dict[str, int]] = {}
    for number, row in enumerate(_rows(path, ["query_id", "faq_id", "grade"]), start=2):
        try:
            grade = int(row["grade"])
        except ValueError as exc:
            raise EvaluationInputError(
                f"{path}, line {number}: grade must be 0, 1 or 2 (grade は 0・1・2)"
            ) from exc
        judged.setdefault(row["query_id"], {})[row["faq_id"]] = grade
    return judged


def _dcg(gains: Sequence[int]) -> float:
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(gains))


def metrics(rankings: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict[str, Any]:
    """hit@1/3/10 and MRR over queries with a grade-2 answer (grade-2 hits count); nDCG@10
    with gain 2^grade − 1 over queries with any judged answer."""
    answered = [q for q in rankings if any(g == 2 for g in qrels.get(q, {}).values())]
    judged = [q for q in rankings if any(g > 0 for g in qrels.get(q, {}).values())]

    def first_correct(query: str) -> int | None:
        for rank, key in enumerate(rankings[query][:DEPTH], start=1):
            if qrels[query].get(key) == 2:
                return rank
        return None

    ranks = [first_correct(q) for q in answered]

    def hit(k: int) -> float:
        return sum(1 for r in ranks if r is not None and r <= k) / len(ranks) if ranks else 0.0

    ndcgs = []
    for query in judged:
        grades = qrels[query]
        gains = [max(grades.get(key, 0), 0) for key in rankings[query][:DEPTH]]
        ideal = _dcg(sorted((g for g in grades.values() if g > 0), reverse=True)[:DEPTH])
        ndcgs.append(_dcg(gains) / ideal if ideal else 0.0)
    return {
        "queries": len(rankings),
        "hit@1": round(hit(1), 4),
        "hit@3": round(hit(3), 4),
        "hit@10": round(hit(10), 4),
        "mrr": round(sum(1 / r for r in ranks if r) / len(ranks), 4) if ranks else 0.0,
        "ndcg@10": round(statistics.fmean(ndcgs), 4) if ndcgs else 0.0,
    }


def reply_figures(hits: dict[str, list[Hit]], qrels: dict[str, dict[str, int]]) -> dict[str, int]:
    """What the chat would reply (``engine.reply_kind``): how many queries get an answer,
    candidates or "not found", and how many of each show a correct (grade-2) entry — the
    answer itself, or one of the candidates; for "not found", one it had but did not show."""
    figures = {f"{kind}{suffix}": 0 for kind in ReplyKind for suffix in ("", "_with_correct")}
    for query, ranked in hits.items():
        kind = reply_kind(ranked)
        shown = ranked[:1] if kind == ReplyKind.ANSWER else ranked[:CANDIDATES]
        figures[kind] += 1
        if any(qrels.get(query, {}).get(hit.key) == 2 for hit in shown):
            figures[f"{kind}_with_correct"] += 1
    return figures


@dataclass
class Measured:
    figures: dict[str, Any]
    hits: dict[str, list[Hit]]


def measure(
    build: Callable[[], Searcher], queries: Sequence[Query], qrels: dict[str, dict[str, int]]
) -> Measured:
    start = time.perf_counter()
    searcher = build()
    build_seconds = time.perf_counter() - start
    hits: dict[str, list[Hit]] = {}
    times = []
    for query in queries:
        start = time.perf_counter()
        hits[query.key] = searcher.search(query.text, limit=DEPTH)
        times.append((time.perf_counter() - start) * 1000)
    figures = metrics({k: [h.key for h in v] for k, v in hits.items()}, qrels)
    figures["p50_ms"] = round(statistics.median(times), 3) if times else 0.0
    figures["p95_ms"] = (
        round(statistics.quantiles(times, n=20)[18], 3) if len(times) > 1 else figures["p50_ms"]
    )
    figures["index_build_s"] = round(build_seconds, 3)
    return Measured(figures, hits)


def write_run(path: Path, hits: dict[str, list[Hit]]) -> None:
    """``query_id<TAB>faq_id<TAB>rank<TAB>score`` for every query's top 10."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        for query, ranked in hits.items():
            for rank, hit in enumerate(ranked[:DEPTH], start=1):
                handle.write(f"{query}\t{hit.key}\t{rank}\t{hit.score:.6f}\n")
