"""Fit the fusion weights and the confidence calibration on judged questions.

Without ``--municipality`` it reads the FAQ from ``--faqs`` (a CSV) and prints the tuning
of each set of channels (this is how machi's defaults in ``tuning_defaults.py`` were
made). With ``--municipality`` it reads that municipality's published FAQ from the
database, the questions' ``faq_id`` being entry codes, and ``--save`` stores the tuning of
the channels in use, which the chat then uses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from machi.assistant.encoders import ENCODER_NAMES, enabled_names, encoder
from machi.assistant.engine import LEXICAL, FaqDocument, FaqEngine, Tuning
from machi.assistant.evaluation import (
    EvaluationInputError,
    encode_faqs,
    load_faqs,
    load_qrels,
    load_queries,
)
from machi.assistant.fitting import Judged, fit
from machi.assistant.management.commands._progress import progress_bar


class Command(BaseCommand):
    help = "Fit the FAQ search's channel weights and confidence calibration on judged questions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--faqs", help="CSV with id,question,answer (offline)")
        parser.add_argument("--municipality", help="municipality code: its FAQ in the database")
        parser.add_argument("--queries", required=True, help="CSV with id,query")
        parser.add_argument("--qrels", required=True, help="CSV with query_id,faq_id,grade")
        parser.add_argument("--save", action="store_true", help="store the municipality's tuning")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["save"] and not options["municipality"]:
            raise CommandError("--save needs --municipality (保存には --municipality が必要です)")
        try:
            queries = load_queries(Path(options["queries"]))
            qrels = load_qrels(Path(options["qrels"]))
            documents, names, source = self._faqs(options)
        except EvaluationInputError as exc:
            raise CommandError(str(exc)) from exc
        vectors = encode_faqs(documents, names, progress_bar)
        everything = Tuning({LEXICAL: 1.0, **dict.fromkeys(names, 1.0)}, (1.0, 0.0, 0.0, 0.0))
        engine = FaqEngine(
            documents,
            tuning=everything,
            vectors=vectors,
            encoders={n: encoder(n) for n in names},
        )
        questions = {q.key: Judged(q.text, engine.channel_scores(q.text)) for q in queries}
        fitted_on = f"{Path(options['queries']).name}, {len(queries)} questions, {source}"
        results = {}
        for count in range(len(names) + 1):
            for chosen in _subsets(names, count):
                channels = (LEXICAL, *chosen)
                tuning = fit(
                    questions, engine.keys, qrels, channels, fitted_on, engine.lexical.coverage
                )
                results["+".join(channels)] = tuning
                self.stdout.write(
                    json.dumps({"+".join(channels): tuning.as_dict()}, ensure_ascii=False)
                )
        if options["save"]:
            from machi.assistant.services.tuning import search_tuning_save

            key = "+".join((LEXICAL, *names))
            search_tuning_save(code=options["municipality"], channels=key, tuning=results[key])
            self.stdout.write(f"saved the tuning of {key} for {options['municipality']}")

    def _faqs(self, options: dict[str, Any]) -> tuple[list[FaqDocument], tuple[str, ...], str]:
        if options["municipality"]:
            from machi.assistant.selectors import published_documents
            from machi.core.models import Municipality

            municipality = Municipality.objects.filter(code=options["municipality"]).first()
            if municipality is None:
                raise CommandError(
                    f"no municipality {options['municipality']} (自治体がありません)"
                )
            return (
                published_documents(municipality=municipality, key="code"),
                enabled_names(),
                municipality.code,
            )
        if not options["faqs"]:
            raise CommandError("give --faqs or --municipality (--faqs か --municipality を指定)")
        return load_faqs(Path(options["faqs"])), ENCODER_NAMES, Path(options["faqs"]).name


def _subsets(names: tuple[str, ...], count: int) -> list[tuple[str, ...]]:
    import itertools

    return list(itertools.combinations(names, count))
