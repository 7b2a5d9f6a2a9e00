"""Partner webhooks: one signed HTTPS POST per message, over one connection pool per batch.

Each request carries ``Machi-Webhook-Id`` (the message's id: a partner that gets the same
id twice, after a retry or a worker stopped mid-batch, keeps one),
``Machi-Webhook-Timestamp`` (Unix seconds, fresh on each try) and
``Machi-Webhook-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>``, with a
second ``v1=`` value, space-separated, during the day after the secret was replaced.
Redirects are not followed (the partner registers the address that answers).

What the answer means (docs/notices.md, "Webhooks for partners"):

- 2xx: delivered.
- 410 Gone: the partner closed the address; the webhook is stopped (``EndpointGone``).
- 404: often a partner's deployment in progress; tried again twice (1 and 5 minutes
  later), then a permanent failure for this message. The webhook stays on: only 410 or
  staff stop it.
- 408, 425, 429, 5xx, a timeout (3 s to connect, 10 s to answer), a connection refused:
  temporary, tried again on the ladder (1 min … 1 day).
- any other 4xx or 3xx: a permanent failure (the partner refuses this message).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
import uuid

import requests
from django.utils import timezone

from machi.notices.delivery.base import (
    EndpointGone,
    PermanentFailure,
    TemporaryFailure,
    check_reachable,
)
from machi.notices.models import Message, Subscription

CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 10.0
# A 404 is tried this many times in all before it counts as a permanent failure.
NOT_FOUND_TRIES = 3
TEMPORARY_STATUSES = frozenset({408, 425, 429})
USER_AGENT = "machi-webhooks/1"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``v1=`` value: hex HMAC-SHA256 of ``<timestamp>.<body>`` keyed by the secret."""
    signed = timestamp.encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def signing_secrets(subscription: Subscription, now: dt.datetime | None = None) -> list[str]:
    """The secrets a message is signed with now: the current one, and the replaced one
    until ``previous_until`` (``services.webhooks.webhook_secret_rotate``)."""
    details = subscription.details or {}
    found = [str(details["secret"])] if details.get("secret") else []
    previous, until = details.get("previous_secret"), details.get("previous_until")
    if previous and until:
        try:
            ends = dt.datetime.fromisoformat(str(until))
        except ValueError:
            return found
        if ends > (now or timezone.now()):
            found.append(str(previous))
    return found


class WebhookSender:
    def __init__(self) -> None:
        self.session = requests.Session()
        self.subscriptions: dict[uuid.UUID, Subscription | None] = {}

    def __enter__(self) -> WebhookSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.session.close()

    def _subscription(self, message: Message) -> Subscription | None:
        key = message.subscription_id
        if key is None:
            return None
        if key not in self.subscriptions:
            self.subscriptions[key] = Subscription.objects.filter(pk=key).first()
        return self.subscriptions[key]

    def send(self, message: Message) -> None:
        check_reachable(message.recipient)
        subscription = self._subscription(message)
        if subscription is None or not subscription.active:
            raise PermanentFailure("the webhook was stopped before this message was sent")
        keys = signing_secrets(subscription)
        if not keys:
            raise PermanentFailure("the webhook has no signing secret")
        body = message.body.encode("utf-8")
        timestamp = str(int(time.time()))
        headers = {
            **message.headers,
            "User-Agent": USER_AGENT,
            "Machi-Webhook-Id": str(message.pk),
            "Machi-Webhook-Timestamp": timestamp,
            "Machi-Webhook-Signature": " ".join(
                f"v1={signature(key, timestamp, body)}" for key in keys
            ),
        }
        try:
            response = self.session.post(
                message.recipient,
                data=body,
                headers=headers,
                timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
                allow_redirects=False,
                stream=True,  # the answer's body is not needed: it is never read
            )
        except requests.Timeout as exc:
            raise TemporaryFailure(f"no answer in time: {exc.__class__.__name__}") from exc
        except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema) as exc:
            raise PermanentFailure(f"not a usable address: {exc}"[:300]) from exc
        except requests.RequestException as exc:
            raise TemporaryFailure(f"{exc.__class__.__name__}: {exc}"[:300]) from exc
        status = response.status_code
        response.close()
        detail = f"HTTP {status}"
        if 200 <= status < 300:
            return
        if status == 410:
            raise EndpointGone(f"{detail}: the partner closed the address; webhook stopped")
        if status == 404:
            if message.attempts < NOT_FOUND_TRIES:
                raise TemporaryFailure(f"{detail}: not found, tried again")
            raise PermanentFailure(f"{detail}: not found {NOT_FOUND_TRIES} times")
        if status in TEMPORARY_STATUSES or status >= 500:
            raise TemporaryFailure(detail)
        if 300 <= status < 400:
            raise PermanentFailure(f"{detail}: redirects are not followed")
        raise PermanentFailure(f"{detail}: the partner refused the message")
