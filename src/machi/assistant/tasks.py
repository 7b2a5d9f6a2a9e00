"""Celery tasks of the assistant app: answering LINE webhook events and their sweep.

Both are idempotent: processing an event twice answers and replies once (the row is locked
and its state checked), and a second sweep finds nothing more to do.
"""

from __future__ import annotations

from celery import shared_task
from celery.signals import worker_init

from machi.assistant import line
from machi.assistant.services.line_events import line_event_process, line_events_sweep


@shared_task(name="assistant.line_event_process")
def line_event_process_task(event_id: str) -> str:
    """Answer one stored LINE event and reply (queued by the webhook on commit)."""
    return line_event_process(event_id=event_id)


@shared_task(name="assistant.line_events_sweep")
def line_events_sweep_task() -> dict[str, int]:
    """Answer LINE events whose task was lost; delete events past retention (every minute)."""
    return line_events_sweep()


@worker_init.connect
def _line_sdk_warm_up(**_kwargs: object) -> None:
    """Load LINE's SDK when a worker starts, not on the first reply (it takes seconds)."""
    line.warm_up()
