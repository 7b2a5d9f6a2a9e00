"""LINE Messaging API: the webhook signature and the reply call.

The signature is base64(HMAC-SHA256(channel secret, request body)) in ``X-Line-Signature``;
it is checked on the raw bytes before anything is parsed. Replies go to
``{MACHI_LINE_API_BASE}/v2/bot/message/reply`` with the reply token of the event.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from typing import Any, Final

from django.conf import settings

logger = logging.getLogger(__name__)
TIMEOUT: Final = 5
TEXT_LIMIT: Final = 5000
LABEL_LIMIT: Final = 20


class LineUnavailable(Exception):
    """The reply could not be delivered (network, timeout or an error status)."""


def signature_valid(secret: str, body: bytes, signature: str) -> bool:
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    return bool(signature) and hmac.compare_digest(expected, signature.encode())


def text_message(text: str, quick_replies: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {"type": "text", "text": text[:TEXT_LIMIT]}
    if quick_replies:
        message["quickReply"] = {"items": quick_replies[:13]}
    return message


def postback_item(label: str, data: str, display: str) -> dict[str, Any]:
    return {
        "type": "action",
        "action": {
            "type": "postback",
            "label": label[:LABEL_LIMIT],
            "data": data,
            "displayText": display,
        },
    }


def message_item(label: str, text: str) -> dict[str, Any]:
    return {
        "type": "action",
        "action": {"type": "message", "label": label[:LABEL_LIMIT], "text": text[:300]},
    }


def reply(access_token: str, reply_token: str, messages: list[dict[str, Any]]) -> None:
    url = settings.MACHI_LINE_API_BASE.rstrip("/") + "/v2/bot/message/reply"
    body = json.dumps({"replyToken": reply_token, "messages": messages[:5]}).encode()
    request = urllib.request.Request(  # noqa: S310 - the configured LINE API base (https)
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {access_token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            response.read()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise LineUnavailable(str(exc)) from exc
