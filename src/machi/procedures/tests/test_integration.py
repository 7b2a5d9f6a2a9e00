"""The production path for an application: gunicorn with several workers takes the pages,
a separate Celery worker sends the receipt through Redis to a real SMTP server, all on one
PostgreSQL database. Runs where CI provides both services."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
import requests

from machi.procedures.models import MailState, Submission, SubmissionEvent
from machi.procedures.tests.conftest import Catalog
from machi.testing.processes import SERVICES_PRESENT
from machi.testing.smtp import Mailbox

pytestmark = SERVICES_PRESENT


@pytest.fixture
def mail_env(smtp_server: Mailbox, process_env: dict[str, str], settings: Any) -> Mailbox:
    """The web and worker processes send mail to the loopback SMTP server."""
    process_env["EMAIL_URL"] = f"smtp://127.0.0.1:{settings.EMAIL_PORT}"
    return smtp_server


def _post(session: requests.Session, url: str, data: dict[str, str]) -> requests.Response:
    token = session.cookies.get("csrftoken") or ""
    response = session.post(
        url, data={"csrfmiddlewaretoken": token, **data}, allow_redirects=False, timeout=30
    )
    assert response.status_code in (200, 302), (url, response.status_code, response.text[:500])
    return response


def test_application_through_gunicorn_and_receipt_through_the_celery_worker(
    mail_env: Mailbox, catalog: Catalog, celery_worker: Any, gunicorn: str
) -> None:
    session = requests.Session()
    session.get(f"{gunicorn}/procedures/gomi/", timeout=30)
    step = _post(session, f"{gunicorn}/procedures/gomi/start/", {}).headers["Location"]
    base = gunicorn + step.split("/steps/")[0]
    _post(
        session,
        f"{base}/steps/items/",
        {
            "form_version": "1",
            "f-items-0-_item": "1",
            "f-items-0-item": "sofa",
            "f-items-0-count": "1",
        },
    )
    _post(
        session,
        f"{base}/steps/where/",
        {
            "form_version": "1",
            "f-address": "三重県亀山市本丸町577",
            "f-day": "2099-01-05",
            "f-delivery": "mail",
            "f-email": "worker@example.jp",
        },
    )
    done = _post(session, f"{base}/check/", {"form_version": "1"})
    assert re.search(r"/applications/[0-9a-f-]+/done/$", done.headers["Location"])
    submission = Submission.objects.get()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not mail_env.to("worker@example.jp"):
        time.sleep(0.3)
    [receipt] = mail_env.to("worker@example.jp")
    assert submission.reference_display in str(receipt["Subject"])
    event = SubmissionEvent.objects.get(submission=submission)
    assert event.mail_state == MailState.SENT
