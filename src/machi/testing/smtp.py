"""A real SMTP server on loopback (aiosmtpd) that keeps the messages it receives."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from machi.testing.network import free_port


@dataclass
class Mailbox:
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


OUTBOX_BACKEND = "machi.notices.mail_backend.OutboxEmailBackend"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture(autouse=True)
def _mail_through_the_outbox(settings: Any) -> None:
    """As in production (ADR 0019): Django's mail API writes outbox rows, and the delivery
    engine sends them, here to ``django.core.mail.outbox`` (pytest-django sets
    ``EMAIL_BACKEND`` to locmem for the whole session; this puts the outbox back in front)."""
    settings.EMAIL_BACKEND = OUTBOX_BACKEND
    settings.MACHI_DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def smtp_settings(settings: Any, port: int) -> None:
    """The delivery engine sends to an SMTP server on 127.0.0.1:``port``."""
    settings.EMAIL_BACKEND = OUTBOX_BACKEND
    settings.MACHI_DELIVERY_EMAIL_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""


@pytest.fixture
def smtp_server(settings: Any, _mail_through_the_outbox: None) -> Iterator[Mailbox]:
    """Point the delivery engine at a live SMTP server on 127.0.0.1 and yield its mailbox.
    Mails arrive when the transaction that wrote them commits (a transactional test, or
    ``django_capture_on_commit_callbacks(execute=True)``)."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    smtp_settings(settings, controller.port)
    try:
        yield mailbox
    finally:
        controller.stop()
