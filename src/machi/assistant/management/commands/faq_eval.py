"""Evaluate FAQ retrieval on any FAQ set: the fused engine, the lexical channel alone, the
semantic channels alone and a plain BM25 baseline, measured in the same run. Builds
throw-away indexes; writes nothing to the database."""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from machi.assistant.baseline import BaselineEngine
from machi.assistant.encoders import ENCODER_NAMES, enabled_names, encoder
from machi.assistant.engine import LEXICAL, FaqEngine, Tuning
from machi.assistant.evaluation import (
    EvaluationInputError,
    encode_faqs,
    load_faqs,
    load_qrels,
    load_queries,
    measure,
    reply_figures,
    write_run,
)
from machi.assistant.management.commands._progress import progress_bar
from machi.assistant.tuning_defaults import default_tuning

ROWS = (
    "queries",
    "hit@1",
    "hit@3",
    "hit@10",
    "mrr",
    "ndcg@10",
    "p50_ms",
    "p95_ms",
    "index_build_s",
)


def _rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


class Command(BaseCommand):
    help = (
        "Evaluate FAQ search (fused, lexical, semantic, plain BM25): hit@k, MRR, nDCG@10, latency."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--faqs", required=True, help="CSV with id,question,answer")
        parser.add_argument("--queries", required=True, help="CSV with id,query")
        parser.add_argument("--qrels", required=True, help="CSV with query_id,faq_id,grade")
        parser.add_argument(
            "--encoders",
            help=f"comma-separated, from {', '.join(ENCODER_NAMES)} (default: the settings'; "
            "'none' for lexical only)",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--run", help="write the fused top-10 ranking per query (TSV) here")

    def handle(self, *args: Any, **options: Any) -> None:
        names = self._encoders(options["encoders"])
        try:
            faqs = load_faqs(Path(options["faqs"]))
            queries = load_queries(Path(options["queries"]))
            qrels = load_qrels(Path(options["qrels"]))
        except EvaluationInputError as exc:
            raise CommandError(str(exc)) from exc
        rss_before = _rss_mib()
        encoders = {name: encoder(name) for name in names}
        rss_models = _rss_mib()
        start = time.perf_counter()
        vectors = encode_faqs(faqs, names, None if options["json"] else progress_bar)
        encode_s = time.perf_counter() - start
        fused_tuning = default_tuning((LEXICAL, *names))
        semantic = Tuning({**fused_tuning.weights, LEXICAL: 0.0}, fused_tuning.calibration)

        def engine(tuning: Tuning) -> FaqEngine:
            return FaqEngine(faqs, tuning=tuning, vectors=vectors, encoders=encoders)

        columns = {"fused": measure(lambda: engine(fused_tuning), queries, qrels)}
        columns["lexical"] = measure(lambda: engine(default_tuning((LEXICAL,))), queries, qrels)
        if names:
            columns["semantic"] = measure(lambda: engine(semantic), queries, qrels)
        columns["bm25"] = measure(lambda: BaselineEngine(faqs), queries, qrels)
        if options["run"]:
            write_run(Path(options["run"]), columns["fused"].hits)
        result: dict[str, Any] = {name: m.figures for name, m in columns.items()}
        # Only the fused engine's confidence decides a reply.
        result["replies"] = reply_figures(columns["fused"].hits, qrels)
        result["encoders"] = list(names)
        result["encode_s"] = round(encode_s, 2)
        result["models_rss_mib"] = round(rss_models - rss_before, 1)
        result["rss_mib"] = round(_rss_mib(), 1)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(f"{'':<14}" + "".join(f"{name:>10}" for name in columns))
        for row in ROWS:
            self.stdout.write(
                f"{row:<14}" + "".join(f"{m.figures[row]:>10}" for m in columns.values())
            )
        self.stdout.write(
            f"encoders {', '.join(names) or 'none'}: FAQ encoded in {result['encode_s']} s; "
            f"models {result['models_rss_mib']} MiB, process {result['rss_mib']} MiB resident"
        )
        for name, count in result["replies"].items():
            self.stdout.write(f"{'replies.' + name:<36} {count:>5}")

    def _encoders(self, given: str | None) -> tuple[str, ...]:
        if given is None:
            return enabled_names()
        wanted = [] if given == "none" else [n.strip() for n in given.split(",") if n.strip()]
        unknown = sorted(set(wanted) - set(ENCODER_NAMES))
        if unknown:
            raise CommandError(
                f"unknown encoder(s) {', '.join(unknown)} (不明なエンコーダ); "
                f"choose from {', '.join(ENCODER_NAMES)}"
            )
        return tuple(n for n in ENCODER_NAMES if n in wanted)
