"""One search engine per municipality, rebuilt when its FAQ, synonyms, stored vectors or
tuning change.

The stamp is the number of rows and the latest ``updated_at`` of published entries,
active synonyms, stored vectors and the municipality's tuning, read in small aggregate
queries per question, so an edit is searchable on the next question without a restart
(and in every worker process). Vectors are read from the database, never encoded here.
"""

from __future__ import annotations

from django.db.models import Count, Max

from machi.assistant.encoders import enabled_names
from machi.assistant.engine import FaqEngine
from machi.assistant.models import FaqEntry, FaqVector, SearchTuning, Synonym
from machi.assistant.selectors import faq_engine, published_entries
from machi.core.models import Municipality
from machi.core.stamped_cache import StampedCache

_engines: StampedCache[FaqEngine] = StampedCache()


def _stamp(municipality: Municipality) -> object:
    def figures(queryset: object) -> tuple[object, ...]:
        row = queryset.aggregate(n=Count("pk"), latest=Max("updated_at"))  # type: ignore[attr-defined]
        return (row["n"], row["latest"])

    return (
        enabled_names(),
        figures(FaqEntry.objects.filter(municipality=municipality, is_published=True)),
        figures(Synonym.objects.filter(municipality=municipality, is_active=True)),
        figures(FaqVector.objects.filter(entry__municipality=municipality)),
        figures(SearchTuning.objects.filter(municipality=municipality)),
    )


def _build(municipality: Municipality) -> FaqEngine:
    return faq_engine(
        municipality=municipality, entries=published_entries(municipality=municipality)
    )


def engine_for(municipality: Municipality) -> FaqEngine:
    return _engines.get(str(municipality.pk), _stamp(municipality), lambda: _build(municipality))
