"""One search engine per municipality, rebuilt when its FAQ or synonyms change.

The stamp is the number of rows and the latest ``updated_at`` of published entries and
active synonyms, read in two small aggregate queries per question, so an edit is searchable
on the next question without a restart (and in every worker process).
"""

from __future__ import annotations

from django.db.models import Count, Max

from machi.assistant.engine import FaqDocument, FaqEngine
from machi.assistant.models import FaqEntry, Synonym
from machi.assistant.synonyms import SynonymTable, default_synonyms
from machi.core.models import Municipality
from machi.core.stamped_cache import StampedCache

_engines: StampedCache[FaqEngine] = StampedCache()


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


def document_of(entry: FaqEntry) -> FaqDocument:
    return FaqDocument(str(entry.pk), entry.question, entry.answer, entry.category, entry.keywords)


def _build(municipality: Municipality) -> FaqEngine:
    entries = FaqEntry.objects.filter(municipality=municipality, is_published=True)
    return FaqEngine([document_of(e) for e in entries], synonyms_for(municipality))


def engine_for(municipality: Municipality) -> FaqEngine:
    return _engines.get(str(municipality.pk), _stamp(municipality), lambda: _build(municipality))
