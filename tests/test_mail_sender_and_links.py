"""Mails name the municipality that sends them and link to where the site really runs
(issue 15, item 8): allauth greeted "from 127.0.0.1:8790", and the demo's applications
linked to port 8000 whatever port the demo ran on."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from machi.casework.models import IssuedDocument
from machi.casework.services import case_decide, case_token
from machi.core.models import Municipality, User
from machi.procedures.models import Submission
from machi.testing.fixtures import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_sign_up_mail_comes_from_the_municipality(
    transactional_db: Any, city: Municipality
) -> None:
    """Mail leaves through the outbox once the sign-up commits (ADR 0019)."""
    client = Client(HTTP_HOST="127.0.0.1:8790")
    response = client.post(
        "/accounts/signup/",
        {"email": "hanako@example.jp", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    [message] = mail.outbox
    body = str(message.body)
    assert message.subject.startswith("[亀山市] ")
    greeting = body.splitlines()[0]
    assert "亀山市" in greeting
    assert "127.0.0.1" not in greeting
    assert re.search(r"http://127\.0\.0\.1:8790/accounts/confirm-email/\S+", body)


def test_an_english_sign_up_mail_names_the_city_in_english(
    transactional_db: Any, city: Municipality
) -> None:
    client = Client(HTTP_HOST="127.0.0.1:8790", HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    client.post(
        "/accounts/signup/",
        {"email": "john@example.jp", "password1": PASSWORD, "password2": PASSWORD},
    )
    [message] = mail.outbox
    assert message.subject.startswith("[Kameyama City] ")
    assert "Kameyama City" in str(message.body).splitlines()[0]


def _links() -> set[str]:
    """The sites the mails sent so far link to."""
    return {found for m in mail.outbox for found in re.findall(r"https?://[^\s/]+", str(m.body))}


def test_demo_mails_link_to_the_port_the_demo_runs_on(transactional_db: Any) -> None:
    call_command("load_demo", url="http://127.0.0.1:8790", verbosity=0)
    assert _links() == {"http://127.0.0.1:8790"}  # 受付 mails of the demo applications
    # A clerk decides on one: the decision mail and the notice's QR code follow the demo too.
    mail.outbox.clear()
    case = Submission.objects.get(procedure__code="inu-toroku").case
    clerk = User.objects.get(email="clerk.kankyo@kameyama.demo")
    case_decide(
        actor=clerk,
        case=case,
        decision="approve",
        reason="登録しました。",
        version=case_token(case),
    )
    assert _links() == {"http://127.0.0.1:8790"}
    notice = IssuedDocument.objects.get(case=case).file.open("rb").read()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(notice)).pages)
    assert "http://127.0.0.1:8790/verify/" in text.replace("\n", "")


def test_a_demo_loaded_before_on_another_port_follows_the_new_one(
    transactional_db: Any,
) -> None:
    call_command("load_demo", url="http://127.0.0.1:8000", verbosity=0)
    call_command("load_demo", url="http://127.0.0.1:8765", verbosity=0)
    assert {s.portal_url for s in Submission.objects.all()} == {"http://127.0.0.1:8765"}
