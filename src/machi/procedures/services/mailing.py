"""Sending the mail of each submission event (and each draft's resume link), and retrying
it until the server takes it.

A failed send never touches the submission: the event keeps ``mail_state = pending`` with
the next attempt time on a ladder (1 min, 5 min, 15 min, 1 h, 6 h, 1 day), and the sweep
task sends it again. After the last rung it is ``failed`` and staff can see why.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from machi.procedures.mail import event_mail, resume_mail
from machi.procedures.models import Draft, MailState, SubmissionEvent
from machi.procedures.tokens import resume_token

logger = logging.getLogger(__name__)
RETRY_LADDER = (60, 300, 900, 3600, 21600, 86400)


def _next_step(attempts: int, exc: Exception | None) -> tuple[str, dt.datetime | None, str]:
    """After attempt number ``attempts``: the mail state, the next try, and the error."""
    if exc is None:
        return MailState.SENT, None, ""
    error = f"{exc.__class__.__name__}: {exc}"[:300]
    if attempts > len(RETRY_LADDER):
        return MailState.FAILED, None, error
    return (
        MailState.PENDING,
        timezone.now() + dt.timedelta(seconds=RETRY_LADDER[attempts - 1]),
        error,
    )


def _send(message: EmailMessage, what: str) -> Exception | None:
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # any failure of the mail server: record it and retry later
        logger.warning("mail for %s failed: %s", what, exc)
        return exc
    return None


def event_mail_deliver(*, event_id: str) -> str:
    """Try to send one event's mail; return its mail state afterwards."""
    with transaction.atomic():
        event = (
            # Lock the event only: joined rows locked too would block other applications
            # and make this skip mails whenever any of them is busy.
            SubmissionEvent.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(
                "submission",
                "submission__procedure",
                "submission__municipality",
                "submission__form",
            )
            .filter(pk=event_id)
            .first()
        )
        if event is None or event.mail_state != MailState.PENDING:
            return event.mail_state if event is not None else "locked"
        event.mail_attempts += 1
        failure = _send(event_mail(event), f"submission event {event.pk}")
        event.mail_state, event.mail_next_attempt_at, event.mail_error = _next_step(
            event.mail_attempts, failure
        )
        if failure is None:
            event.mail_sent_at = timezone.now()
        event.save(
            update_fields=[
                "mail_state",
                "mail_attempts",
                "mail_error",
                "mail_next_attempt_at",
                "mail_sent_at",
            ]
        )
        return event.mail_state


def resume_mail_deliver(*, draft_id: str) -> str:
    """Send a draft's resume link once; a second run (a redelivered task) sends nothing."""
    with transaction.atomic():
        draft = (
            Draft.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("procedure", "procedure__municipality")
            .filter(pk=draft_id)
            .first()
        )
        if draft is None or draft.resume_mail_state != MailState.PENDING:
            return draft.resume_mail_state if draft is not None else "locked"
        draft.resume_mail_attempts += 1
        message = resume_mail(
            draft,
            resume_token(draft),
            draft.resume_portal_url,
            draft.resume_language or settings.LANGUAGE_CODE,
        )
        failure = _send(message, f"draft {draft.pk} resume link")
        draft.resume_mail_state, draft.resume_mail_next_attempt_at, draft.resume_mail_error = (
            _next_step(draft.resume_mail_attempts, failure)
        )
        draft.save(
            update_fields=[
                "resume_mail_state",
                "resume_mail_attempts",
                "resume_mail_next_attempt_at",
                "resume_mail_error",
            ]
        )
        return draft.resume_mail_state


def due_event_mails(*, now: dt.datetime | None = None, limit: int = 500) -> list[str]:
    """Events whose mail waits for a (new) attempt."""
    now = now or timezone.now()
    # First attempts are queued when the event is saved; one still untried after five
    # minutes was lost on the way (a broker restart) and is sent again too.
    due = SubmissionEvent.objects.filter(mail_state=MailState.PENDING).filter(
        Q(mail_attempts__gt=0, mail_next_attempt_at__lte=now)
        | Q(mail_attempts=0, occurred_at__lte=now - dt.timedelta(minutes=5))
    )
    return [
        str(pk) for pk in due.order_by("mail_next_attempt_at").values_list("pk", flat=True)[:limit]
    ]


def due_resume_mails(*, now: dt.datetime | None = None, limit: int = 500) -> list[str]:
    """Drafts whose resume-link mail waits for a (new) attempt, as for event mails."""
    now = now or timezone.now()
    due = Draft.objects.filter(resume_mail_state=MailState.PENDING).filter(
        Q(resume_mail_attempts__gt=0, resume_mail_next_attempt_at__lte=now)
        | Q(resume_mail_attempts=0, resume_sent_at__lte=now - dt.timedelta(minutes=5))
    )
    ordered = due.order_by("resume_mail_next_attempt_at")
    return [str(pk) for pk in ordered.values_list("pk", flat=True)[:limit]]
