"""A partner's webhook receiver on loopback, for tests: a real HTTP server in a thread
that checks each POST as a partner is told to (docs/notices.md, "Webhooks for
partners"): the HMAC-SHA256 of ``<timestamp>.<body>`` against any ``v1=`` value of
``Machi-Webhook-Signature``, a timestamp within 5 minutes. It is written from the
documentation, not from machi's sender, so that a sender that drifts from the
documentation fails the tests.

Set ``status`` (the answer), ``delay`` (seconds to wait before answering: a slow partner)
or ``location`` (a redirect's target) to play a partner in trouble.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOLERANCE_SECONDS = 300


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool
    reason: str = ""

    @property
    def webhook_id(self) -> str:
        return self.headers.get("Machi-Webhook-Id", "")

    @property
    def timestamp(self) -> int:
        return int(self.headers.get("Machi-Webhook-Timestamp", "0"))

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


def verify(secrets: list[str], headers: dict[str, str], body: bytes) -> tuple[bool, str]:
    """What a partner does with each POST, following the documentation."""
    timestamp = headers.get("Machi-Webhook-Timestamp", "")
    if not timestamp.isdigit():
        return False, "no timestamp"
    if abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
        return False, "timestamp too old or too far ahead"
    given = headers.get("Machi-Webhook-Signature", "").split()
    for secret in secrets:
        expected = hmac.new(
            secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        if any(hmac.compare_digest(f"v1={expected}", value) for value in given):
            return True, ""
    return False, "signature does not match"


@dataclass
class PartnerReceiver:
    secrets: list[str] = field(default_factory=list)
    status: int = 200
    delay: float = 0.0
    location: str = ""
    received: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    path: str = "/hooks/machi"

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}{self.path}"

    @property
    def verified(self) -> list[Received]:
        return [r for r in self.received if r.verified]

    def start(self) -> PartnerReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                headers = dict(self.headers.items())
                ok, reason = verify(receiver.secrets, headers, body)
                receiver.received.append(Received(self.path, headers, body, ok, reason))
                if receiver.delay:
                    time.sleep(receiver.delay)
                try:
                    self.send_response(receiver.status if ok else 401)
                    if receiver.location:
                        self.send_header("Location", receiver.location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:  # the sender gave up waiting
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
