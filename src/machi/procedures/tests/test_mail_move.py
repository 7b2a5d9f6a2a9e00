"""Migration 0007 moves the mails procedures had not sent into the outbox of notices:
waiting ones are sent by the delivery engine, given-up ones wait for staff on the
dead-letter list, sent ones make nothing (nothing lost, nothing sent twice)."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from machi.notices.models import Message, MessageStatus
from machi.notices.services.messages import messages_send_due
from machi.procedures.models import Draft, SubmissionEvent
from machi.testing.applications import Catalog, fill_gomi, start, submit
from machi.testing.smtp import Mailbox

pytestmark = pytest.mark.django_db

move = importlib.import_module("machi.procedures.migrations.0007_mails_into_the_outbox").move


def _row(event: SubmissionEvent, state: str, attempts: int = 0, error: str = "") -> dict[str, Any]:
    return {
        "id": event.pk,
        "municipality_id": event.municipality_id,
        "mail_state": state,
        "mail_attempts": attempts,
        "mail_error": error,
        "mail_next_attempt_at": None,
    }


def test_pending_mails_move_into_the_outbox_and_sent_ones_do_not(
    catalog: Catalog, smtp_server: Mailbox
) -> None:
    addresses = ["waiting@example.jp", "failed@example.jp", "sent@example.jp"]
    for address in addresses:
        client = Client()
        base = start(client, "gomi")
        fill_gomi(client, base, email=address)
        assert submit(client, base).status_code == 302
    client = Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    assert client.post(f"{base}/save/", {"email": "draft@example.jp"}).status_code == 200
    Message.objects.all().delete()  # as before the upgrade: procedures kept the mails
    events = {
        e.submission.contact_email: e for e in SubmissionEvent.objects.select_related("submission")
    }
    draft = Draft.objects.get(resume_email="draft@example.jp")
    retry_at = timezone.now() + dt.timedelta(minutes=5)
    event_rows = [
        _row(events["waiting@example.jp"], "pending"),
        _row(events["failed@example.jp"], "failed", 7, "ConnectionRefusedError"),
        _row(events["sent@example.jp"], "sent", 1),
    ]
    draft_rows = [
        {
            "id": draft.pk,
            "municipality_id": draft.municipality_id,
            "resume_email": draft.resume_email,
            "resume_sent_at": draft.resume_sent_at,
            "resume_mail_state": "pending",
            "resume_mail_attempts": 2,
            "resume_mail_error": "SMTPServerDisconnected",
            "resume_mail_next_attempt_at": retry_at,
        }
    ]

    assert move(events=event_rows, drafts=draft_rows, message_model=Message) == (2, 1)
    assert move(events=event_rows, drafts=draft_rows, message_model=Message) == (0, 0)

    waiting = Message.objects.get(recipient="waiting@example.jp")
    assert (waiting.kind, waiting.status, waiting.attempts) == (
        "submission.receipt",
        MessageStatus.CREATED,
        0,
    )
    assert waiting.key == f"submission-event:{events['waiting@example.jp'].pk}"
    failed = Message.objects.get(recipient="failed@example.jp")
    assert (failed.status, failed.attempts) == (MessageStatus.TEMPORARY_FAILURE, 7)
    assert failed.error == "ConnectionRefusedError" and failed.finished_at is not None
    assert not Message.objects.filter(recipient="sent@example.jp").exists()
    resume = Message.objects.get(recipient="draft@example.jp")
    assert (resume.kind, resume.status, resume.attempts) == ("draft.resume", "sending", 2)
    assert resume.next_attempt_at == retry_at  # the ladder goes on where it was

    messages_send_due(now=retry_at + dt.timedelta(seconds=1), budget_seconds=10)
    assert len(smtp_server.to("waiting@example.jp")) == 1
    assert smtp_server.to("failed@example.jp") == []  # waits for staff to send it again
    assert smtp_server.to("sent@example.jp") == []
    [resume_mail] = smtp_server.to("draft@example.jp")
    link = resume_mail.get_content().split("http://testserver", 1)[1].split()[0]
    assert "/applications/resume/" in link
    opened = Client().get(link)  # the resume token still works
    assert opened.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_the_migration_itself_moves_a_waiting_receipt(catalog: Catalog) -> None:
    """Back to the schema before the move, a receipt left waiting there, then forward: the
    migration finds it and the outbox has it, once."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    client = Client()
    base = start(client, "gomi")
    fill_gomi(client, base, email="upgrade@example.jp")
    assert submit(client, base).status_code == 302
    event = SubmissionEvent.objects.get()
    Message.objects.all().delete()

    before = [("procedures", "0006_draft_resume_mail_state")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    old_apps.get_model("procedures", "SubmissionEvent").objects.filter(pk=event.pk).update(
        mail_state="pending", mail_attempts=1, mail_error="SMTPServerDisconnected"
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    [message] = Message.objects.all()
    assert message.key == f"submission-event:{event.pk}"
    assert message.recipient == "upgrade@example.jp"
    assert (message.status, message.attempts) == (MessageStatus.SENDING, 1)
