"""One search engine per municipality, rebuilt when its FAQ, synonyms, stored vectors or
tuning change.

The stamp is the number of rows and the latest ``updated_at`` of published entries,
active synonyms, stored vectors and the municipality's tuning, read in small aggregate
queries per question, so an edit is searchable on the next question without a restart
(and in every worker process). Vectors are read from the database, never encoded here.
"""

from __future__ import annotations

import numpy as np
from django.db.models import Count, Max

from machi.assistant.encoders import enabled_names, encoder
from machi.assistant.engine import LEXICAL, FaqEngine
from machi.assistant.models import FaqEntry, FaqVector, SearchTuning, Synonym
from machi.assistant.selectors import (
    document_of,
    published_entries,
    stored_vectors,
    synonyms_for,
    tuning_for,
)
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
    entries = published_entries(municipality=municipality)
    vectors = {}
    for name in enabled_names():
        stored = stored_vectors(
            municipality=municipality, entries=entries, encoder=name, dim=encoder(name).dim
        )
        # An encoder with nothing stored yet (its first encoding still running) sits out;
        # one part-way through counts, the entries still missing scoring as average ones.
        if entries and not np.isnan(stored.both).all():
            vectors[name] = stored
    return FaqEngine(
        [document_of(e) for e in entries],
        tuning=tuning_for(municipality, (LEXICAL, *vectors)),
        synonyms=synonyms_for(municipality),
        vectors=vectors,
        encoders={name: encoder(name) for name in vectors},
    )


def engine_for(municipality: Municipality) -> FaqEngine:
    return _engines.get(str(municipality.pk), _stamp(municipality), lambda: _build(municipality))
