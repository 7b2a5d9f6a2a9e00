"""Celery tasks of the procedures app: mails to residents and the retention sweep.

All are idempotent: sending an event's mail twice sends it once (the row is locked and its
state checked), and purging twice deletes nothing more.
"""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from machi.procedures.mail import resume_mail
from machi.procedures.models import Draft
from machi.procedures.services.drafts import drafts_purge
from machi.procedures.services.mailing import due_event_mails, event_mail_deliver


@shared_task(name="procedures.submission_event_mail_send")
def submission_event_mail_send(event_id: str) -> str:
    return event_mail_deliver(event_id=event_id)


@shared_task(name="procedures.mail_sweep")
def mail_sweep() -> int:
    """Re-send the mails whose retry time has come (scheduled every minute)."""
    due = due_event_mails()
    for event_id in due:
        submission_event_mail_send.delay(event_id)
    return len(due)


@shared_task(
    name="procedures.draft_resume_mail_send",
    autoretry_for=(OSError, SMTPException),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=6,
)
def draft_resume_mail_send(draft_id: str, token: str, portal_url: str, language: str) -> bool:
    draft = (
        Draft.objects.select_related("procedure", "procedure__municipality")
        .filter(pk=draft_id)
        .first()
    )
    if draft is None or not draft.resume_email:
        return False
    resume_mail(draft, token, portal_url, language).send(fail_silently=False)
    return True


@shared_task(name="procedures.drafts_purge")
def drafts_purge_task() -> int:
    """Delete drafts past their retention period (scheduled nightly)."""
    return drafts_purge()
