"""Django's e-mail backend for the whole platform: every mail becomes outbox rows (ADR 0019).

``EMAIL_BACKEND`` names this class, so a mail sent anywhere with Django's mail API
(django-allauth's sign-up verification and password reset, a ``send_mail`` in a future
app) is written as one ``notices.Message`` per recipient in the caller's transaction and
sent by the delivery engine, which talks to the real server through
``MACHI_DELIVERY_EMAIL_BACKEND``. Code that cannot import notices (core) names the
municipality and the kind of a mail in two headers (``machi.core.mail``), taken off here:

- ``X-Machi-Municipality``: the municipality's id (the mail shows on its delivery page);
  without it the message is a platform mail with no municipality.
- ``X-Machi-Kind``: what the mail is (``account.password_reset_key``); ``mail`` otherwise.

Only the plain-text part is carried: an HTML alternative or an attachment is left out
and logged (no mail of the platform has either today).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from machi.core.mail import KIND_HEADER, MUNICIPALITY_HEADER
from machi.core.models import Municipality
from machi.notices.models import Channel
from machi.notices.services.messages import message_queue

logger = logging.getLogger(__name__)

# Made by the engine from the message's own id (one Message-ID however often it is sent).
_DROPPED_HEADERS = {"message-id", "date", MUNICIPALITY_HEADER.lower(), KIND_HEADER.lower()}


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        written = 0
        for mail in email_messages:
            written += self._queue(mail)
        return written

    def _queue(self, mail: EmailMessage) -> int:
        headers: dict[str, Any] = dict(mail.extra_headers)
        found = {name.lower(): str(value) for name, value in headers.items()}
        municipality = _municipality(found.get(MUNICIPALITY_HEADER.lower(), ""))
        kind = found.get(KIND_HEADER.lower(), "") or "mail"
        kept = {
            name: str(value)
            for name, value in headers.items()
            if name.lower() not in _DROPPED_HEADERS
        }
        if mail.reply_to and "reply-to" not in {n.lower() for n in kept}:
            kept["Reply-To"] = ", ".join(mail.reply_to)
        if getattr(mail, "alternatives", None) or mail.attachments:
            logger.warning("mail %r: only its text part goes through the outbox", kind)
        recipients = list(dict.fromkeys(mail.recipients()))
        for recipient in recipients:
            message_queue(
                municipality=municipality,
                channel=Channel.EMAIL,
                kind=kind[:60],
                key=f"mail:{uuid.uuid4()}",
                recipient=recipient,
                subject=str(mail.subject)[:300],
                body=str(mail.body),
                headers=kept,
            )
        return 1 if recipients else 0


def _municipality(value: str) -> Municipality | None:
    if not value:
        return None
    try:
        return Municipality.objects.filter(pk=value).first()
    except (ValueError, TypeError, ValidationError):
        return None
