"""Web Push through pywebpush: the message encrypted for the browser (RFC 8291,
``aes128gcm``) and signed with the platform's VAPID key (RFC 8292), posted to the push
service the browser subscribed with, one HTTP session per batch.

What the push service answers decides the outcome: 2xx delivered; 404 or 410 the
subscription is gone (it is ended, nothing more goes there); 429, 5xx, a timeout or a
connection that fails: tried again later; any other 4xx: refused for good.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import requests
from django.conf import settings
from pywebpush import WebPushException, webpush

from machi.notices.delivery import vapid
from machi.notices.delivery.base import (
    EndpointGone,
    PermanentFailure,
    TemporaryFailure,
    check_reachable,
)
from machi.notices.models import Message, Subscription

# Seconds the push service has to answer.
TIMEOUT = 10
# Seconds a push service keeps a message for a browser that is offline.
TTL = 86400


def origin(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


class WebPushSender:
    def __init__(self) -> None:
        self.session = requests.Session()
        self.vapid = vapid.vapid()

    def __enter__(self) -> WebPushSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.session.close()

    def send(self, message: Message) -> None:
        check_reachable(message.recipient)
        subscription = (
            Subscription.objects.filter(pk=message.subscription_id)
            .only("details", "unsubscribed_at")
            .first()
            if message.subscription_id
            else None
        )
        if subscription is None or subscription.unsubscribed_at is not None:
            raise PermanentFailure("the push subscription has ended")
        keys = subscription.details or {}
        try:
            webpush(
                subscription_info={
                    "endpoint": message.recipient,
                    "keys": {"p256dh": keys.get("p256dh", ""), "auth": keys.get("auth", "")},
                },
                data=message.body,
                vapid_private_key=self.vapid,
                vapid_claims={
                    "aud": origin(message.recipient),
                    "sub": settings.MACHI_WEBPUSH_SUBJECT,
                },
                content_encoding="aes128gcm",
                timeout=TIMEOUT,
                ttl=TTL,
                headers={"Urgency": "high" if message.urgent else "normal"},
                requests_session=self.session,
            )
        except WebPushException as exc:
            response = exc.response
            if response is None:  # our side could not build the push (bad keys)
                raise PermanentFailure(str(exc)[:300]) from exc
            code = response.status_code
            if 200 <= code < 300:  # pywebpush counts only up to 202 as success
                return
            error = f"{code} {response.reason or ''} {response.text[:200]}".strip()
            if code in (404, 410):
                raise EndpointGone(error) from exc
            if code == 429 or code >= 500:
                raise TemporaryFailure(error) from exc
            raise PermanentFailure(error) from exc
        except requests.RequestException as exc:
            raise TemporaryFailure(f"{exc.__class__.__name__}: {exc}"[:300]) from exc
