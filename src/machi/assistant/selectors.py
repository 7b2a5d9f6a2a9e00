"""Reads for the staff pages: weekly answer and resolution rates, the questions that need a
look (unanswered or not resolved) grouped by similarity, and the FAQ list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from machi.assistant.analysis import word_terms
from machi.assistant.embedding import encode_documents
from machi.assistant.encoders import enabled_names, encoder
from machi.assistant.engine import LEXICAL, EntryVectors, FaqDocument, FaqEngine, Tuning
from machi.assistant.models import FaqEntry, FaqVector, Feedback, SearchTuning, Synonym, Turn
from machi.assistant.synonym_table import SynonymTable, default_synonyms
from machi.assistant.tuning_defaults import default_tuning
from machi.core.japanese.tokens import READING_MARK
from machi.core.models import Municipality

SIMILAR: float = 0.5  # Jaccard overlap of content words for two questions to group


@dataclass(frozen=True)
class Week:
    starts: dt.date
    asked: int
    answered: int
    resolved: int
    rated: int

    @property
    def answer_rate(self) -> int:
        return round(100 * self.answered / self.asked) if self.asked else 0

    @property
    def resolution_rate(self) -> int | None:
        return round(100 * self.resolved / self.rated) if self.rated else None


def weekly_figures(*, municipality: Municipality, weeks: int = 12) -> list[Week]:
    """Questions, answered with confidence, and 解決した among rated turns, per week (Monday)."""
    today = timezone.localdate()
    first = today - dt.timedelta(days=today.weekday() + 7 * (weeks - 1))
    zone = timezone.get_current_timezone()
    starts = [first + dt.timedelta(weeks=n) for n in range(weeks)]
    bounds = [dt.datetime.combine(day, dt.time(), tzinfo=zone) for day in starts]
    bounds.append(bounds[-1] + dt.timedelta(weeks=1))
    counts = {}
    for index, (start, end) in enumerate(pairwise(bounds)):
        period = Q(asked_at__gte=start, asked_at__lt=end)
        counts[f"a{index}"] = Count("pk", filter=period)
        counts[f"o{index}"] = Count("pk", filter=period & Q(answered=True))
        counts[f"r{index}"] = Count("pk", filter=period & Q(feedback=Feedback.RESOLVED))
        counts[f"f{index}"] = Count("pk", filter=period & ~Q(feedback=Feedback.NONE))
    row = Turn.objects.filter(municipality=municipality, asked_at__gte=bounds[0]).aggregate(
        **counts
    )
    return [
        Week(day, row[f"a{n}"], row[f"o{n}"], row[f"r{n}"], row[f"f{n}"])
        for n, day in enumerate(starts)
    ]


@dataclass
class QuestionGroup:
    question: str  # the most recent wording
    terms: set[str]
    turns: list[Turn] = field(default_factory=list)

    @property
    def unanswered(self) -> int:
        return sum(1 for t in self.turns if not t.answered)

    @property
    def unresolved(self) -> int:
        return sum(1 for t in self.turns if t.feedback == Feedback.UNRESOLVED)

    @property
    def last_asked(self) -> dt.datetime:
        return max(t.asked_at for t in self.turns)


def questions_to_review(
    *, municipality: Municipality, days: int = 30, limit: int = 500
) -> list[QuestionGroup]:
    """Unanswered or 解決しなかった questions of the last ``days``, similar ones together,
    the most frequent first."""
    since = timezone.now() - dt.timedelta(days=days)
    turns = (
        Turn.objects.filter(municipality=municipality, asked_at__gte=since)
        .filter(Q(answered=False) | Q(feedback=Feedback.UNRESOLVED))
        .select_related("entry")
        .order_by("-asked_at")[:limit]
    )
    synonyms = synonyms_for(municipality)
    groups: list[QuestionGroup] = []
    for turn in turns:
        terms = {
            t for t in word_terms(turn.question, synonyms) if not t.startswith(READING_MARK)
        } or {turn.question}
        best = max(groups, key=lambda g: _jaccard(g.terms, terms), default=None)
        if best is not None and _jaccard(best.terms, terms) >= SIMILAR:
            best.turns.append(turn)
        else:
            groups.append(QuestionGroup(turn.question, terms, [turn]))
    return sorted(groups, key=lambda g: (-len(g.turns), -g.last_asked.timestamp()))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def faq_entries(*, municipality: Municipality, query: str = "") -> QuerySet[FaqEntry]:
    entries = FaqEntry.objects.filter(municipality=municipality).select_related("procedure")
    if query:
        entries = entries.filter(
            Q(question__icontains=query) | Q(answer__icontains=query) | Q(code__icontains=query)
        )
    return entries.order_by("category", "code")


def synonyms_for(municipality: Municipality) -> SynonymTable:
    """The shipped table plus the municipality's own rows."""
    own = SynonymTable.from_rows(
        (row.canonical, row.variants.split())
        for row in Synonym.objects.filter(municipality=municipality, is_active=True)
    )
    return SynonymTable(default_synonyms().pairs + own.pairs)


def document_of(entry: FaqEntry, key: str = "pk") -> FaqDocument:
    return FaqDocument(
        str(entry.code if key == "code" else entry.pk),
        entry.question,
        entry.answer,
        entry.category,
        entry.keywords,
    )


def published_entries(*, municipality: Municipality) -> list[FaqEntry]:
    return list(FaqEntry.objects.filter(municipality=municipality, is_published=True))


def published_documents(*, municipality: Municipality, key: str = "pk") -> list[FaqDocument]:
    return [document_of(e, key) for e in published_entries(municipality=municipality)]


def stored_vectors(
    *, municipality: Municipality, entries: list[FaqEntry], encoder: str, dim: int
) -> EntryVectors:
    """The stored embeddings of ``entries`` in their order (NaN rows where none is stored)."""
    position = {entry.pk: row for row, entry in enumerate(entries)}
    parts = {
        name: np.full((len(entries), dim), np.nan, dtype=np.float32)
        for name in ("question", "answer", "both")
    }
    rows = FaqVector.objects.filter(
        entry__municipality=municipality, entry__is_published=True, encoder=encoder
    ).values_list("entry_id", "question", "answer", "both")
    for entry_id, *vectors in rows:
        if entry_id not in position:
            continue
        for name, raw in zip(("question", "answer", "both"), vectors, strict=True):
            vector = np.frombuffer(bytes(raw), dtype="<f4")
            if vector.shape == (dim,):
                parts[name][position[entry_id]] = vector
    return EntryVectors(**parts)


def vector_progress(*, municipality: Municipality, encoders: tuple[str, ...]) -> tuple[int, int]:
    """(entry vectors stored, entry vectors needed) for the published FAQ: the encoding's
    progress as staff see it. A stale vector still counts until it is replaced."""
    published = FaqEntry.objects.filter(municipality=municipality, is_published=True)
    needed = published.count() * len(encoders)
    stored = FaqVector.objects.filter(entry__in=published, encoder__in=encoders).count()
    return stored, needed


def tuning_for(municipality: Municipality, channels: tuple[str, ...]) -> Tuning:
    """The municipality's own tuning of these channels, or machi's default."""
    own = SearchTuning.objects.filter(municipality=municipality, channels="+".join(channels))
    row = own.first()
    return Tuning.from_dict(row.data) if row is not None else default_tuning(channels)


def faq_engine(
    *,
    municipality: Municipality,
    entries: list[FaqEntry],
    adding: FaqDocument | None = None,
) -> FaqEngine:
    """An engine over ``entries`` with their stored vectors and the municipality's
    synonyms and tuning; ``adding`` (an entry being edited, not saved) is encoded now and
    searched with them. An encoder with nothing stored yet (its first encoding still
    running) sits out; one part-way through counts, the entries still missing scoring as
    average ones."""
    vectors = {}
    for name in enabled_names():
        stored = stored_vectors(
            municipality=municipality, entries=entries, encoder=name, dim=encoder(name).dim
        )
        if not entries or np.isnan(stored.both).all():
            continue
        if adding is not None:
            new = encode_documents([adding], encoder(name))
            stored = EntryVectors(
                *(
                    np.vstack([getattr(stored, part), getattr(new, part)])
                    for part in ("question", "answer", "both")
                )
            )
        vectors[name] = stored
    documents = [document_of(e) for e in entries] + ([adding] if adding is not None else [])
    return FaqEngine(
        documents,
        tuning=tuning_for(municipality, (LEXICAL, *vectors)),
        synonyms=synonyms_for(municipality),
        vectors=vectors,
        encoders={name: encoder(name) for name in vectors},
    )


def faq_ranking_preview(
    *,
    municipality: Municipality,
    edited: FaqDocument,
    replaces: FaqEntry | None,
    samples: list[str],
) -> list[dict[str, Any]]:
    """For each sample question: where the edited entry would rank among the published
    ones (``replaces`` left out), with what confidence, and what would come first. The
    edited text is encoded now; the others' stored vectors are used."""
    others = [
        e
        for e in published_entries(municipality=municipality)
        if replaces is None or e.pk != replaces.pk
    ]
    engine = faq_engine(municipality=municipality, entries=others, adding=edited)
    questions = {str(e.pk): e.question for e in others}
    rows = []
    for sample in samples:
        hits = engine.search(sample, limit=10)
        rank = next((n for n, h in enumerate(hits, start=1) if h.key == edited.key), None)
        first = hits[0] if hits else None
        rows.append(
            {
                "query": sample,
                "rank": rank,
                "confidence": round(100 * hits[rank - 1].confidence) if rank else None,
                "first": None
                if first is None or first.key == edited.key
                else questions.get(first.key, ""),
            }
        )
    return rows
