"""Evaluate FAQ retrieval on any FAQ set, with the production engine and the plain
baseline measured in the same run. Builds throw-away indexes; writes nothing to the
database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from machi.assistant.baseline import BaselineEngine
from machi.assistant.engine import FaqEngine
from machi.assistant.evaluation import (
    EvaluationInputError,
    load_faqs,
    load_qrels,
    load_queries,
    measure,
    reply_figures,
    write_run,
)


class Command(BaseCommand):
    help = "Evaluate FAQ search: hit@k, MRR, nDCG@10 and latency, against a plain baseline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--faqs", required=True, help="CSV with id,question,answer")
        parser.add_argument("--queries", required=True, help="CSV with id,query")
        parser.add_argument("--qrels", required=True, help="CSV with query_id,faq_id,grade")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--run", help="write the top-10 ranking per query (TSV) here")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            faqs = load_faqs(Path(options["faqs"]))
            queries = load_queries(Path(options["queries"]))
            qrels = load_qrels(Path(options["qrels"]))
        except EvaluationInputError as exc:
            raise CommandError(str(exc)) from exc
        engine = measure(lambda: FaqEngine(faqs), queries, qrels)
        baseline = measure(lambda: BaselineEngine(faqs), queries, qrels)
        if options["run"]:
            write_run(Path(options["run"]), engine.hits)
        # The baseline has no confidence, so only the engine's replies are counted.
        replies = reply_figures(engine.hits, qrels)
        result = {**engine.figures, "replies": replies, "baseline": baseline.figures}
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        for name in ("queries", "hit@1", "hit@3", "hit@10", "mrr", "ndcg@10", "p50_ms", "p95_ms"):
            self.stdout.write(f"{name:<14} {engine.figures[name]:>10} {baseline.figures[name]:>10}")
        self.stdout.write(
            f"{'index_build_s':<14} {engine.figures['index_build_s']:>10} "
            f"{baseline.figures['index_build_s']:>10}"
        )
        for name, count in replies.items():
            self.stdout.write(f"{'replies.' + name:<36} {count:>5}")
