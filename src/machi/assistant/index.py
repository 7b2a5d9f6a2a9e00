"""One search engine per municipality, rebuilt when its FAQ or synonyms change.

The stamp is the number of rows and the latest ``updated_at`` of published entries and
active synonyms, read in one small query per request, so an edit is searchable on the next
question without a restart (and in every worker process).
"""

from __future__ import annotations

import threading

from django.db.models import Count, Max

from machi.assistant.engine import FaqDocument, FaqEngine
from machi.assistant.models import FaqEntry, Synonym
from machi.assistant.synonyms import SynonymTable, default_synonyms
from machi.core.models import Municipality

_lock = threading.Lock()
_engines: dict[str, tuple[object, FaqEngine]] = {}


def _stamp(municipality: Municipality) -> object:
    entries = FaqEntry.objects.filter(municipality=municipality, is_published=True).aggregate(
        n=Count("pk"), latest=Max("updated_at")
    )
    synonyms = Synonym.objects.filter(municipality=municipality, is_active=True).aggregate(
        n=Count("pk"), latest=Max("updated_at")
    )
    return (entries["n"], entries["latest"], synonyms["n"], synonyms["latest"])


def synonyms_for(municipality: Municipality) -> SynonymTable:
    """The shipped table plus the municipality's own rows."""
    own = SynonymTable.from_rows(
        (row.canonical, row.variants.split())
        for row in Synonym.objects.filter(municipality=municipality, is_active=True)
    )
    return SynonymTable(default_synonyms().pairs + own.pairs)


def _build(municipality: Municipality) -> FaqEngine:
    entries = FaqEntry.objects.filter(municipality=municipality, is_published=True)
    documents = [
        FaqDocument(str(e.pk), e.question, e.answer, e.category, e.keywords) for e in entries
    ]
    return FaqEngine(documents, synonyms_for(municipality))


def engine_for(municipality: Municipality) -> FaqEngine:
    key = str(municipality.pk)
    stamp = _stamp(municipality)
    cached = _engines.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _lock:
        cached = _engines.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        engine = _build(municipality)
        _engines[key] = (stamp, engine)
        return engine
