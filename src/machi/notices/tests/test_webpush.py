"""Web Push end to end against a real push service stand-in: an HTTPS server on loopback
that checks the VAPID signature (RFC 8292) and decrypts each push (RFC 8291, http_ece)
with the keys a browser would have made."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import ssl
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import http_ece
import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from machi.notices.checks import check_webpush_key
from machi.notices.delivery import vapid
from machi.notices.delivery import webpush as webpush_delivery
from machi.notices.models import Channel, Message, MessageStatus, Subscription
from machi.notices.services import messages
from machi.notices.services.composers.webpush import MAX_PAYLOAD, payload
from machi.notices.tests.conftest import Town


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Push:
    path: str
    headers: Any  # the request's headers, looked up without regard to case
    body: bytes
    claims: dict[str, Any]


@dataclass
class PushService:
    """Answers each endpoint path with the statuses queued for it, then 201."""

    origin: str
    server_key: str  # the VAPID public key pushes must carry
    received: list[Push] = field(default_factory=list)
    answers: dict[str, list[int]] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    delays: dict[str, float] = field(default_factory=dict)  # seconds before answering

    def to(self, path: str) -> list[Push]:
        return [p for p in self.received if p.path == path]


def _verify_vapid(header: str, origin: str, expected_key: str) -> dict[str, Any]:
    """What a push service checks (RFC 8292): ``vapid t=<JWT>,k=<key>``, an ES256 JWT
    signed by k, for our origin, not expired, with a contact."""
    scheme, _, params = header.partition(" ")
    assert scheme == "vapid"
    parts = dict(p.split("=", 1) for p in params.split(","))
    assert parts["k"] == expected_key
    header_b64, claims_b64, signature_b64 = parts["t"].split(".")
    assert json.loads(_unb64url(header_b64)) == {"typ": "JWT", "alg": "ES256"}
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64url(parts["k"]))
    signature = _unb64url(signature_b64)
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    key.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    claims: dict[str, Any] = json.loads(_unb64url(claims_b64))
    assert claims["aud"] == origin
    assert time.time() < claims["exp"] <= time.time() + 86400
    assert claims["sub"].startswith("mailto:")
    return claims


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "push.crt", directory / "push.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def push_service(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[PushService]:
    settings.MACHI_WEBPUSH_VAPID_PRIVATE_KEY = vapid.new_private_key()
    settings.MACHI_WEBPUSH_SUBJECT = "mailto:webmaster@kameyama.example.jp"
    settings.MACHI_WEBPUSH_PUSH_SERVICES = ["127.0.0.1"]
    cert, key = _self_signed(tmp_path)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))  # our side trusts this server only
    state: dict[str, PushService] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            service = state["service"]
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            time.sleep(service.delays.get(self.path, 0))
            try:
                claims = _verify_vapid(
                    self.headers.get("Authorization", ""), service.origin, service.server_key
                )
            except (AssertionError, InvalidSignature, KeyError, ValueError) as exc:
                service.refused.append(repr(exc))
                self.send_response(403)
                self.end_headers()
                return
            service.received.append(Push(self.path, self.headers, body, claims))
            queued = service.answers.get(self.path) or []
            status = queued.pop(0) if queued else 201
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    state["service"] = PushService(
        origin=f"https://127.0.0.1:{server.server_address[1]}",
        server_key=vapid.public_key(),
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state["service"]
    server.shutdown()
    server.server_close()


@dataclass
class Browser:
    """What a browser makes when it subscribes: a P-256 key pair and an auth secret."""

    endpoint: str
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def path(self) -> str:
        return "/" + self.endpoint.split("/", 3)[3]

    def subscription(self) -> dict[str, Any]:
        point = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": _b64url(point), "auth": _b64url(self.auth)},
        }

    def read(self, push: Push) -> dict[str, Any]:
        assert push.headers["Content-Encoding"] == "aes128gcm"
        plain = http_ece.decrypt(
            push.body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )
        document: dict[str, Any] = json.loads(plain)
        return document


def _browser(service: PushService) -> Browser:
    return Browser(endpoint=f"{service.origin}/wpush/v2/{uuid.uuid4().hex}")


def _subscribe(client: Client, browser: Browser, **topics: Any) -> Any:
    return client.post(
        "/notices/push/subscribe/",
        json.dumps({"subscription": browser.subscription(), **topics}),
        content_type="application/json",
    )


@pytest.mark.django_db(transaction=True)
def test_a_browser_subscribes_and_receives_its_district_s_notices_encrypted(
    town: Town, push_service: PushService, client: Client
) -> None:
    browser = _browser(push_service)
    response = _subscribe(client, browser, districts=["seki"])
    assert response.status_code == 201
    assert "この端末" in response.json()["message"]
    subscription = Subscription.objects.get(channel=Channel.WEB_PUSH)
    assert subscription.active and subscription.address == browser.endpoint
    assert set(subscription.details) == {"p256dh", "auth"}

    town.notice(
        title="関の清掃", body="日曜日の朝8時から、関宿の通りを清掃します。", districts=[town.seki]
    )
    town.notice(title="加太の清掃", districts=[town.kabuto])
    town.notice(title="大雨への備え", category=town.categories["bosai"])
    pushes = push_service.to(browser.path)
    assert len(pushes) == 2, push_service.refused
    first, urgent = (browser.read(p) for p in pushes)
    assert first["title"] == "関の清掃"
    assert "関宿の通りを清掃" in first["body"]
    assert first["tag"].startswith("notice-")
    assert urgent["title"] == "大雨への備え"
    assert pushes[0].headers["Urgency"] == "normal" and pushes[1].headers["Urgency"] == "high"
    assert pushes[0].headers["TTL"] == "86400"
    # The click goes through machi's counting redirect to the notice.
    assert first["url"].startswith("http://testserver/notices/go/")
    read = client.get(first["url"])
    assert read.status_code == 302
    assert "関の清掃" in client.get(read["Location"]).content.decode()
    message = Message.objects.get(channel=Channel.WEB_PUSH, notice__title="関の清掃")
    assert message.status == MessageStatus.DELIVERED and message.clicks == 1

    # Unsubscribing (the page's button) stops the pushes.
    stop = client.post(
        "/notices/push/unsubscribe/",
        json.dumps({"endpoint": browser.endpoint, "auth": browser.subscription()["keys"]["auth"]}),
        content_type="application/json",
    )
    assert stop.status_code == 200
    town.notice(title="もう届かない")
    assert len(push_service.to(browser.path)) == 2


@pytest.mark.django_db(transaction=True)
def test_an_endpoint_answering_410_ends_the_subscription(
    town: Town, push_service: PushService, client: Client
) -> None:
    browser = _browser(push_service)
    assert _subscribe(client, browser).status_code == 201
    push_service.answers[browser.path] = [410]
    town.notice(title="届かない通知")
    message = Message.objects.get(channel=Channel.WEB_PUSH)
    assert message.status == MessageStatus.PERMANENT_FAILURE and "410" in message.error
    assert Subscription.objects.get(channel=Channel.WEB_PUSH).unsubscribed_at is not None
    town.notice(title="次の通知")
    assert len(push_service.to(browser.path)) == 1
    assert Message.objects.filter(channel=Channel.WEB_PUSH).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_push_service_error_is_tried_again_and_delivered_once(
    town: Town, push_service: PushService, client: Client
) -> None:
    browser = _browser(push_service)
    assert _subscribe(client, browser).status_code == 201
    push_service.answers[browser.path] = [500]
    town.notice(title="再送される通知")
    message = Message.objects.get(channel=Channel.WEB_PUSH)
    assert message.status == MessageStatus.SENDING and message.error.startswith("500")
    messages.messages_send_due(now=timezone.now() + dt.timedelta(minutes=2))
    messages.messages_send_due(now=timezone.now() + dt.timedelta(minutes=4))
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED and message.attempts == 2
    pushes = push_service.to(browser.path)
    assert len(pushes) == 2  # the refused one, then the one the browser shows
    assert browser.read(pushes[1])["title"] == "再送される通知"


@pytest.mark.django_db(transaction=True)
def test_too_many_requests_waits_and_another_4xx_fails_for_good(
    town: Town, push_service: PushService, client: Client
) -> None:
    slow, refused = _browser(push_service), _browser(push_service)
    assert _subscribe(client, slow).status_code == 201
    assert _subscribe(client, refused).status_code == 201
    push_service.answers[slow.path] = [429]
    push_service.answers[refused.path] = [400]
    town.notice(title="混雑")
    by_endpoint = {m.recipient: m for m in Message.objects.filter(channel=Channel.WEB_PUSH)}
    assert by_endpoint[slow.endpoint].status == MessageStatus.SENDING
    assert by_endpoint[refused.endpoint].status == MessageStatus.PERMANENT_FAILURE
    assert Subscription.objects.get(address=refused.endpoint).unsubscribed_at is None


@pytest.mark.django_db(transaction=True)
def test_a_push_service_that_does_not_answer_in_time_is_tried_again(
    town: Town, push_service: PushService, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webpush_delivery, "TIMEOUT", 0.5)  # the 10 s of production, shorter
    browser = _browser(push_service)
    assert _subscribe(client, browser).status_code == 201
    push_service.delays[browser.path] = 2
    town.notice(title="遅い応答")
    message = Message.objects.get(channel=Channel.WEB_PUSH)
    assert message.status == MessageStatus.SENDING and "Timeout" in message.error
    push_service.delays.clear()
    messages.messages_send_due(now=timezone.now() + dt.timedelta(minutes=2))
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED


def test_bad_subscriptions_get_a_message_and_a_400(
    town: Town, push_service: PushService, client: Client, settings: Any
) -> None:
    settings.MACHI_NOTICE_SUBSCRIBE_PER_MINUTE = 100
    good = _browser(push_service).subscription()
    cases: list[tuple[Any, str]] = [
        ("not json", "JSON"),
        ([1, 2], "プッシュ"),
        (
            {"subscription": {**good, "endpoint": good["endpoint"].replace("https", "http")}},
            "https",
        ),
        ({"subscription": {**good, "endpoint": "https://intranet.example.jp/x"}}, "プッシュ"),
        ({"subscription": {**good, "endpoint": "https://127.0.0.1/" + "x" * 1000}}, "プッシュ"),
        ({"subscription": {**good, "keys": {"auth": good["keys"]["auth"]}}}, "p256dh"),
        ({"subscription": {**good, "keys": {**good["keys"], "p256dh": "A" * 87}}}, "p256dh"),
        ({"subscription": {**good, "keys": {**good["keys"], "auth": "abc"}}}, "auth"),
        ({"subscription": {**good, "keys": {**good["keys"], "auth": "!" * 22}}}, "auth"),
        ({"subscription": good, "categories": "bosai"}, "分類"),
        ({"subscription": None}, "プッシュ"),
    ]
    for document, expected in cases:
        body = document if isinstance(document, str) else json.dumps(document)
        response = client.post("/notices/push/subscribe/", body, content_type="application/json")
        assert response.status_code == 400, document
        message = response.json()["message"]
        assert message and (expected in message or expected.lower() in message.lower()), (
            document,
            message,
        )
    assert not Subscription.objects.exists()
    assert client.get("/notices/push/subscribe/").status_code == 405
    # Unsubscribing someone else's browser needs its auth secret.
    assert _subscribe(client, Browser(endpoint=good["endpoint"])).status_code == 201
    forged = client.post(
        "/notices/push/unsubscribe/",
        json.dumps({"endpoint": good["endpoint"], "auth": _b64url(os.urandom(16))}),
        content_type="application/json",
    )
    assert forged.status_code == 400
    assert Subscription.objects.get().unsubscribed_at is None


def test_the_service_worker_is_served_from_the_root(client: Client, city: Any) -> None:
    response = client.get("/notices-sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    source = response.content.decode()
    assert "showNotification" in source and "openWindow" in source
    assert "icon\\u002D192.png" in source or "icon-192.png" in source
    assert client.get("/static/notices/icon-192.png").status_code == 200


def test_a_long_text_is_shortened_to_fit_a_push() -> None:
    text = payload(title="長い", body="あ" * 5000, url="https://x.example/go/1/", tag="t")
    assert len(text.encode()) <= MAX_PAYLOAD
    assert json.loads(text)["body"].endswith("…")


def test_production_needs_a_vapid_key(settings: Any) -> None:
    settings.PRODUCTION = True
    settings.MACHI_WEBPUSH_VAPID_PRIVATE_KEY = ""
    assert [e.id for e in check_webpush_key(None)] == ["machi.E006"]
    settings.MACHI_WEBPUSH_VAPID_PRIVATE_KEY = "not-a-key"
    assert [e.id for e in check_webpush_key(None)] == ["machi.E006"]
    settings.MACHI_WEBPUSH_VAPID_PRIVATE_KEY = vapid.new_private_key()
    assert check_webpush_key(None) == []
    settings.MACHI_WEBPUSH_SUBJECT = "webmaster@example.jp"
    assert [e.id for e in check_webpush_key(None)] == ["machi.E006"]


@pytest.mark.django_db(transaction=True)
def test_the_page_s_form_carries_the_csrf_token_the_script_sends(
    town: Town, push_service: PushService
) -> None:
    """What push.js does: the token from the section's form, in the X-CSRFToken header."""
    browser_client = Client(enforce_csrf_checks=True)
    page = browser_client.get("/notices/").content.decode()
    section = page[page.index('id="notice-push"') :]
    token = section.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    document = json.dumps({"subscription": _browser(push_service).subscription()})
    refused = browser_client.post(
        "/notices/push/subscribe/", document, content_type="application/json"
    )
    assert refused.status_code == 403
    accepted = browser_client.post(
        "/notices/push/subscribe/",
        document,
        content_type="application/json",
        headers={
            "X-CSRFToken": token,
            "User-Agent": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 "
            "(KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
        },
    )
    assert accepted.status_code == 201
    assert Subscription.objects.get().label == "Chrome on Android"


def test_webpush_key_prints_a_key_that_loads(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("webpush_key")
    line = capsys.readouterr().out.splitlines()[0]
    key = line.split("=", 1)[1]
    assert len(_unb64url(key)) == 32
    assert len(_unb64url(vapid.public_key(vapid.load(key)))) == 65


def test_subscribing_is_rate_limited_per_client(
    town: Town, push_service: PushService, client: Client, settings: Any
) -> None:
    settings.MACHI_NOTICE_SUBSCRIBE_PER_MINUTE = 2
    answers = [_subscribe(client, _browser(push_service)).status_code for _ in range(3)]
    assert answers == [201, 201, 429]
    last = _subscribe(client, _browser(push_service))
    assert "しばらく" in last.json()["message"] or "later" in last.json()["message"]
    assert Subscription.objects.count() == 2
