"""Celery tasks of the procedures app: mails to residents and the retention sweep.

All are idempotent: sending an event's mail or a draft's resume link twice sends it once
(the row is locked and its state checked), and purging twice deletes nothing more.
"""

from __future__ import annotations

from celery import shared_task

from machi.procedures.services.drafts import drafts_purge
from machi.procedures.services.mailing import (
    due_event_mails,
    due_resume_mails,
    event_mail_deliver,
    resume_mail_deliver,
)


@shared_task(name="procedures.submission_event_mail_send")
def submission_event_mail_send(event_id: str) -> str:
    return event_mail_deliver(event_id=event_id)


@shared_task(name="procedures.mail_sweep")
def mail_sweep() -> int:
    """Re-send the mails whose retry time has come (scheduled every minute)."""
    events = due_event_mails()
    for event_id in events:
        submission_event_mail_send.delay(event_id)
    drafts = due_resume_mails()
    for draft_id in drafts:
        draft_resume_mail_send.delay(draft_id)
    return len(events) + len(drafts)


@shared_task(name="procedures.draft_resume_mail_send")
def draft_resume_mail_send(draft_id: str, *_earlier_arguments: str) -> str:
    # Messages queued before an upgrade also carried the token, portal URL and language.
    return resume_mail_deliver(draft_id=draft_id)


@shared_task(name="procedures.drafts_purge")
def drafts_purge_task() -> int:
    """Delete drafts past their retention period (scheduled nightly)."""
    return drafts_purge()
