"""FAQ search scenario: quality on the team's labelled test sets, then speed and memory
at 2,000 entries.

1. Quality: the 亀山市 demo FAQ (``src/machi/assistant/data/kameyama-faq.csv``) against
   the resident queries in ``bench/faq/`` and the casual ones of a second writer in
   ``bench/faq/casual/`` — the fused engine, the lexical channel alone and a plain BM25
   baseline (bm25s over Sudachi mode C) in the same run, as ``faq_eval`` prints them.
2. Speed: the demo FAQ grown to 2,000 entries with generated variants (the same topics
   asked for a branch office, by post, by a proxy …) on one core, per question including
   its embeddings: the fused engine (lexical + USE + e5), lexical + USE, lexical only.
   Targets: fused p95 under 60 ms, lexical + USE p95 under 10 ms. The grown entries reuse
   the real entries' vectors (only the question's encoding and the scoring are timed).
3. Memory: resident size before and after loading both models (target: at most 300 MB).
4. Encoding: entries per second of each encoder on the demo FAQ (one thread), and the
   time a full re-encode of 2,000 entries would take at that rate.

Run alone: ``.venv/bin/python bench/run.py faq_search``.
"""

from __future__ import annotations

import os
import statistics
import time
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


def _rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


_MEMORY_PROBE = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "machi.config.settings")
django.setup()
from machi.assistant import index  # noqa: F401  what a web process has loaded anyway
def rss():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
before = rss()
from machi.assistant.encoders import encoder
for name in ("use", "e5"):
    encoder(name).queries(["住民票を取りたい"])
print(before, rss())
"""


def _model_memory() -> tuple[float, float]:
    """Resident MiB of a fresh Django process before and after loading both models."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    ).stdout.split()
    return float(out[-2]), float(out[-1])


def _stored_vector_load(documents: list[Any], vectors: dict[str, Any]) -> float:
    """Store ``documents`` and their vectors for a bench municipality, then time reading
    the vectors back as the index does."""
    from machi.assistant.models import FaqEntry, FaqVector
    from machi.assistant.selectors import published_entries, stored_vectors
    from machi.core.models import Municipality

    municipality, _ = Municipality.objects.get_or_create(
        code="999999",
        defaults={"name": "ベンチ市", "name_kana": "ベンチシ", "prefecture": "ベンチ県"},
    )
    FaqEntry.objects.filter(municipality=municipality).delete()
    entries = FaqEntry.objects.bulk_create(
        FaqEntry(
            municipality=municipality,
            code=f"e{n}",
            category=d.category or "-",
            question=d.question[:300],
            answer=d.answer,
        )
        for n, d in enumerate(documents)
    )
    FaqVector.objects.bulk_create(
        FaqVector(
            entry=entry,
            encoder=name,
            digest="bench",
            question=v.question[row].tobytes(),
            answer=v.answer[row].tobytes(),
            both=v.both[row].tobytes(),
        )
        for name, v in vectors.items()
        for row, entry in enumerate(entries)
    )
    start = time.perf_counter()
    listed = published_entries(municipality=municipality)
    for name, v in vectors.items():
        stored_vectors(municipality=municipality, entries=listed, encoder=name, dim=v.both.shape[1])
    return time.perf_counter() - start


def bench_faq_search(report: Any) -> dict[str, float]:
    import numpy as np

    from machi.assistant.baseline import BaselineEngine
    from machi.assistant.encoders import encoder
    from machi.assistant.engine import LEXICAL, EntryVectors, FaqEngine
    from machi.assistant.evaluation import (
        encode_faqs,
        load_faqs,
        load_qrels,
        load_queries,
        measure,
    )
    from machi.assistant.tuning_defaults import default_tuning
    from machi.core.japanese.tokens import clear_token_cache

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    documents = load_faqs(FAQ)
    before, after = _model_memory()
    models_mib = after - before
    encoders = {name: encoder(name) for name in ("use", "e5")}
    rates = {}
    vectors = {}
    for name in encoders:
        start = time.perf_counter()
        vectors.update(encode_faqs(documents, [name]))
        rates[name] = len(documents) / (time.perf_counter() - start)
    results: dict[str, float] = {}

    def engine(docs: list[Any], channels: tuple[str, ...], vecs: dict[str, Any]) -> FaqEngine:
        return FaqEngine(
            docs,
            tuning=default_tuning(channels),
            vectors={n: vecs[n] for n in channels[1:]},
            encoders={n: encoders[n] for n in channels[1:]},
        )

    fused_channels = (LEXICAL, "use", "e5")
    for label, folder in (("test set", TEST_SET), ("casual set", TEST_SET / "casual")):
        queries = load_queries(folder / "queries.csv")
        qrels = load_qrels(folder / "qrels.csv")
        fused = measure(lambda: engine(documents, fused_channels, vectors), queries, qrels)
        lexical = measure(lambda: engine(documents, (LEXICAL,), vectors), queries, qrels)
        plain = measure(lambda: BaselineEngine(documents), queries, qrels)
        for name, m in (("fused", fused), ("lexical", lexical), ("bm25", plain)):
            f = m.figures
            report(
                f"{label:<10} {name:<8} {f['queries']} queries: hit@1 {f['hit@1']:.3f}  "
                f"hit@3 {f['hit@3']:.3f}  MRR {f['mrr']:.3f}  nDCG@10 {f['ndcg@10']:.3f}"
            )
            results[f"{label} {name} ndcg@10"] = f["ndcg@10"]
        report(
            f"{label:<10} fused/lexical nDCG@10 ratio "
            f"{fused.figures['ndcg@10'] / lexical.figures['ndcg@10']:.3f}"
        )

    grown = _grown(documents)
    rows = np.arange(len(grown)) % len(documents)
    grown_vectors = {
        name: EntryVectors(v.question[rows], v.answer[rows], v.both[rows])
        for name, v in vectors.items()
    }
    texts = [q.text for q in load_queries(TEST_SET / "queries.csv")] * 2
    timings = {}
    for channels in (fused_channels, (LEXICAL, "use"), (LEXICAL,)):
        start = time.perf_counter()
        index = engine(grown, channels, grown_vectors)
        build_s = time.perf_counter() - start
        index.search(texts[0])  # warm up
        times = []
        for text in texts:
            clear_token_cache()  # every query tokenised afresh, as a new question would be
            start = time.perf_counter()
            index.search(text)
            times.append((time.perf_counter() - start) * 1000)
        p50, p95 = _percentiles(times)
        name = "+".join(channels)
        timings[name] = (p50, p95)
        report(
            f"{name:<18} {ENTRIES} entries, one core: p50 {p50:.2f} ms  p95 {p95:.2f} ms "
            f"(index build {build_s:.2f} s)"
        )
        results[f"{name} p50_ms"] = p50
        results[f"{name} p95_ms"] = p95
        results[f"{name} build_s"] = build_s
    report(
        f"memory: a fresh web process grows by {models_mib:.0f} MiB with both models loaded "
        f"and one question asked ({before:.0f} → {after:.0f} MiB resident)"
    )
    load_s = _stored_vector_load(grown, grown_vectors)
    report(f"stored vectors of {ENTRIES} entries, both encoders, read back: {load_s:.2f} s")
    results["vector_load_s"] = load_s
    for name, rate in rates.items():
        report(
            f"encoding {name}: {rate:.1f} entries/s on one thread; 2,000 entries "
            f"≈ {ENTRIES / rate / 60:.1f} min"
        )
        results[f"encode {name} entries_per_s"] = rate
    fused_p95 = timings["+".join(fused_channels)][1]
    lexical_p95 = timings[LEXICAL][1]
    report(f"fused/lexical p95 ratio {fused_p95 / lexical_p95:.1f}")
    return {
        **results,
        "models_mib": models_mib,
        "ratio": fused_p95 / lexical_p95,
    }
