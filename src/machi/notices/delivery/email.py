"""E-mail through Django's mail backend (SMTP in production), one connection per batch.

Each message carries a Message-ID made from its own id: if a worker stops after the
server took a mail but before the dispatcher wrote that down, the mail sent again has the
same Message-ID, and mail programs show it once.
"""

from __future__ import annotations

import contextlib
import smtplib

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection

from machi.notices.delivery.base import PermanentFailure, TemporaryFailure
from machi.notices.models import Message

# Seconds the SMTP server has to answer before a send counts as a temporary failure.
TIMEOUT = 20


def message_id(message: Message) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(">") or "machi.invalid"
    return f"<{message.pk}@{domain}>"


def delivery_backend() -> str:
    """The backend that really sends (SMTP in production, the console in the demo).
    ``EMAIL_BACKEND`` is the outbox itself (ADR 0019): sending through it would only write
    the message again."""
    backend: str = getattr(settings, "MACHI_DELIVERY_EMAIL_BACKEND", "") or settings.EMAIL_BACKEND
    if backend.endswith("OutboxEmailBackend"):
        raise ImproperlyConfigured(
            "MACHI_DELIVERY_EMAIL_BACKEND must name a backend that sends (SMTP), not the outbox"
        )
    return backend


class EmailSender:
    def __init__(self) -> None:
        self.connection = get_connection(backend=delivery_backend(), timeout=TIMEOUT)

    def __enter__(self) -> EmailSender:
        # A server that is down now fails each send below, on its own message.
        with contextlib.suppress(OSError, smtplib.SMTPException):
            self.connection.open()
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            self.connection.close()

    def send(self, message: Message) -> None:
        mail = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={**message.headers, "Message-ID": message_id(message)},
            connection=self.connection,
        )
        try:
            mail.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            error = f"refused: {codes}"
            if codes and all(code >= 500 for code in codes):
                raise PermanentFailure(error) from exc
            raise TemporaryFailure(error) from exc
        except smtplib.SMTPResponseException as exc:
            error = f"{exc.smtp_code} {exc.smtp_error!r}"[:300]
            if exc.smtp_code >= 500:
                raise PermanentFailure(error) from exc
            self._reset()
            raise TemporaryFailure(error) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self._reset()
            raise TemporaryFailure(f"{exc.__class__.__name__}: {exc}"[:300]) from exc

    def _reset(self) -> None:
        """A broken connection is opened again for the next message of the batch."""
        with contextlib.suppress(OSError, smtplib.SMTPException):
            self.connection.close()
