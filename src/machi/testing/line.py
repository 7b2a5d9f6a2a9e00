"""A local stand-in for api.line.me, speaking the Messaging API as LINE does, and signed
webhook bodies as LINE sends them.

:class:`FakeLine` records every request (path, headers, JSON body) and answers the reply
and multicast endpoints: with ``token`` set it refuses another ``Authorization: Bearer``
with 401; ``statuses`` are answered in turn before ``status``; a multicast whose
``X-Line-Retry-Key`` it already accepted gets 409 and is not delivered again, as LINE
does. ``delivered`` lists what reached each user id.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from machi.testing.network import free_port

_ids = itertools.count(1)


class FakeLine:
    """Answers ``status`` (after ``delay`` seconds), or the next of ``statuses`` first."""

    def __init__(self, status: int = 200, delay: float = 0.0, token: str | None = None) -> None:
        self.status = status
        self.statuses: list[int] = []
        self.delay = delay
        self.token = token
        self.calls: list[tuple[str, dict[str, str], dict[str, Any]]] = []
        self.accepted_keys: set[str] = set()
        self.delivered: dict[str, list[str]] = {}  # user id -> texts received
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                body = json.loads(self.rfile.read(length))
                status, answer = fake._answer(self.path, dict(self.headers), body)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps(answer).encode())

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _answer(
        self, path: str, headers: dict[str, str], body: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        with self.lock:
            self.calls.append((path, headers, body))
            status = self.statuses.pop(0) if self.statuses else self.status
        time.sleep(self.delay)
        if self.token is not None and headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {"message": "Authentication failed. Confirm that the access token"}
        if status >= 300:
            return status, {"message": "Invalid reply token" if "reply" in path else "error"}
        if path == "/v2/bot/message/multicast":
            key = headers.get("X-Line-Retry-Key", "")
            with self.lock:
                if key and key in self.accepted_keys:
                    return 409, {"message": "The retry key is already accepted"}
                if key:
                    self.accepted_keys.add(key)
                for user in body["to"]:
                    self.delivered.setdefault(user, []).extend(m["text"] for m in body["messages"])
            return 200, {}
        return 200, {"sentMessages": [{"id": "1", "quoteToken": "q"}]}

    def multicasts(self) -> list[tuple[dict[str, str], dict[str, Any]]]:
        return [(h, b) for p, h, b in self.calls if p == "/v2/bot/message/multicast"]

    def replies(self) -> list[dict[str, Any]]:
        return [b for p, _h, b in self.calls if p == "/v2/bot/message/reply"]


@pytest.fixture
def fake_line(settings: Any) -> Iterator[FakeLine]:
    fake = FakeLine()
    settings.MACHI_LINE_API_BASE = fake.url
    yield fake
    fake.server.shutdown()


def signed(body: bytes, secret: str) -> str:
    """``X-Line-Signature``: base64 HMAC-SHA256 of the raw body with the channel secret."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def webhook_event(kind: str, user: str, **fields: Any) -> dict[str, Any]:
    """An event of a webhook call as LINE sends it (``follow``, ``unfollow``, ``postback``,
    ``message``); ``fields`` are added as they are (``postback={"data": …}``)."""
    event: dict[str, Any] = {
        "type": kind,
        "mode": "active",
        "timestamp": 1735689600000,
        "webhookEventId": f"01JGEVENT{next(_ids):017d}",
        "deliveryContext": {"isRedelivery": False},
        "source": {"type": "user", "userId": user},
    }
    if kind != "unfollow":
        event["replyToken"] = f"reply-token-{next(_ids)}"
    if kind == "follow":
        event["follow"] = {"isUnblocked": False}
    event.update(fields)
    return event


def webhook_body(*events: dict[str, Any]) -> bytes:
    return json.dumps({"destination": "Ubot", "events": list(events)}).encode()
