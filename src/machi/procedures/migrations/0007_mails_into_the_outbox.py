"""Mails procedures had not sent yet become messages of the outbox of notices (ADR 0019).

A submission event or a draft whose mail was still waiting (``pending``) becomes a
message that the delivery engine sends, with its attempts so far (the engine's retry
ladder is the one procedures used); one whose mail had given up (``failed``) becomes a
``temporary-failure`` on the staff's dead-letter list, where it can be sent again. Mails
already sent make no message (nothing is sent twice). The bodies are rendered by today's
code, as the old task would have rendered them when sending. Running it again writes
nothing more (a message per cause).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import migrations
from django.utils import timezone

OLD_STATES = ("pending", "failed")


def _status(state: str, attempts: int) -> str:
    if state == "failed":
        return "temporary-failure"
    return "sending" if attempts else "created"


def move(
    *, events: Iterable[dict[str, Any]], drafts: Iterable[dict[str, Any]], message_model: Any
) -> tuple[int, int]:
    """Write a message for each event and draft row (``values()`` of the old fields) whose
    mail was waiting or had failed; return how many of each were written."""
    from django.conf import settings

    from machi.procedures.mail import event_mail, resume_mail
    from machi.procedures.models import Draft, SubmissionEvent
    from machi.procedures.tokens import resume_token

    now = timezone.now()
    moved_events = moved_drafts = 0
    for row in events:
        if row["mail_state"] not in OLD_STATES:
            continue
        event = SubmissionEvent.objects.select_related(
            "submission", "submission__procedure", "submission__municipality", "submission__form"
        ).get(pk=row["id"])
        mail = event_mail(event)
        _, created = message_model.objects.get_or_create(
            municipality_id=row["municipality_id"],
            key=f"submission-event:{row['id']}",
            defaults=_fields(
                row["mail_state"],
                row["mail_attempts"],
                row["mail_error"],
                row["mail_next_attempt_at"],
                now,
                kind="submission.receipt" if event.kind == "received" else "submission.status",
                recipient=mail.to,
                subject=mail.subject,
                body=mail.body,
            ),
        )
        moved_events += created
    for row in drafts:
        if row["resume_mail_state"] not in OLD_STATES or not row["resume_email"]:
            continue
        draft = Draft.objects.select_related("procedure", "procedure__municipality").get(
            pk=row["id"]
        )
        mail = resume_mail(
            draft,
            resume_token(draft),
            draft.resume_portal_url,
            draft.resume_language or settings.LANGUAGE_CODE,
        )
        sent_at = row["resume_sent_at"] or now
        _, created = message_model.objects.get_or_create(
            municipality_id=row["municipality_id"],
            key=f"draft-resume:{row['id']}:{sent_at.isoformat()}",
            defaults=_fields(
                row["resume_mail_state"],
                row["resume_mail_attempts"],
                row["resume_mail_error"],
                row["resume_mail_next_attempt_at"],
                now,
                kind="draft.resume",
                recipient=mail.to,
                subject=mail.subject,
                body=mail.body,
            ),
        )
        moved_drafts += created
    return moved_events, moved_drafts


def _fields(
    state: str, attempts: int, error: str, next_attempt_at: Any, now: Any, **mail: str
) -> dict[str, Any]:
    return {
        "channel": "email",
        "status": _status(state, attempts),
        "attempts": attempts,
        "error": (error or "")[:500],
        "next_attempt_at": next_attempt_at or now,
        "finished_at": now if state == "failed" else None,
        **mail,
    }


EVENT_FIELDS = (
    "id",
    "municipality_id",
    "mail_state",
    "mail_attempts",
    "mail_error",
    "mail_next_attempt_at",
)
DRAFT_FIELDS = (
    "id",
    "municipality_id",
    "resume_email",
    "resume_sent_at",
    "resume_mail_state",
    "resume_mail_attempts",
    "resume_mail_error",
    "resume_mail_next_attempt_at",
)


def mails_into_the_outbox(apps: Any, schema_editor: Any) -> None:
    SubmissionEvent = apps.get_model("procedures", "SubmissionEvent")
    Draft = apps.get_model("procedures", "Draft")
    move(
        events=SubmissionEvent.objects.filter(mail_state__in=OLD_STATES)
        .values(*EVENT_FIELDS)
        .iterator(),
        drafts=Draft.objects.filter(resume_mail_state__in=OLD_STATES)
        .values(*DRAFT_FIELDS)
        .iterator(),
        message_model=apps.get_model("notices", "Message"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0006_draft_resume_mail_state"),
        ("notices", "0003_channels_and_clicks"),
    ]

    operations = [
        migrations.RunPython(mails_into_the_outbox, migrations.RunPython.noop, elidable=True),
    ]
