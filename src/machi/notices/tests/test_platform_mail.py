"""Every mail of the platform goes through the outbox (ADR 0019): Django's mail API, as
django-allauth uses it for sign-up and password reset, writes messages that the delivery
engine sends to a real SMTP server on loopback, once."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail as django_mail
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test import Client

from machi.core.mail import outbox_headers
from machi.core.models import Municipality
from machi.notices.delivery.email import EmailSender
from machi.notices.models import Message, MessageStatus
from machi.notices.tasks import messages_dispatch, sweep
from machi.testing.fixtures import PASSWORD
from machi.testing.smtp import Mailbox


@pytest.mark.django_db(transaction=True)
def test_sign_up_and_password_reset_mails_are_outbox_messages_sent_once(
    city: Municipality, smtp_server: Mailbox
) -> None:
    client = Client()
    response = client.post(
        "/accounts/signup/",
        {"email": "hanako@example.jp", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    asked = Client().post("/accounts/password/reset/", {"email": "hanako@example.jp"})
    assert asked.status_code == 302
    messages_dispatch()  # a redelivered task, and the minute sweep: nothing more is sent
    sweep()

    confirm, reset = Message.objects.order_by("created_at")
    assert confirm.kind == "account.email_confirmation_signup"
    assert reset.kind == "account.password_reset_key"
    for message in (confirm, reset):
        assert (message.municipality_id, message.channel) == (city.pk, "email")
        assert (message.status, message.attempts) == (MessageStatus.DELIVERED, 1)
        assert message.recipient == "hanako@example.jp"
    confirm_mail, reset_mail = smtp_server.to("hanako@example.jp")
    assert re.search(r"/accounts/confirm-email/\S+", confirm_mail.get_content())
    assert re.search(r"/accounts/password/reset/key/\S+", reset_mail.get_content())
    for mail in (confirm_mail, reset_mail):
        assert mail["X-Machi-Kind"] is None and mail["X-Machi-Municipality"] is None
    assert reset_mail["Message-ID"] == f"<{reset.pk}@machi.localhost>"


@pytest.mark.django_db
def test_the_backend_writes_one_message_per_recipient_in_the_callers_transaction(
    city: Municipality,
) -> None:
    sent = django_mail.EmailMessage(
        subject="件名",
        body="本文",
        to=["a@example.jp"],
        cc=["b@example.jp"],
        reply_to=["office@example.jp"],
        headers=outbox_headers(kind="test.kind", municipality=city),
    ).send()
    assert sent == 1
    messages = {m.recipient: m for m in Message.objects.all()}
    assert set(messages) == {"a@example.jp", "b@example.jp"}
    first = messages["a@example.jp"]
    assert (first.kind, first.municipality_id, first.subject, first.body) == (
        "test.kind",
        city.pk,
        "件名",
        "本文",
    )
    assert first.headers == {"Reply-To": "office@example.jp"}
    # A platform mail with no municipality; a rolled-back change leaves no message.
    django_mail.send_mail("件名", "本文", None, ["platform@example.jp"])
    assert Message.objects.get(recipient="platform@example.jp").municipality_id is None
    with pytest.raises(RuntimeError), transaction.atomic():
        django_mail.send_mail("件名", "本文", None, ["never@example.jp"])
        raise RuntimeError("the change failed")
    assert not Message.objects.filter(recipient="never@example.jp").exists()
    assert django_mail.outbox == []  # nothing has left yet: the engine sends after commit


def test_the_engine_never_sends_through_the_outbox_itself(settings: Any) -> None:
    settings.MACHI_DELIVERY_EMAIL_BACKEND = "machi.notices.mail_backend.OutboxEmailBackend"
    with pytest.raises(ImproperlyConfigured):
        EmailSender()
