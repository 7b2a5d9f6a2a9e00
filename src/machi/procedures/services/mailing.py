"""The mails of procedures, written into the outbox of notices (ADR 0018, ADR 0019).

Each mail is a ``notices.Message`` written in the transaction that saves its cause (a
submission event, a draft's request for its resume link), under a key naming that cause,
so a rolled-back change sends nothing and a repeated one sends once. The delivery engine
sends it, retries a mail server that is down (1 min … 1 day) and shows staff what failed
on /staff/notices/delivery/; procedures keeps no mail state of its own.
"""

from __future__ import annotations

from django.conf import settings

from machi.notices.models import Channel, Message
from machi.notices.services.messages import message_queue
from machi.procedures.mail import event_mail, resume_mail
from machi.procedures.models import Draft, SubmissionEvent
from machi.procedures.tokens import resume_token

RECEIPT = "submission.receipt"
STATUS = "submission.status"
RESUME = "draft.resume"


def event_key(event: SubmissionEvent) -> str:
    return f"submission-event:{event.pk}"


def event_mail_queue(event: SubmissionEvent) -> Message:
    """Write the mail telling the applicant about ``event`` (call inside its transaction)."""
    mail = event_mail(event)
    return message_queue(
        municipality=event.submission.municipality,
        channel=Channel.EMAIL,
        kind=RECEIPT if event.kind == "received" else STATUS,
        key=event_key(event),
        recipient=mail.to,
        subject=mail.subject,
        body=mail.body,
    )


def resume_mail_queue(draft: Draft) -> Message:
    """Write the mail with a draft's resume link; each request for the link is a cause of
    its own (the resident may ask again after losing the mail)."""
    assert draft.resume_sent_at is not None
    mail = resume_mail(
        draft,
        resume_token(draft),
        draft.resume_portal_url,
        draft.resume_language or settings.LANGUAGE_CODE,
    )
    return message_queue(
        municipality=draft.procedure.municipality,
        channel=Channel.EMAIL,
        kind=RESUME,
        key=f"draft-resume:{draft.pk}:{draft.resume_sent_at.isoformat()}",
        recipient=mail.to,
        subject=mail.subject,
        body=mail.body,
    )
