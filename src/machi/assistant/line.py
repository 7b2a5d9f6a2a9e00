"""LINE Messaging API through LINE's SDK (``line-bot-sdk`` v3) where the SDK fits: the
webhook signature, reading the fields of an event that the assistant uses, and the reply.

What goes through the SDK: the reply (``MessagingApi.reply_message_with_http_info`` with
``Configuration(host=MACHI_LINE_API_BASE)``, so tests point it at a local server, the
SDK's per-request ``_request_timeout`` and its retries off: the caller decides
(``ReplyFailed.transient``)), and the messages and quick replies it sends.

What does not, and why (checked with line-bot-sdk 3.27.0):

* The signature (base64 HMAC-SHA256 of the raw body with the channel secret, in
  ``X-Line-Signature``) is checked here with ``hmac``, on the raw body before anything is
  parsed. The SDK's ``SignatureValidator`` does the same computation, but it cannot be
  imported alone: ``linebot.v3``'s ``__init__`` imports every webhook model (0.7 s and
  about 45 MB more per process, measured here), for a five-line check the standard
  library does. The web process loads every view when it starts, so each web worker
  would carry that; only the worker that sends replies loads the SDK (``warm_up``;
  ``test_the_web_process_does_not_load_the_line_sdk``). ``SignatureValidator`` also wants
  the body as text, where LINE signs bytes. A test checks that both agree
  (``test_signature_agrees_with_the_sdk``).
* Events are read field by field rather than with ``WebhookParser`` and its generated
  models, which would lose machi's per-event hardening: ``Event.from_dict`` raises
  ``TypeError`` on some wrong shapes (``"message": "x"``, ``"source": "x"``), which the
  parser does not catch, so one bad event would fail the whole call; it refuses an event
  for a field the assistant does not use (a text message without ``quoteToken``, an event
  without ``timestamp``) and reads a new message or event type and a malformed one alike
  (``UnknownEvent``). Here only the fields used are checked, so an event LINE extends later
  still gets an answer, and text with NUL or lone surrogates is refused per event.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import urllib3
from django.conf import settings

from machi.core.json_input import bad_character

if TYPE_CHECKING:
    from linebot.v3.messaging import QuickReplyItem, TextMessage

TIMEOUT: Final = 5.0  # seconds for one reply call, connecting included
TEXT_LIMIT: Final = 5000
LABEL_LIMIT: Final = 20
EVENT_ID_LIMIT: Final = 64


class ReplyFailed(Exception):
    """The reply did not reach LINE. ``code``: ``line_timeout``, ``line_unreachable``,
    ``line_error`` (429 or 5xx) or ``line_refused`` (another 4xx: an expired or used reply
    token, a wrong access token). ``transient`` says whether trying again may help."""

    def __init__(self, code: str, detail: str, *, transient: bool) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.transient = transient


class MalformedEvent(ValueError):
    """An event of a signed webhook that the assistant cannot read. ``code``:
    ``not_an_object``, ``missing_field``, ``wrong_type`` or ``invalid_text`` (NUL or a lone
    surrogate); ``field`` names the field; ``webhook_event_id`` is LINE's id if readable."""

    def __init__(self, code: str, field: str = "", webhook_event_id: str = "") -> None:
        super().__init__(f"{code} {field}".strip())
        self.code = code
        self.field = field
        self.webhook_event_id = webhook_event_id


@dataclass(frozen=True)
class WebhookEvent:
    """The fields of one webhook event that the assistant uses."""

    webhook_event_id: str
    type: str
    is_redelivery: bool
    standby: bool  # another channel answers (module mode): no reply token, no reply
    reply_token: str = ""
    user_id: str = ""
    message_type: str = ""
    text: str = ""
    postback_data: str = ""


def signature_valid(secret: str, body: bytes, signature: str) -> bool:
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    return bool(signature) and hmac.compare_digest(expected, signature.encode())


def warm_up() -> None:
    """Import the SDK's messaging client now (it takes seconds) rather than on the first
    reply; called when a Celery worker starts."""
    import linebot.v3.messaging  # noqa: F401


def _field(obj: dict[str, Any], name: str, kind: type, *, required: bool = True) -> Any:
    value = obj.get(name)
    if value is None:
        if required:
            raise MalformedEvent("missing_field", name)
        return kind()
    if not isinstance(value, kind):
        raise MalformedEvent("wrong_type", name)
    if isinstance(value, str) and bad_character(value):
        raise MalformedEvent("invalid_text", name)
    return value


def event_read(raw: object) -> WebhookEvent:
    """Read one event; raise ``MalformedEvent`` for a missing field, a field of the wrong
    type or text that cannot be stored. Event and message types the assistant does not
    answer are read too (only their common fields are checked)."""
    if not isinstance(raw, dict):
        raise MalformedEvent("not_an_object")
    event_id = raw.get("webhookEventId")
    readable_id = (
        event_id
        if isinstance(event_id, str)
        and 0 < len(event_id) <= EVENT_ID_LIMIT
        and not bad_character(event_id)
        else ""
    )
    try:
        return _event_read(raw)
    except MalformedEvent as bad:
        raise MalformedEvent(bad.code, bad.field, readable_id) from None


def _event_read(raw: dict[str, Any]) -> WebhookEvent:
    event_id = _field(raw, "webhookEventId", str)
    if not event_id or len(event_id) > EVENT_ID_LIMIT:
        raise MalformedEvent("wrong_type", "webhookEventId")
    kind = _field(raw, "type", str)
    context = _field(raw, "deliveryContext", dict)
    redelivery = _field(context, "isRedelivery", bool)
    mode = _field(raw, "mode", str)
    common = {
        "webhook_event_id": event_id,
        "type": kind,
        "is_redelivery": redelivery,
        "standby": mode == "standby",
    }
    if kind not in ("message", "postback", "follow", "unfollow"):
        return WebhookEvent(**common)
    source = _field(raw, "source", dict, required=False)
    user_id = _field(source, "userId", str, required=False)
    if kind == "unfollow":  # no reply token: the user has blocked the account
        return WebhookEvent(**common, user_id=user_id)
    reply_token = _field(raw, "replyToken", str, required=mode != "standby")
    if kind == "follow":
        return WebhookEvent(**common, reply_token=reply_token, user_id=user_id)
    if kind == "postback":
        postback = _field(raw, "postback", dict)
        data = _field(postback, "data", str)
        return WebhookEvent(**common, reply_token=reply_token, user_id=user_id, postback_data=data)
    message = _field(raw, "message", dict)
    message_type = _field(message, "type", str)
    text = _field(message, "text", str) if message_type == "text" else ""
    return WebhookEvent(
        **common, reply_token=reply_token, user_id=user_id, message_type=message_type, text=text
    )


def text_message(text: str, quick_replies: list[QuickReplyItem] | None = None) -> TextMessage:
    from linebot.v3.messaging import QuickReply, TextMessage

    quick = QuickReply(items=quick_replies[:13]) if quick_replies else None
    return TextMessage(text=text[:TEXT_LIMIT], quick_reply=quick)


def postback_item(label: str, data: str, display: str) -> QuickReplyItem:
    from linebot.v3.messaging import PostbackAction, QuickReplyItem

    return QuickReplyItem(
        action=PostbackAction(label=label[:LABEL_LIMIT], data=data, display_text=display)
    )


def message_item(label: str, text: str) -> QuickReplyItem:
    from linebot.v3.messaging import MessageAction, QuickReplyItem

    return QuickReplyItem(action=MessageAction(label=label[:LABEL_LIMIT], text=text[:300]))


def reply(
    access_token: str, reply_token: str, messages: list[TextMessage], *, timeout: float = TIMEOUT
) -> None:
    """Send one reply; raise ``ReplyFailed`` if LINE did not take it within ``timeout``."""
    from linebot.v3.messaging import (
        ApiClient,
        ApiException,
        Configuration,
        MessagingApi,
        ReplyMessageRequest,
    )

    configuration = Configuration(
        host=settings.MACHI_LINE_API_BASE.rstrip("/"), access_token=access_token
    )
    configuration.retries = 0  # one request per call: retrying is the caller's decision
    request = ReplyMessageRequest(reply_token=reply_token, messages=messages[:5])
    try:
        with ApiClient(configuration) as client:
            # The raw answer: a 2xx is success whatever body LINE sends with it.
            MessagingApi(client).reply_message_with_http_info(
                request, _request_timeout=timeout, _preload_content=False
            )
    except ApiException as exc:
        status = int(exc.status or 0)
        if not status:  # a TLS failure: no answer from LINE at all
            raise ReplyFailed("line_unreachable", str(exc.reason)[:200], transient=True) from exc
        transient = status == 429 or status >= 500
        body = exc.body.decode("utf-8", "replace") if isinstance(exc.body, bytes) else ""
        raise ReplyFailed(
            "line_error" if transient else "line_refused",
            f"HTTP {status} {body}"[:300].strip(),
            transient=transient,
        ) from exc
    except urllib3.exceptions.TimeoutError as exc:
        raise ReplyFailed(
            "line_timeout", f"no answer within {timeout:g} s", transient=True
        ) from exc
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise ReplyFailed("line_unreachable", str(reason)[:200], transient=True) from exc
