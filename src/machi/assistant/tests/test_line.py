"""LINE webhook end to end: real signatures, replies sent to a local HTTP server standing
in for the LINE API, feedback from the buttons, and nothing lost when LINE is down."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client

from machi.assistant.models import Feedback, LineChannel, Turn
from machi.assistant.services.faq import faq_import_csv
from machi.core.models import Municipality
from machi.procedures.tests.conftest import Catalog
from machi.testing.network import free_port

pytestmark = pytest.mark.django_db
SECRET = "0123456789abcdef0123456789abcdef"
TOKEN = "line-access-token"
FAQ = """id,category,question,answer,keywords,procedure
mynumber-lost,マイナンバーカード,マイナンバーカードをなくしたときは？,コールセンターで一時停止し、市民課で再交付を申請してください。,,
"""


class FakeLine:
    """A local stand-in for api.line.me that records what it was sent."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.calls: list[tuple[str, dict[str, str], dict[str, Any]]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                body = json.loads(self.rfile.read(length))
                fake.calls.append((self.path, dict(self.headers), body))
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def fake_line(settings: Any) -> Iterator[FakeLine]:
    fake = FakeLine()
    settings.MACHI_LINE_API_BASE = fake.url
    yield fake
    fake.server.shutdown()


@pytest.fixture
def channel(catalog: Catalog, city: Municipality) -> LineChannel:
    faq_import_csv(actor=None, municipality=city, content=FAQ.encode())
    return LineChannel.objects.create(municipality=city, channel_secret=SECRET, access_token=TOKEN)


def _signed(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _post(body: bytes, signature: str | None) -> Any:
    headers = {} if signature is None else {"HTTP_X_LINE_SIGNATURE": signature}
    return Client().post("/line/webhook/", body, content_type="application/json", **headers)


def _message(text: str, user: str = "U1234567890abcdef") -> bytes:
    event = {
        "type": "message",
        "replyToken": "reply-token-1",
        "source": {"type": "user", "userId": user},
        "message": {"type": "text", "id": "1", "text": text},
    }
    return json.dumps({"destination": "x", "events": [event]}, ensure_ascii=False).encode()


def test_a_signed_message_is_answered_through_the_reply_api(
    channel: LineChannel, fake_line: FakeLine
) -> None:
    response = _post(_message("マイナカードなくした"), _signed(_message("マイナカードなくした")))
    assert response.status_code == 200
    [(path, headers, body)] = fake_line.calls
    assert path == "/v2/bot/message/reply"
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert body["replyToken"] == "reply-token-1"
    [message] = body["messages"]
    assert "コールセンターで一時停止" in message["text"]
    labels = [item["action"]["label"] for item in message["quickReply"]["items"]]
    assert labels == ["解決した", "解決しなかった"]
    turn = Turn.objects.get()
    assert turn.conversation.channel == "line"
    assert "U1234567890abcdef" not in turn.conversation.channel_user  # stored hashed


@pytest.mark.parametrize("signature", [None, "", "bm90IHRoZSBzaWduYXR1cmU=", "forged"])
def test_bad_signatures_get_401_and_are_not_processed(
    channel: LineChannel, fake_line: FakeLine, signature: str | None
) -> None:
    assert _post(_message("マイナカードなくした"), signature).status_code == 401
    other_secret = _signed(_message("マイナカードなくした"), secret="another-channel-secret")
    assert _post(_message("マイナカードなくした"), other_secret).status_code == 401
    assert not Turn.objects.exists() and fake_line.calls == []


def test_a_tampered_body_fails_its_signature(channel: LineChannel, fake_line: FakeLine) -> None:
    signature = _signed(_message("マイナカードなくした"))
    assert _post(_message("住民票ほしい"), signature).status_code == 401
    assert not Turn.objects.exists()


def test_feedback_buttons_record_the_residents_answer(
    channel: LineChannel, fake_line: FakeLine
) -> None:
    _post(_message("マイナカードなくした"), _signed(_message("マイナカードなくした")))
    [(_path, _headers, body)] = fake_line.calls
    data = body["messages"][0]["quickReply"]["items"][1]["action"]["data"]
    postback = json.dumps(
        {
            "events": [
                {
                    "type": "postback",
                    "replyToken": "reply-token-2",
                    "source": {"type": "user", "userId": "U1234567890abcdef"},
                    "postback": {"data": data},
                }
            ]
        }
    ).encode()
    assert _post(postback, _signed(postback)).status_code == 200
    assert Turn.objects.get().feedback == Feedback.UNRESOLVED
    # Another LINE user cannot rate someone else's turn.
    other = postback.replace(b"U1234567890abcdef", b"Uffffffffffffffff")
    Turn.objects.update(feedback="")
    assert _post(other, _signed(other)).status_code == 200
    assert Turn.objects.get().feedback == ""


def test_when_line_is_down_the_turn_is_still_stored(channel: LineChannel, settings: Any) -> None:
    settings.MACHI_LINE_API_BASE = f"http://127.0.0.1:{free_port()}"  # nothing listens
    body = _message("マイナカードなくした")
    assert _post(body, _signed(body)).status_code == 200
    assert Turn.objects.get().answered


def test_an_empty_or_strange_message_gets_a_polite_reply(
    channel: LineChannel, fake_line: FakeLine
) -> None:
    for text in ["", "あ" * 1000, "<b>住民票</b>"]:
        body = _message(text)
        assert _post(body, _signed(body)).status_code == 200
    texts = [call[2]["messages"][0]["text"] for call in fake_line.calls]
    assert "質問を文字で送ってください" in texts[0]
    assert "長すぎます" in texts[1]
    assert len(texts) == 3
    malformed = b"{not json"
    assert _post(malformed, _signed(malformed)).status_code == 400


def test_no_channel_configured_is_404(catalog: Catalog, city: Municipality) -> None:
    body = _message("住民票")
    assert _post(body, _signed(body)).status_code == 404
