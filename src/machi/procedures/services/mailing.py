"""Sending the mail of each submission event, and retrying it until the server takes it.

A failed send never touches the submission: the event keeps ``mail_state = pending`` with
the next attempt time on a ladder (1 min, 5 min, 15 min, 1 h, 6 h, 1 day), and the sweep
task sends it again. After the last rung it is ``failed`` and staff can see why.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from machi.procedures.mail import event_mail
from machi.procedures.models import MailState, SubmissionEvent

logger = logging.getLogger(__name__)
RETRY_LADDER = (60, 300, 900, 3600, 21600, 86400)


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
        try:
            event_mail(event).send(fail_silently=False)
        except Exception as exc:  # any failure of the mail server: record it and retry later
            logger.warning("mail for submission event %s failed: %s", event.pk, exc)
            event.mail_error = f"{exc.__class__.__name__}: {exc}"[:300]
            if event.mail_attempts > len(RETRY_LADDER):
                event.mail_state = MailState.FAILED
                event.mail_next_attempt_at = None
            else:
                delay = RETRY_LADDER[event.mail_attempts - 1]
                event.mail_next_attempt_at = timezone.now() + dt.timedelta(seconds=delay)
        else:
            event.mail_state = MailState.SENT
            event.mail_sent_at = timezone.now()
            event.mail_error = ""
            event.mail_next_attempt_at = None
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
