"""LINE through the Messaging API's multicast, with LINE's SDK (``line-bot-sdk`` v3).

A batch's messages with the same text (one notice, one language) and municipality go in
one multicast call to up to 500 LINE user ids, with that municipality's channel access
token (``assistant.LineChannel``) and ``Configuration(host=MACHI_LINE_API_BASE)``, so
tests point it at a local server. The SDK's retries are off (the outbox's ladder retries)
and each call has a timeout. The SDK is imported on the first send, never by the web
process.

**Exactly once.** Each call carries ``X-Line-Retry-Key``: a UUID made from the ids of its
messages, so a call repeated after a timeout, a 5xx or a worker killed before it wrote
the outcome down has the same key, and LINE does not deliver it again but answers 409
(already accepted), which counts as delivered. (A retry whose batch was cut differently
has another key: LINE keeps keys for 24 hours and compares only the key.)

**What LINE answers, and the status it gives** (``docs/notices.md``):

* 2xx, and 409 for a key already accepted: delivered.
* 429 (rate limit, or the month's message quota), 5xx, a timeout, no connection:
  temporary-failure, tried again on the ladder with the same key.
* 401 (wrong or expired channel access token) and 403 (the channel may not use the API):
  technical-failure: our configuration, not the resident's address; staff fix the token
  and send the messages again. The same when the municipality has no active LINE channel.
* 400 and other 4xx (a malformed request, an invalid user id): permanent-failure.

A user who blocked the account is silently skipped by multicast (LINE says nothing), and
their ``unfollow`` event has already ended the subscription.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, Final

import urllib3
from django.conf import settings

from machi.assistant.models import LineChannel
from machi.notices.delivery.base import (
    PermanentFailure,
    SendFailed,
    TechnicalFailure,
    TemporaryFailure,
)
from machi.notices.models import Message

if TYPE_CHECKING:
    from linebot.v3.messaging import MessagingApi

LINK: Final = "{link}"  # where a message's body takes the link (``composers.line``)
TEXT_LIMIT: Final = 5000  # characters in a text message (LINE's limit)
TIMEOUT: Final = 10.0  # seconds for one multicast call, connecting included
MULTICAST_LIMIT: Final = 500  # user ids per call (LINE's limit)
RETRY_KEY_NAMESPACE: Final = uuid.UUID("6f3c1c0e-3b8e-5d43-9a8e-2f7c1d9b6a51")


def retry_key(messages: list[Message]) -> str:
    """The same messages always make the same key."""
    ids = ",".join(sorted(str(m.pk) for m in messages))
    return str(uuid.uuid5(RETRY_KEY_NAMESPACE, ids))


def text_for(messages: list[Message]) -> str:
    """The text of a multicast: the shared body with the first message's counted link."""
    lead = min(messages, key=lambda m: str(m.pk))
    link = str(lead.headers.get("link", "")) if isinstance(lead.headers, dict) else ""
    return lead.body.replace(LINK, link)[:TEXT_LIMIT]


class LineSender:
    def __init__(self) -> None:
        self._tokens: dict[Any, str | None] = {}

    def __enter__(self) -> LineSender:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def send(self, message: Message) -> None:
        failure = self.send_many([message])[0]
        if failure is not None:
            raise failure

    def send_many(self, messages: list[Message]) -> list[SendFailed | None]:
        groups: dict[tuple[Any, str], list[int]] = {}
        for index, message in enumerate(messages):
            groups.setdefault((message.municipality_id, message.body), []).append(index)
        outcome: list[SendFailed | None] = [None] * len(messages)
        for (municipality_id, _body), indexes in groups.items():
            token = self._token(municipality_id)
            for start in range(0, len(indexes), MULTICAST_LIMIT):
                part = indexes[start : start + MULTICAST_LIMIT]
                failure: SendFailed | None
                if token is None:
                    failure = TechnicalFailure(
                        "no active LINE channel for this municipality (set one up in the admin)"
                    )
                else:
                    failure = self._multicast(token, [messages[i] for i in part])
                for i in part:
                    outcome[i] = failure
        return outcome

    def _token(self, municipality_id: Any) -> str | None:
        if municipality_id not in self._tokens:
            channel = LineChannel.objects.filter(
                municipality_id=municipality_id, is_active=True
            ).first()
            self._tokens[municipality_id] = channel.access_token if channel else None
        return self._tokens[municipality_id]

    def _multicast(self, token: str, messages: list[Message]) -> SendFailed | None:
        from linebot.v3.messaging import (
            ApiClient,
            ApiException,
            Configuration,
            MulticastRequest,
            TextMessage,
        )

        configuration = Configuration(
            host=settings.MACHI_LINE_API_BASE.rstrip("/"), access_token=token
        )
        configuration.retries = 0  # one request per call: the outbox's ladder retries
        request = MulticastRequest(
            to=[m.recipient for m in messages],
            messages=[TextMessage(text=text_for(messages))],
            notificationDisabled=False,
        )
        try:
            with ApiClient(configuration) as client:
                _api(client).multicast_with_http_info(
                    request,
                    x_line_retry_key=retry_key(messages),
                    _request_timeout=TIMEOUT,
                    _preload_content=False,
                )
        except ApiException as exc:
            return _failure(exc)
        except urllib3.exceptions.TimeoutError:
            return TemporaryFailure(f"LINE: no answer within {TIMEOUT:g} s")
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            reason = getattr(exc, "reason", None) or exc
            return TemporaryFailure(f"LINE unreachable: {reason}"[:300])
        return None


def _api(client: object) -> MessagingApi:
    from linebot.v3.messaging import MessagingApi

    return MessagingApi(client)


def _failure(exc: Exception) -> SendFailed | None:
    status = int(getattr(exc, "status", 0) or 0)
    raw = getattr(exc, "body", b"")
    body = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw or "")
    detail = f"LINE HTTP {status} {body}"[:300].strip()
    if status == 409:  # this retry key was accepted before: it went out then
        return None
    if not status or status == 429 or status >= 500:
        return TemporaryFailure(detail if status else f"LINE unreachable: {exc}"[:300])
    if status in (401, 403):
        return TechnicalFailure(detail)
    return PermanentFailure(detail)
