"""Reads for the staff pages: weekly answer and resolution rates, the questions that need a
look (unanswered or not resolved) grouped by similarity, and the FAQ list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import pairwise

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from machi.assistant.analysis import word_terms
from machi.assistant.index import synonyms_for
from machi.assistant.models import FaqEntry, Feedback, Turn
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
