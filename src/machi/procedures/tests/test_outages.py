"""Outside parts down: a second machi instance (gunicorn, 3 workers) pointed at a closed
port for Redis or for the broker still serves residents at once and loses nothing. The
machine's own Redis and broker keep running for everything else. Runs where CI provides
PostgreSQL and Redis."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
import requests

from machi.notices.models import Message, MessageStatus
from machi.notices.services.messages import messages_send_due
from machi.procedures.models import Submission, SubmissionEvent
from machi.procedures.tests.http_flow import gomi_filled, post
from machi.testing.applications import PASSWORD, Catalog, make_resident
from machi.testing.network import free_port
from machi.testing.processes import SERVICES_PRESENT
from machi.testing.smtp import Mailbox

pytestmark = SERVICES_PRESENT

# Far below gunicorn's 30-second worker timeout; a blocked enqueue took about 20 s.
PROMPT_SECONDS = 8


@pytest.fixture
def mail_env(smtp_server: Mailbox, process_env: dict[str, str], settings: Any) -> Mailbox:
    process_env["EMAIL_URL"] = f"smtp://127.0.0.1:{settings.EMAIL_PORT}"
    return smtp_server


@pytest.fixture
def redis_down(process_env: dict[str, str]) -> None:
    closed = f"redis://127.0.0.1:{free_port()}/0"
    process_env.update(REDIS_URL=closed, CELERY_BROKER_URL=closed, CELERY_RESULT_BACKEND="")


@pytest.fixture
def broker_down(process_env: dict[str, str]) -> None:
    process_env["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{free_port()}/0"


def _submit(session: requests.Session, base: str) -> tuple[requests.Response, float]:
    started = time.monotonic()
    done = post(session, f"{base}/check/", {"form_version": "1"})
    return done, time.monotonic() - started


def _receipt_sent_by_the_sweep(mailbox: Mailbox, address: str) -> None:
    """The task was never queued; the delivery engine's sweep (every minute in production)
    sends the mail, which was written with the application."""
    event = SubmissionEvent.objects.get()
    message = Message.objects.get(key=f"submission-event:{event.pk}")
    assert (message.status, message.attempts) == (MessageStatus.CREATED, 0)
    messages_send_due()  # what the minute sweep runs
    messages_send_due()
    assert len(mailbox.to(address)) == 1


def test_redis_down_pages_sign_in_and_applications_still_work(
    mail_env: Mailbox, catalog: Catalog, redis_down: None, gunicorn: str
) -> None:
    resident = make_resident(catalog.city)
    session = requests.Session()
    home = session.get(f"{gunicorn}/", timeout=PROMPT_SECONDS)
    assert home.status_code == 200 and "亀山市" in home.text
    assert session.get(f"{gunicorn}/assistant/", timeout=PROMPT_SECONDS).status_code == 200
    asked = post(session, f"{gunicorn}/assistant/", {"q": "ごみの出し方"})
    assert asked.status_code == 200
    session.get(f"{gunicorn}/accounts/login/", timeout=PROMPT_SECONDS)
    signed_in = post(
        session, f"{gunicorn}/accounts/login/", {"login": resident.email, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    mypage = session.get(f"{gunicorn}/mypage/", timeout=PROMPT_SECONDS)
    assert mypage.status_code == 200 and resident.email in mypage.text

    base = gomi_filled(session, gunicorn, "outage@example.jp")
    done, seconds = _submit(session, base)
    assert re.search(r"/applications/[0-9a-f-]+/done/$", done.headers["Location"])
    assert seconds < PROMPT_SECONDS, seconds
    submission = Submission.objects.get()
    receipt = session.get(gunicorn + done.headers["Location"], timeout=PROMPT_SECONDS)
    assert submission.reference_display in receipt.text

    ready = requests.get(f"{gunicorn}/readyz", timeout=PROMPT_SECONDS)
    assert ready.status_code == 503
    checks = ready.json()["checks"]
    assert checks["database"] == "ok"
    assert checks["cache"].startswith("error")
    _receipt_sent_by_the_sweep(mail_env, "outage@example.jp")


def test_broker_down_takes_the_application_at_once_and_a_retry_adds_nothing(
    mail_env: Mailbox, catalog: Catalog, broker_down: None, gunicorn: str
) -> None:
    session = requests.Session()
    base = gomi_filled(session, gunicorn, "broker@example.jp")
    done, seconds = _submit(session, base)
    assert seconds < PROMPT_SECONDS, seconds
    # A resident who pressed 送信 again (or whose browser retried) lands on the same
    # receipt: the draft is the application's idempotency key.
    again, _seconds = _submit(session, base)
    assert again.headers["Location"] == done.headers["Location"]
    assert Submission.objects.count() == 1
    ready = requests.get(f"{gunicorn}/readyz", timeout=PROMPT_SECONDS)
    assert ready.json()["checks"] == {"database": "ok", "cache": "ok"}
    _receipt_sent_by_the_sweep(mail_env, "broker@example.jp")
