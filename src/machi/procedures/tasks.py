"""Celery tasks of the procedures app: the retention sweep.

Mails to residents are messages of the outbox of notices since ADR 0019, sent by
``notices.messages_dispatch``. The three mail tasks of before stay, doing nothing, for
one release: a task queued before the upgrade finds a name to run instead of an error,
and its mail was moved into the outbox by migration 0007.
"""

from __future__ import annotations

from celery import shared_task

from machi.procedures.services.drafts import drafts_purge


@shared_task(name="procedures.submission_event_mail_send")
def submission_event_mail_send(*_earlier_arguments: str) -> str:
    return "moved to the outbox"


@shared_task(name="procedures.draft_resume_mail_send")
def draft_resume_mail_send(*_earlier_arguments: str) -> str:
    return "moved to the outbox"


@shared_task(name="procedures.mail_sweep")
def mail_sweep() -> int:
    return 0


@shared_task(name="procedures.drafts_purge")
def drafts_purge_task() -> int:
    """Delete drafts past their retention period (scheduled nightly)."""
    return drafts_purge()
