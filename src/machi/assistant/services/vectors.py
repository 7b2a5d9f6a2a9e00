"""Stored embeddings of FAQ entries: encode what is missing or stale, for every encoder in
use. Idempotent: a second run finds nothing to do. Queued after every FAQ change
(``faq_vectors_changed``); the embedded default runs it in-process at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from machi.assistant.embedding import Progress, digest, encode_documents
from machi.assistant.encoders import enabled_encoders
from machi.assistant.models import FaqEntry, FaqVector
from machi.assistant.selectors import document_of
from machi.core.models import Municipality
from machi.core.task_queue import enqueue_on_commit


@dataclass(frozen=True)
class RefreshReport:
    encoded: int
    current: int


def faq_vectors_refresh(
    *, municipality: Municipality, progress: Progress | None = None, force: bool = False
) -> RefreshReport:
    """Encode every published entry whose stored vectors are missing or stale (every
    entry with ``force``)."""
    entries = list(FaqEntry.objects.filter(municipality=municipality, is_published=True))
    encoded = current = 0
    for encoder in enabled_encoders():
        stored = dict(
            FaqVector.objects.filter(entry__in=entries, encoder=encoder.name).values_list(
                "entry_id", "digest"
            )
        )
        todo = []
        for entry in entries:
            wanted = digest(document_of(entry), encoder)
            if stored.get(entry.pk) == wanted and not force:
                current += 1
            else:
                todo.append((entry, wanted))
        if not todo:
            continue
        vectors = encode_documents([document_of(e) for e, _d in todo], encoder, progress)
        with transaction.atomic():
            for row, (entry, wanted) in enumerate(todo):
                FaqVector.objects.update_or_create(
                    entry=entry,
                    encoder=encoder.name,
                    defaults={
                        "digest": wanted,
                        "question": _bytes(vectors.question[row]),
                        "answer": _bytes(vectors.answer[row]),
                        "both": _bytes(vectors.both[row]),
                    },
                )
        encoded += len(todo)
    return RefreshReport(encoded, current)


def _bytes(vector: np.ndarray) -> bytes:
    return np.ascontiguousarray(vector, dtype="<f4").tobytes()


_local = threading.local()


@contextmanager
def faq_vectors_deferred() -> Iterator[None]:
    """Changes inside queue no encoding: the caller encodes afterwards itself (the import
    command does, with a progress bar)."""
    _local.deferred = True
    try:
        yield
    finally:
        _local.deferred = False


def faq_vectors_changed(municipality: Municipality) -> None:
    """After commit, queue the encoding of the municipality's changed entries — once per
    transaction (a CSV import of 2,000 rows queues one task)."""
    if getattr(_local, "deferred", False):
        return
    key = str(municipality.pk)
    enqueue_on_commit("assistant.faq_vectors_refresh", key, once=f"faq-vectors:{key}")
