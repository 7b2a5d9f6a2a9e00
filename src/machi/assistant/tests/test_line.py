"""LINE webhook end to end: real signatures, replies sent to a local HTTP server standing
in for the LINE API, feedback from the buttons, and nothing lost when LINE is down.

The webhook stores the events and answers at once; the answer and the reply come from the
task ``assistant.line_event_process``. Tests run it the two ways it runs: in-process after
commit (the embedded default, ``CELERY_TASK_ALWAYS_EAGER``) and, with ``queued``, sent to
the broker and then run as a worker would."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from machi.assistant import line
from machi.assistant.models import Feedback, LineChannel, LineEventState, LineWebhookEvent, Turn
from machi.assistant.services.faq import faq_import_csv
from machi.assistant.tasks import line_event_process_task, line_events_sweep_task
from machi.core.models import Municipality, Role
from machi.testing.applications import Catalog
from machi.testing.factories import LineChannelFactory
from machi.testing.fixtures import make_staff
from machi.testing.line import FakeLine
from machi.testing.network import free_port
from machi.testing.processes import SERVICES_PRESENT

pytestmark = pytest.mark.django_db
SECRET = "0123456789abcdef0123456789abcdef"
TOKEN = "line-access-token"
USER = "U1234567890abcdef1234567890abcdef"
FAQ = """id,category,question,answer,keywords,procedure
mynumber-lost,マイナンバーカード,マイナンバーカードをなくしたときは？,コールセンターで一時停止し、市民課で再交付を申請してください。,,
"""
_ids = itertools.count(1)


class SilentLine:
    """A LINE API that accepts connections and never answers."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.held: list[socket.socket] = []
        self.accepted = 0
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self.running:
            try:
                conn, _addr = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            self.held.append(conn)  # read nothing, answer nothing

    def close(self) -> None:
        self.running = False
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.fixture
def silent_line(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[SilentLine]:
    silent = SilentLine()
    settings.MACHI_LINE_API_BASE = silent.url
    monkeypatch.setattr(line, "TIMEOUT", 0.5)  # the reply's timeout, shortened for the test
    yield silent
    silent.close()


@pytest.fixture
def channel(catalog: Catalog, city: Municipality) -> LineChannel:
    faq_import_csv(actor=None, municipality=city, content=FAQ.encode())
    return LineChannelFactory(municipality=city, channel_secret=SECRET, access_token=TOKEN)


@pytest.fixture
def post(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """POST to the webhook; what it queued on commit runs when the request's work commits
    (in-process in the embedded default, sent to the broker with ``queued``)."""

    def send(body: bytes, signature: str | None) -> Any:
        headers = {} if signature is None else {"HTTP_X_LINE_SIGNATURE": signature}
        with django_capture_on_commit_callbacks(execute=True):
            return Client().post("/line/webhook/", body, content_type="application/json", **headers)

    return send


@pytest.fixture
def queued() -> Iterator[None]:
    """Tasks go to the broker as in production; the test then runs them as a worker would."""
    from machi.config.celery import app

    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = django_settings.CELERY_TASK_ALWAYS_EAGER


def _signed(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _event(
    text: str = "マイナカードなくした",
    *,
    event_id: str | None = None,
    redelivery: bool = False,
    user: str = USER,
    **overrides: Any,
) -> dict[str, Any]:
    """A text message event as LINE sends it."""
    event: dict[str, Any] = {
        "type": "message",
        "mode": "active",
        "timestamp": 1735689600000,
        "webhookEventId": event_id or f"01JGEVENT{next(_ids):017d}",
        "deliveryContext": {"isRedelivery": redelivery},
        "replyToken": "reply-token-1",
        "source": {"type": "user", "userId": user},
        "message": {"type": "text", "id": "1", "quoteToken": "q", "text": text},
    }
    event.update(overrides)
    return event


def _body(*events: Any, **top: Any) -> bytes:
    return json.dumps({"destination": "Ubot", "events": list(events), **top}).encode()


def _message(text: str, user: str = USER) -> bytes:
    return _body(_event(text, user=user))


def _run_queued() -> list[str]:
    """Run the event tasks that are waiting, as a worker picks them up."""
    waiting = LineWebhookEvent.objects.filter(state=LineEventState.RECEIVED)
    return [line_event_process_task.apply(args=[str(e.pk)]).get() for e in waiting]


def test_a_signed_message_is_answered_through_the_reply_api(
    channel: LineChannel, fake_line: FakeLine, post: Callable[..., Any]
) -> None:
    body = _message("マイナカードなくした")
    response = post(body, _signed(body))
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
    assert USER not in turn.conversation.channel_user  # stored hashed
    event = LineWebhookEvent.objects.get()
    assert (event.state, event.finished, event.turn, event.reply_attempts) == (
        "replied",
        True,
        turn,
        1,
    )
    assert event.payload is None  # the LINE user id and the text are not kept


@pytest.mark.parametrize("signature", [None, "", "bm90IHRoZSBzaWduYXR1cmU=", "forged"])
def test_bad_signatures_get_401_and_are_not_processed(
    channel: LineChannel, fake_line: FakeLine, post: Callable[..., Any], signature: str | None
) -> None:
    body = _message("マイナカードなくした")
    assert post(body, signature).status_code == 401
    assert post(body, _signed(body, secret="another-channel-secret")).status_code == 401
    assert not Turn.objects.exists() and fake_line.calls == []
    assert not LineWebhookEvent.objects.exists()


def test_a_tampered_body_fails_its_signature(
    channel: LineChannel, fake_line: FakeLine, post: Callable[..., Any]
) -> None:
    signed = _body(_event("マイナカードなくした", event_id="01JGTAMPERED00000000000000"))
    tampered = _body(_event("住民票ほしい", event_id="01JGTAMPERED00000000000000"))
    assert post(tampered, _signed(signed)).status_code == 401
    not_utf8 = _message("X").replace(b'"text": "X"', b'"text": "\xff\xfe"')
    assert b"\xff\xfe" in not_utf8
    assert post(not_utf8, _signed(not_utf8)).status_code == 400  # signed, but not JSON text
    assert not Turn.objects.exists() and not LineWebhookEvent.objects.exists()


@pytest.mark.parametrize(
    "body", [b"", _message("マイナカードなくした"), _message("x" * 5000), b'{"events": []}']
)
@pytest.mark.parametrize("secret", [SECRET, "another-channel-secret"])
def test_signature_agrees_with_the_sdk(body: bytes, secret: str) -> None:
    """The webhook checks signatures with ``hmac`` rather than the SDK's
    ``SignatureValidator`` (whose import the web process avoids): both decide alike."""
    from linebot.v3 import SignatureValidator

    sdk = SignatureValidator(secret)
    for signature in (_signed(body, secret), _signed(body + b" ", secret), "", "forged"):
        expected = sdk.validate(body.decode(), signature)
        assert line.signature_valid(secret, body, signature) is expected
    assert line.signature_valid(secret, body, _signed(body, secret))


def test_feedback_buttons_record_the_residents_answer(
    channel: LineChannel, fake_line: FakeLine, post: Callable[..., Any]
) -> None:
    question = _message("マイナカードなくした")
    post(question, _signed(question))
    [(_path, _headers, body)] = fake_line.calls
    data = body["messages"][0]["quickReply"]["items"][1]["action"]["data"]
    postback = _body(_event(type="postback", message=None, postback={"data": data}))
    assert post(postback, _signed(postback)).status_code == 200
    assert Turn.objects.get().feedback == Feedback.UNRESOLVED
    assert LineWebhookEvent.objects.filter(state="recorded").count() == 1
    # Another LINE user cannot rate someone else's turn.
    other = _body(
        _event(type="postback", message=None, postback={"data": data}, user="Uffffffffffffffff")
    )
    Turn.objects.update(feedback="")
    assert post(other, _signed(other)).status_code == 200
    assert Turn.objects.get().feedback == ""
    assert len(fake_line.calls) == 1  # feedback is not replied to


def test_when_line_is_down_the_turn_is_still_stored(
    channel: LineChannel, settings: Any, post: Callable[..., Any]
) -> None:
    settings.MACHI_LINE_API_BASE = f"http://127.0.0.1:{free_port()}"  # nothing listens
    body = _message("マイナカードなくした")
    assert post(body, _signed(body)).status_code == 200
    assert Turn.objects.get().answered
    event = LineWebhookEvent.objects.get()
    assert (event.state, event.error_code, event.reply_attempts) == (
        "failed",
        "line_unreachable",
        2,  # refused connections may pass: tried once more
    )
    assert event.turn == Turn.objects.get() and event.payload is None


def test_staff_see_what_became_of_each_event_in_the_admin(
    channel: LineChannel, settings: Any, post: Callable[..., Any], other_city: Municipality
) -> None:
    settings.MACHI_LINE_API_BASE = f"http://127.0.0.1:{free_port()}"  # nothing listens
    body = _message("マイナカードなくした")
    post(body, _signed(body))
    LineWebhookEvent.objects.create(municipality=other_city, webhook_event_id="01JGSUZUKA")
    admin = make_staff(channel.municipality, "admin@kameyama.example.jp", role=Role.PLATFORM_ADMIN)
    client = Client()
    client.force_login(admin)
    page = client.get("/admin/assistant/linewebhookevent/").content.decode()
    assert "失敗（エラーコードを参照）" in page and "line_unreachable" in page
    assert "01JGSUZUKA" not in page  # another municipality's events
    event = LineWebhookEvent.objects.get(municipality=channel.municipality)
    detail = client.get(f"/admin/assistant/linewebhookevent/{event.pk}/change/")
    assert detail.status_code == 200 and USER not in detail.content.decode()
    assert client.get("/admin/assistant/linewebhookevent/add/").status_code == 403


def test_the_webhook_answers_at_once_when_line_does_not_answer(
    channel: LineChannel, silent_line: SilentLine, post: Callable[..., Any], queued: None
) -> None:
    body = _message("マイナカードなくした")
    started = time.monotonic()
    response = post(body, _signed(body))
    assert response.status_code == 200
    assert time.monotonic() - started < 1.5
    assert LineWebhookEvent.objects.get().state == "received"

    # The worker's reply times out (twice, within the token's lifetime); the turn stays.
    started = time.monotonic()
    assert _run_queued() == ["failed"]
    assert time.monotonic() - started < 5
    assert silent_line.accepted == 2
    assert Turn.objects.get().answered
    event = LineWebhookEvent.objects.get()
    assert (event.error_code, event.reply_attempts, event.payload) == ("line_timeout", 2, None)


def test_a_redelivered_event_is_answered_once(
    channel: LineChannel, fake_line: FakeLine, post: Callable[..., Any]
) -> None:
    first = _event(event_id="01JGREDELIVERED0000000000A")
    again = {**first, "deliveryContext": {"isRedelivery": True}}
    assert post(_body(first), _signed(_body(first))).status_code == 200
    assert post(_body(again), _signed(_body(again))).status_code == 200
    assert Turn.objects.count() == 1
    assert len(fake_line.calls) == 1
    assert LineWebhookEvent.objects.count() == 1


def test_a_redelivery_before_the_worker_ran_is_answered_once(
    channel: LineChannel, fake_line: FakeLine, post: Callable[..., Any], queued: None
) -> None:
    first = _event(event_id="01JGREDELIVERED0000000000B")
    again = {**first, "deliveryContext": {"isRedelivery": True}}
    post(_body(first), _signed(_body(first)))
    post(_body(again), _signed(_body(again)))  # queued a second time: the first may be lost
    [event] = LineWebhookEvent.objects.all()
    assert line_event_process_task.apply(args=[str(event.pk)]).get() == "replied"
    assert line_event_process_task.apply(args=[str(event.pk)]).get() == "replied"
    assert Turn.objects.count() == 1 and len(fake_line.calls) == 1


def test_running_the_task_twice_replies_once(
    channel: LineChannel, fake_line: FakeLine, post: Callable[..., Any]
) -> None:
    body = _message("マイナカードなくした")
    post(body, _signed(body))  # the task ran after commit
    event = LineWebhookEvent.objects.get()
    assert line_event_process_task.apply(args=[str(event.pk)]).get() == "replied"
    assert Turn.objects.count() == 1 and len(fake_line.calls) == 1


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_two_workers_taking_the_same_event_at_once_reply_once(
    channel: LineChannel, fake_line: FakeLine, post: Callable[..., Any], queued: None
) -> None:
    fake_line.delay = 1.0  # the first worker is still replying when the second looks
    body = _message("マイナカードなくした")
    post(body, _signed(body))
    event = LineWebhookEvent.objects.get()
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def work() -> None:
        from django.db import connections

        barrier.wait()
        try:
            outcomes.append(line_event_process_task.apply(args=[str(event.pk)]).get())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["locked", "replied"]
    assert Turn.objects.count() == 1 and len(fake_line.calls) == 1


MALFORMED: list[tuple[str, Any, str]] = [
    ("message is a string", _event(message="x"), "wrong_type"),
    ("source is a string", _event(source="x"), "wrong_type"),
    ("postback is a string", _event(type="postback", message=None, postback="x"), "wrong_type"),
    ("lone surrogate in the text", _event("\ud800 住民票"), "invalid_text"),
    ("lone surrogate in the user id", _event(user="U\udfff"), "invalid_text"),
    ("NUL in the text", _event("住民票\x00"), "invalid_text"),
    ("text is a number", _event(message={"type": "text", "id": "1", "text": 5}), "wrong_type"),
    ("message without text", _event(message={"type": "text", "id": "1"}), "missing_field"),
    ("no message", _event(message=None), "missing_field"),
    ("no reply token", _event(replyToken=None), "missing_field"),
    ("no webhookEventId", _event(webhookEventId=None), "missing_field"),
    ("webhookEventId is a number", _event(webhookEventId=7), "wrong_type"),
    ("webhookEventId too long", _event(event_id="0" * 65), "wrong_type"),
    ("deliveryContext is a string", _event(deliveryContext="x"), "wrong_type"),
    ("isRedelivery is a string", _event(deliveryContext={"isRedelivery": "yes"}), "wrong_type"),
    ("type is a number", _event(type=5), "wrong_type"),
    ("postback data is a list", _event(type="postback", postback={"data": []}), "wrong_type"),
    ("event is a string", "x", "not_an_object"),
    ("event is null", None, "not_an_object"),
    ("event is a list", [1], "not_an_object"),
]


@pytest.mark.parametrize(
    ("event", "code"), [(e, c) for _n, e, c in MALFORMED], ids=[n for n, _e, _c in MALFORMED]
)
def test_a_malformed_event_is_refused_with_200(
    channel: LineChannel, fake_line: FakeLine, post: Callable[..., Any], event: Any, code: str
) -> None:
    body = _body(event)
    assert post(body, _signed(body)).status_code == 200
    assert not Turn.objects.exists() and fake_line.calls == []
    refused = LineWebhookEvent.objects.get()
    assert (refused.state, refused.error_code, refused.payload) == ("refused", code, None)
    assert refused.finished


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"events": "x"}).encode(),
        json.dumps({"events": {"0": _event()}}).encode(),
        json.dumps({"destination": "Ubot"}).encode(),
        json.dumps([_event()]).encode(),
        json.dumps("events").encode(),
    ],
    ids=["events is a string", "events is an object", "no events", "a list", "a string"],
)
def test_an_event_list_that_is_not_a_list_is_refused_with_200(
    channel: LineChannel, fake_line: FakeLine, post: Callable[..., Any], body: bytes
) -> None:
    assert post(body, _signed(body)).status_code == 200
    assert not Turn.objects.exists() and fake_line.calls == []
    assert LineWebhookEvent.objects.get().state == "refused"


def test_a_malformed_event_does_not_stop_the_others(
    channel: LineChannel, fake_line: FakeLine, post: Callable[..., Any]
) -> None:
    body = _body(_event(message="x"), "x", _event("マイナカードなくした"))
    assert post(body, _signed(body)).status_code == 200
    assert Turn.objects.count() == 1 and len(fake_line.calls) == 1
    states = sorted(LineWebhookEvent.objects.values_list("state", flat=True))
    assert states == ["refused", "refused", "replied"]


def test_events_the_assistant_does_not_answer_are_kept_without_payload(
    channel: LineChannel, fake_line: FakeLine, post: Callable[..., Any]
) -> None:
    sticker = {"type": "sticker", "id": "2", "packageId": "1", "stickerId": "1"}
    body = _body(
        {**_event(), "type": "beacon", "message": None},
        _event(message=sticker),
        _event(mode="standby", replyToken=None),  # another channel answers in standby
        {**_event(), "type": "somethingLineAddsLater", "message": None},
    )
    assert post(body, _signed(body)).status_code == 200
    assert not Turn.objects.exists() and fake_line.calls == []
    events = LineWebhookEvent.objects.all()
    assert {(e.state, e.payload) for e in events} == {("ignored", None)}
    assert len(events) == 4


@pytest.mark.parametrize(
    ("status", "code", "calls"),
    [(500, "line_error", 2), (429, "line_error", 2), (400, "line_refused", 1)],
)
def test_a_reply_line_refuses_is_recorded_and_retried_only_if_it_may_pass(
    channel: LineChannel,
    fake_line: FakeLine,
    post: Callable[..., Any],
    status: int,
    code: str,
    calls: int,
) -> None:
    fake_line.status = status
    body = _message("マイナカードなくした")
    assert post(body, _signed(body)).status_code == 200
    assert len(fake_line.calls) == calls
    event = LineWebhookEvent.objects.get()
    assert (event.state, event.error_code) == ("failed", code)
    assert str(status) in event.error_detail
    assert Turn.objects.get().answered


def test_the_sweep_answers_a_lost_event_without_a_stale_reply_and_forgets_old_ones(
    channel: LineChannel, fake_line: FakeLine, post: Callable[..., Any], queued: None
) -> None:
    schedule = django_settings.CELERY_BEAT_SCHEDULE.values()
    assert any(e["task"] == "assistant.line_events_sweep" for e in schedule)
    body = _message("マイナカードなくした")
    post(body, _signed(body))  # queued, but say the broker lost it
    LineWebhookEvent.objects.update(received_at=timezone.now() - timezone.timedelta(minutes=3))
    assert line_events_sweep_task.apply().get() == {"processed": 1, "deleted": 0}
    event = LineWebhookEvent.objects.get()
    assert (event.state, event.error_code, event.payload) == (
        "failed",
        "reply_token_expired",
        None,
    )
    assert Turn.objects.get().answered  # the question is kept for the FAQ's staff
    assert fake_line.calls == []  # the reply token has expired: LINE would refuse it
    LineWebhookEvent.objects.update(received_at=timezone.now() - timezone.timedelta(days=8))
    assert line_events_sweep_task.apply().get() == {"processed": 0, "deleted": 1}
    assert Turn.objects.exists()


def test_an_empty_or_strange_message_gets_a_polite_reply(
    channel: LineChannel, fake_line: FakeLine, post: Callable[..., Any]
) -> None:
    for text in ["", "あ" * 1000, "<b>住民票</b>"]:
        body = _message(text)
        assert post(body, _signed(body)).status_code == 200
    texts = [call[2]["messages"][0]["text"] for call in fake_line.calls]
    assert "質問を文字で送ってください" in texts[0]
    assert "長すぎます" in texts[1]
    assert len(texts) == 3
    malformed = b"{not json"
    assert post(malformed, _signed(malformed)).status_code == 400


def test_no_channel_configured_is_404(
    catalog: Catalog, city: Municipality, post: Callable[..., Any]
) -> None:
    body = _message("住民票")
    assert post(body, _signed(body)).status_code == 404


def test_the_web_process_does_not_load_the_line_sdk() -> None:
    """Importing LINE's SDK takes seconds; LINE waits one or two for the webhook's answer.
    Only the worker, which sends the replies, loads it."""
    script = (
        "import sys, django; django.setup(); from django.urls import resolve; "
        "resolve('/line/webhook/'); import machi.assistant.tasks; "
        "print(sorted(m for m in sys.modules if m.startswith('linebot')))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "machi.config.settings"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "[]"


@pytest.fixture
def slow_line() -> Iterator[FakeLine]:
    fake = FakeLine(delay=3.0)  # LINE answers, but only after three seconds
    yield fake
    fake.server.shutdown()


@pytest.fixture
def process_env(slow_line: FakeLine) -> dict[str, str]:
    return {"MACHI_LINE_API_BASE": slow_line.url}


def _services_present(test: Callable[..., None]) -> Callable[..., None]:
    for mark in SERVICES_PRESENT:
        test = mark(test)
    return test


@_services_present
def test_gunicorn_answers_at_once_while_a_celery_worker_replies(
    channel: LineChannel,
    slow_line: FakeLine,
    celery_worker: subprocess.Popen[bytes],
    gunicorn: str,
) -> None:
    # Each web worker loads the URL configuration on its first request (seconds): warm
    # them up as production's first requests do, until three answers in a row come fast.
    fast = 0
    for _ in range(30):
        before = time.monotonic()
        assert requests.post(f"{gunicorn}/line/webhook/", data=b"{}", timeout=30).status_code == 401
        fast = fast + 1 if time.monotonic() - before < 0.5 else 0
        if fast == 3:
            break
    body = _message("マイナカードなくした")
    started = time.monotonic()
    response = requests.post(
        f"{gunicorn}/line/webhook/",
        data=body,
        headers={"Content-Type": "application/json", "X-Line-Signature": _signed(body)},
        timeout=10,
    )
    assert response.status_code == 200
    assert time.monotonic() - started < 1.5  # LINE takes 3 s: the webhook did not wait
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if LineWebhookEvent.objects.filter(state="replied").exists():
            break
        time.sleep(0.2)
    event = LineWebhookEvent.objects.get()
    assert (event.state, event.payload) == ("replied", None)
    assert len(slow_line.calls) == 1
    assert slow_line.calls[0][2]["replyToken"] == "reply-token-1"
    assert Turn.objects.get().answered
