"""The production path for an application: gunicorn with several workers takes the pages,
a separate Celery worker sends the receipt through Redis to a real SMTP server, all on one
PostgreSQL database. Runs where CI provides both services."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
import requests

from machi.notices.models import Message, MessageStatus
from machi.procedures.models import Submission, SubmissionEvent
from machi.procedures.tests.http_flow import gomi_filled, post
from machi.testing.applications import Catalog
from machi.testing.processes import SERVICES_PRESENT
from machi.testing.smtp import Mailbox

pytestmark = SERVICES_PRESENT


@pytest.fixture
def mail_env(smtp_server: Mailbox, process_env: dict[str, str], settings: Any) -> Mailbox:
    """The web and worker processes send mail to the loopback SMTP server."""
    process_env["EMAIL_URL"] = f"smtp://127.0.0.1:{settings.EMAIL_PORT}"
    return smtp_server


def test_application_through_gunicorn_and_receipt_through_the_celery_worker(
    mail_env: Mailbox, catalog: Catalog, celery_worker: Any, gunicorn: str
) -> None:
    session = requests.Session()
    base = gomi_filled(session, gunicorn, "worker@example.jp")
    done = post(session, f"{base}/check/", {"form_version": "1"})
    assert re.search(r"/applications/[0-9a-f-]+/done/$", done.headers["Location"])
    submission = Submission.objects.get()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not mail_env.to("worker@example.jp"):
        time.sleep(0.3)
    [receipt] = mail_env.to("worker@example.jp")
    assert submission.reference_display in str(receipt["Subject"])
    event = SubmissionEvent.objects.get(submission=submission)
    message = Message.objects.get(key=f"submission-event:{event.pk}")
    deadline = time.monotonic() + 10  # the worker writes the outcome just after sending
    while time.monotonic() < deadline and message.status != MessageStatus.DELIVERED:
        time.sleep(0.2)
        message.refresh_from_db()
    assert (message.kind, message.status) == ("submission.receipt", MessageStatus.DELIVERED)
