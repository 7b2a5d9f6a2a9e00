"""Celery tasks of the assistant app: answering LINE webhook events and their sweep, and
encoding FAQ entries for the semantic channel.

All are idempotent: processing an event twice answers and replies once (the row is locked
and its state checked), a second sweep finds nothing more to do, and a second encoding
run finds every vector current.
"""

from __future__ import annotations

from celery import shared_task
from celery.signals import worker_init

from machi.assistant import line
from machi.assistant.services.line_events import line_event_process, line_events_sweep
from machi.assistant.services.vectors import faq_vectors_refresh
from machi.core.models import Municipality


@shared_task(name="assistant.line_event_process")
def line_event_process_task(event_id: str) -> str:
    """Answer one stored LINE event and reply (queued by the webhook on commit)."""
    return line_event_process(event_id=event_id)


@shared_task(name="assistant.line_events_sweep")
def line_events_sweep_task() -> dict[str, int]:
    """Answer LINE events whose task was lost; delete events past retention (every minute)."""
    return line_events_sweep()


@shared_task(name="assistant.faq_vectors_refresh")
def faq_vectors_refresh_task(municipality_id: str) -> dict[str, int]:
    """Encode the municipality's new and changed entries (queued after FAQ changes)."""
    municipality = Municipality.objects.filter(pk=municipality_id).first()
    if municipality is None:
        return {"encoded": 0, "current": 0}
    report = faq_vectors_refresh(municipality=municipality)
    return {"encoded": report.encoded, "current": report.current}


@shared_task(name="assistant.faq_vectors_sweep")
def faq_vectors_sweep_task() -> dict[str, int]:
    """Encode what a lost task left behind, for every municipality (every 10 minutes)."""
    encoded = 0
    for municipality in Municipality.objects.all():
        encoded += faq_vectors_refresh(municipality=municipality).encoded
    return {"encoded": encoded}


@worker_init.connect
def _line_sdk_warm_up(**_kwargs: object) -> None:
    """Load LINE's SDK when a worker starts, not on the first reply (it takes seconds)."""
    line.warm_up()
