"""FAQ search scenario: quality on the team's labelled test set, then speed at 2,000 entries.

1. Quality: the 亀山市 demo FAQ (``src/machi/assistant/data/kameyama-faq.csv``) against
   the resident queries and grades in ``bench/faq/`` — the same figures ``faq_eval``
   prints, for the engine and the plain baseline measured in the same run.
2. Speed: the demo FAQ grown to 2,000 entries with generated variants (the same topics
   asked for a branch office, by post, by a proxy …), on one core: query p50/p95, index
   build time and the memory the index holds, against rank_bm25 (``BM25Okapi``) scoring
   the same tokens in the same run. Targets: p95 under 10 ms, build under 3 s.

Run alone: ``.venv/bin/python bench/run.py faq_search``.
"""

from __future__ import annotations

import os
import statistics
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FAQ = ROOT / "src" / "machi" / "assistant" / "data" / "kameyama-faq.csv"
TEST_SET = ROOT / "bench" / "faq"
ENTRIES = 2_000
VARIANTS = [
    ("関支所で", "関支所でも同じ手続ができます。"),
    ("郵送で", "郵送の場合は請求書と返信用封筒を同封してください。"),
    ("代理人が", "代理人の場合は委任状が必要です。"),
    ("土曜日に", "土曜日は窓口が閉まっていますが、オンラインで受け付けています。"),
    ("外国籍の方が", "外国籍の方は在留カードをお持ちください。"),
    ("施設に入所している人が", "施設に入所している方は、ご家族が代わりに手続できます。"),
    ("高齢の家族のために", "ご家族が代わりに申請する場合は本人確認書類をお持ちください。"),
    ("急いで", "急ぎの場合は事前に担当課へお問い合わせください。"),
    ("スマートフォンから", "スマートフォンからはマイナンバーカードで申請できます。"),
    ("市外に住んでいる人が", "市外にお住まいの方は郵送でも請求できます。"),
    ("平日の夜に", "平日の夜間は電話予約のうえ窓口で受け付けます。"),
    ("子どもの分を", "お子さんの分は保護者が手続してください。"),
    ("英語で", "英語の案内も用意しています。"),
]


def _grown(documents: list[Any]) -> list[Any]:
    """``ENTRIES`` documents: the originals, then variants asked in another situation."""
    from machi.assistant.engine import FaqDocument

    grown = list(documents)
    round_ = 0
    while len(grown) < ENTRIES:
        for doc in documents:
            prefix, sentence = VARIANTS[(round_ + len(grown)) % len(VARIANTS)]
            grown.append(
                FaqDocument(
                    key=f"{doc.key}-v{round_}-{len(grown)}",
                    question=f"{prefix}{doc.question}",
                    answer=f"{doc.answer}{sentence}",
                    category=doc.category,
                    keywords=doc.keywords,
                )
            )
            if len(grown) == ENTRIES:
                break
        round_ += 1
    return grown


def _percentiles(times: list[float]) -> tuple[float, float]:
    return statistics.median(times), statistics.quantiles(times, n=20)[18]


def bench_faq_search(report: Any) -> dict[str, float]:
    import numpy as np
    from rank_bm25 import BM25Okapi

    from machi.assistant.analysis import word_terms
    from machi.assistant.baseline import BaselineEngine
    from machi.assistant.engine import FaqEngine
    from machi.assistant.evaluation import load_faqs, load_qrels, load_queries, measure
    from machi.core.japanese.tokens import clear_token_cache

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    documents = load_faqs(FAQ)
    queries = load_queries(TEST_SET / "queries.csv")
    qrels = load_qrels(TEST_SET / "qrels.csv")
    engine = measure(lambda: FaqEngine(documents), queries, qrels).figures
    baseline = measure(lambda: BaselineEngine(documents), queries, qrels).figures
    for label, figures in (("engine", engine), ("baseline", baseline)):
        report(
            f"{label:<9} {len(documents)} entries, {figures['queries']} queries: "
            f"hit@1 {figures['hit@1']:.3f}  hit@3 {figures['hit@3']:.3f}  "
            f"hit@10 {figures['hit@10']:.3f}  MRR {figures['mrr']:.3f}  "
            f"nDCG@10 {figures['ndcg@10']:.3f}"
        )

    grown = _grown(documents)
    tracemalloc.start()
    start = time.perf_counter()
    index = FaqEngine(grown)
    build_s = time.perf_counter() - start
    index_mib = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    texts = [q.text for q in queries] * 3
    index.search(texts[0])  # warm up
    times = []
    for text in texts:
        clear_token_cache()  # every query tokenised afresh, as a new question would be
        start = time.perf_counter()
        index.search(text)
        times.append((time.perf_counter() - start) * 1000)
    p50, p95 = _percentiles(times)

    synonyms = index.synonyms
    corpus = [word_terms(f"{d.question}\n{d.keywords}\n{d.answer}", synonyms) for d in grown]
    okapi = BM25Okapi(corpus)
    tokens = [word_terms(text, synonyms) for text in texts]
    plain_times = []
    for terms in tokens:
        start = time.perf_counter()
        scores = okapi.get_scores(terms)
        np.argpartition(-scores, 10)[:10]
        plain_times.append((time.perf_counter() - start) * 1000)
    plain_p50, plain_p95 = _percentiles(plain_times)
    report(
        f"engine    {ENTRIES} entries, one core: query p50 {p50:.2f} ms  p95 {p95:.2f} ms, "
        f"build {build_s:.2f} s, index {index_mib:.1f} MiB"
    )
    report(
        f"baseline: rank_bm25 BM25Okapi, same tokens: p50 {plain_p50:.2f} ms  "
        f"p95 {plain_p95:.2f} ms (scoring only)"
    )
    return {
        **{f"quality {k}": v for k, v in engine.items()},
        **{f"baseline {k}": v for k, v in baseline.items()},
        "query_p50_ms": p50,
        "query_p95_ms": p95,
        "build_s": build_s,
        "index_mib": index_mib,
        "rank_bm25_p50_ms": plain_p50,
        "rank_bm25_p95_ms": plain_p95,
        "ratio": p50 / plain_p50,
    }
