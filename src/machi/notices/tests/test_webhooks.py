"""Partner webhooks: staff register one on the staff pages, published notices reach a real
HTTP receiver on loopback that checks the signature and the timestamp as a partner would,
and a partner that is slow, gone, missing or refusing gets what docs/notices.md says."""

from __future__ import annotations

import datetime as dt
import html
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from machi.core.models import Municipality, Role, User
from machi.notices.delivery import webhook as webhook_sender
from machi.notices.models import Channel, Message, MessageStatus, Subscription
from machi.notices.services import messages
from machi.notices.services.fanout import notice_fan_out
from machi.notices.services.webhooks import webhook_add, webhook_secret_rotate, webhook_stop
from machi.notices.tests.conftest import Town
from machi.testing.applications import error_summary
from machi.testing.factories import DepartmentFactory
from machi.testing.fixtures import audit_actions_written, make_staff
from machi.testing.marks import unmarked_japanese
from machi.testing.webhook_receiver import PartnerReceiver, verify


@pytest.fixture
def receiver() -> Iterator[PartnerReceiver]:
    partner = PartnerReceiver().start()
    yield partner
    partner.stop()


def _admin(town: Town) -> User:
    """A 所属管理者 of 防災安全課: manages partner webhooks."""
    existing = User.objects.filter(email="kanri@example.jp").first()
    if existing is not None:
        return existing
    return make_staff(
        town.city, "kanri@example.jp", role=Role.DEPARTMENT_ADMIN, department=town.bousai
    )


def _signed_in(user: User, language: str = "ja") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(user)  # staff made by make_staff have TOTP, as staff_required asks
    return client


def _secret_of(response: Any) -> str:
    found = re.search(r'id="secret-value">([^<]+)<', response.content.decode())
    assert found, response.content.decode()
    return html.unescape(found[1])


def _webhook(town: Town, receiver: PartnerReceiver, **topics: Any) -> Subscription:
    subscription, secret = webhook_add(
        actor=_admin(town),
        municipality=town.city,
        name="亀山新聞",
        url=receiver.url,
        portal_url="http://testserver/",
        **topics,
    )
    receiver.secrets = [secret]
    return subscription


def _later(minutes: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


@pytest.mark.django_db(transaction=True)
def test_staff_register_a_webhook_and_a_published_notice_arrives_signed_once(
    town: Town, receiver: PartnerReceiver
) -> None:
    """Real commits: the fan-out and the send run when the approval commits, in-process
    as the embedded default runs tasks."""
    client = _signed_in(_admin(town))
    listing = client.get("/staff/notices/webhooks/")
    assert listing.status_code == 200 and "登録されたWebhookはまだありません" in (
        listing.content.decode()
    )
    bousai = town.categories["bosai"]
    response = client.post(
        "/staff/notices/webhooks/new/",
        {"name": "亀山防災ネット", "url": receiver.url, "categories": [str(bousai.pk)]},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "署名用の秘密鍵" in page and "Machi-Webhook-Signature" in page
    receiver.secrets = [_secret_of(response)]
    subscription = Subscription.objects.get(channel=Channel.WEBHOOK)
    assert subscription.label == "亀山防災ネット" and subscription.active
    # The secret is never shown again.
    detail = client.get(f"/staff/notices/webhooks/{subscription.pk}/")
    assert receiver.secrets[0] not in detail.content.decode()
    assert receiver.secrets[0] not in client.get("/staff/notices/webhooks/").content.decode()

    town.notice(title="くらしのお知らせ")  # another category: not sent
    notice = town.notice(
        title="避難所を開設しました", category=bousai, districts=[town.seki], is_important=True
    )
    [received] = receiver.received
    assert received.verified, received.reason
    message = Message.objects.get(channel=Channel.WEBHOOK)
    assert message.status == MessageStatus.DELIVERED
    assert received.webhook_id == str(message.pk)
    assert received.headers["Content-Type"].startswith("application/json")
    assert received.json() == {
        "event": "notice.published",
        "version": 1,
        "municipality": {"code": town.city.code, "name": received.json()["municipality"]["name"]},
        "notice": {
            "id": str(notice.pk),
            "title": "避難所を開設しました",
            "summary": "本文です。",
            "url": f"http://testserver/notices/go/{message.pk}/",
            "category": "bosai",
            "districts": ["seki"],
            "published_at": timezone.localtime(notice.published_at).isoformat(),
            "important": True,
            "urgent": True,
        },
    }
    # The link counts the partner's readers too (効果検証), then goes to the notice.
    assert client.get(received.json()["notice"]["url"]).status_code == 302
    # Sending again sends nothing twice; staff see it delivered.
    messages.messages_send_due(now=_later(10))
    assert len(receiver.received) == 1
    detail = client.get(f"/staff/notices/webhooks/{subscription.pk}/").content.decode()
    assert "避難所を開設しました" in detail and "配信済み" in detail


@pytest.mark.django_db
def test_a_partner_that_times_out_is_tried_again_and_gets_the_notice_once(
    town: Town, receiver: PartnerReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webhook_sender, "READ_TIMEOUT", 0.5)  # instead of waiting 10 s
    _webhook(town, receiver)
    receiver.delay = 1.5
    notice_fan_out(notice=town.notice(title="停電のお知らせ"))
    messages.messages_send_due()
    message = Message.objects.get(channel=Channel.WEBHOOK)
    assert message.status == MessageStatus.SENDING  # waiting for its retry
    assert "no answer in time" in message.error
    assert message.next_attempt_at > timezone.now()

    receiver.delay = 0
    time.sleep(1)  # the retry's timestamp is a later second
    messages.messages_send_due(now=_later(2))
    messages.messages_send_due(now=_later(30))
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED and message.attempts == 2
    first, second = receiver.received
    assert first.verified and second.verified
    # The same id (the partner keeps one), a fresh timestamp and signature on the retry.
    assert first.webhook_id == second.webhook_id == str(message.pk)
    assert second.timestamp > first.timestamp
    assert [a.outcome for a in message.attempt_log.all()] == ["", MessageStatus.DELIVERED]


@pytest.mark.django_db
def test_a_partner_answering_410_stops_its_webhook(town: Town, receiver: PartnerReceiver) -> None:
    subscription = _webhook(town, receiver)
    receiver.status = 410
    notice_fan_out(notice=town.notice(title="一つ目"))
    messages.messages_send_due()
    message = Message.objects.get(channel=Channel.WEBHOOK)
    assert message.status == MessageStatus.PERMANENT_FAILURE and "410" in message.error
    subscription.refresh_from_db()
    assert not subscription.active
    notice_fan_out(notice=town.notice(title="二つ目"))
    messages.messages_send_due(now=_later(10))
    assert Message.objects.filter(channel=Channel.WEBHOOK).count() == 1
    assert len(receiver.received) == 1


@pytest.mark.parametrize(
    ("status", "tries", "final"),
    [
        (404, 3, MessageStatus.PERMANENT_FAILURE),  # tried 3 times, the webhook stays on
        (400, 1, MessageStatus.PERMANENT_FAILURE),
        (301, 1, MessageStatus.PERMANENT_FAILURE),  # not followed
        (503, 7, MessageStatus.TEMPORARY_FAILURE),  # the whole ladder
        (429, 7, MessageStatus.TEMPORARY_FAILURE),
    ],
)
@pytest.mark.django_db
def test_what_each_answer_of_the_partner_means(
    town: Town, receiver: PartnerReceiver, status: int, tries: int, final: str
) -> None:
    subscription = _webhook(town, receiver)
    receiver.status = status
    receiver.location = "http://127.0.0.1:9/elsewhere" if status == 301 else ""
    notice_fan_out(notice=town.notice(title="お知らせ"))
    for day in range(10):
        messages.messages_send_due(now=timezone.now() + dt.timedelta(days=day * 2))
    message = Message.objects.get(channel=Channel.WEBHOOK)
    assert message.status == final and message.attempts == tries
    assert len(receiver.received) == tries and all(r.verified for r in receiver.received)
    assert {r.path for r in receiver.received} == {receiver.path}
    subscription.refresh_from_db()
    assert subscription.active


@pytest.mark.django_db
def test_a_new_secret_signs_beside_the_old_one_for_a_day(
    town: Town, receiver: PartnerReceiver
) -> None:
    subscription = _webhook(town, receiver)
    old = receiver.secrets[0]
    new = webhook_secret_rotate(
        actor=_admin(town), municipality=town.city, subscription=subscription
    )
    assert new != old
    notice_fan_out(notice=town.notice(title="切り替え中"))
    messages.messages_send_due()
    [received] = receiver.received
    assert len(received.headers["Machi-Webhook-Signature"].split()) == 2
    # A partner that still has the old secret, and one that switched, both accept it.
    for secrets in ([old], [new]):
        assert verify(secrets, received.headers, received.body)[0]
    assert not verify(["something else"], received.headers, received.body)[0]
    subscription.refresh_from_db()
    assert webhook_sender.signing_secrets(subscription, _later(60 * 25)) == [new]


@pytest.mark.django_db
def test_a_stopped_webhook_gets_nothing_more_not_even_what_was_waiting(
    town: Town, receiver: PartnerReceiver
) -> None:
    subscription = _webhook(town, receiver)
    notice_fan_out(notice=town.notice(title="送る前に止める"))
    client = _signed_in(_admin(town))
    written = audit_actions_written(
        lambda: client.post(f"/staff/notices/webhooks/{subscription.pk}/stop/")
    )
    assert written == ["notice.webhook_stopped"]
    messages.messages_send_due()
    assert receiver.received == []
    message = Message.objects.get(channel=Channel.WEBHOOK)
    assert message.status == MessageStatus.PERMANENT_FAILURE
    subscription.refresh_from_db()
    assert subscription.details == {} and not subscription.active
    page = client.get(f"/staff/notices/webhooks/{subscription.pk}/").content.decode()
    assert "停止" in page and "新しい秘密鍵を作る" not in page
    # Registered again, it has a new secret and receives the next notice.
    response = client.post(
        "/staff/notices/webhooks/new/", {"name": "亀山新聞", "url": receiver.url}
    )
    assert response.status_code == 200
    receiver.secrets = [_secret_of(response)]
    notice_fan_out(notice=town.notice(title="再開後"))
    messages.messages_send_due()
    assert [r.json()["notice"]["title"] for r in receiver.verified] == ["再開後"]


BAD_ADDRESSES = [
    ("", "https://"),
    ("ftp://example.jp/hook", "https://"),
    ("example.jp/hook", "https://"),
    ("https://exa mple.jp/hook", "https://"),
    ("https://example.jp:99999/hook", "https://"),
    ("http://example.jp/hook", "http://"),
    ("https://user:pass@example.jp/hook", "ユーザー名とパスワード"),
    ("https://" + "a" * 1000 + ".jp/", "1000"),
]


@pytest.mark.parametrize(("url", "said"), BAD_ADDRESSES)
@pytest.mark.django_db
def test_a_bad_address_comes_back_in_japanese_and_nothing_is_saved(
    town: Town, url: str, said: str
) -> None:
    client = _signed_in(_admin(town))
    response = client.post(
        "/staff/notices/webhooks/new/",
        {"name": "亀山新聞", "url": url, "categories": ["not-a-pk"]},
    )
    assert response.status_code == 400
    errors = error_summary(response)
    assert any(said in e for e in errors), errors
    assert any(e.startswith("アドレス（URL）") for e in errors), errors
    assert 'value="亀山新聞"' in response.content.decode()  # what was typed is kept
    assert not Subscription.objects.filter(channel=Channel.WEBHOOK).exists()


@pytest.mark.django_db
def test_in_production_only_public_https_addresses_are_taken(town: Town, settings: Any) -> None:
    settings.PRODUCTION = True
    client = _signed_in(_admin(town))
    for url in ("http://127.0.0.1:8080/hook", "https://10.1.2.3/hook", "https://localhost/"):
        response = client.post("/staff/notices/webhooks/new/", {"name": "A", "url": url})
        assert response.status_code == 400, url
    response = client.post(
        "/staff/notices/webhooks/new/", {"name": "A", "url": "https://hooks.example.jp/machi"}
    )
    assert response.status_code == 200
    # The same address twice is refused while the first runs.
    again = client.post(
        "/staff/notices/webhooks/new/", {"name": "B", "url": "https://hooks.example.jp/machi"}
    )
    assert again.status_code == 400 and "既に登録" in again.content.decode()


@pytest.mark.django_db
def test_who_manages_webhooks(town: Town, other_city: Municipality, settings: Any) -> None:
    admin = _admin(town)
    written = audit_actions_written(
        lambda: webhook_add(
            actor=admin,
            municipality=town.city,
            name="自治会アプリ",
            url="https://jichikai.example.jp/hook",
            portal_url="http://testserver/",
        )
    )
    assert written == ["notice.webhook_added"]
    subscription = Subscription.objects.get(channel=Channel.WEBHOOK)
    base = f"/staff/notices/webhooks/{subscription.pk}/"
    it = make_staff(town.city, "it@example.jp", role=Role.PLATFORM_ADMIN)
    for user in (admin, it):
        client = _signed_in(user)
        assert client.get("/staff/notices/webhooks/").status_code == 200
        assert client.get(base).status_code == 200
        assert "提携先へのWebhook" in client.get("/staff/notices/").content.decode()
    # Writers and approvers of notices do not: the partner agreement is not theirs.
    for user in (town.writer, town.approver, town.district_editor):
        client = _signed_in(user)
        assert client.get("/staff/notices/webhooks/").status_code == 403
        assert client.get("/staff/notices/webhooks/new/").status_code == 403
        assert client.post(f"{base}rotate/").status_code == 403
        assert client.post(f"{base}stop/").status_code == 403
        assert "提携先へのWebhook" not in client.get("/staff/notices/").content.decode()
    assert Subscription.objects.get().active
    # Another city's administrator does not find it.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "suzuka.example.jp"]
    suzuka = DepartmentFactory.create(municipality=other_city, code="100", name="総務課")
    other = make_staff(
        other_city, "kanri@suzuka.example.jp", role=Role.DEPARTMENT_ADMIN, department=suzuka
    )
    client = Client(HTTP_HOST="suzuka.example.jp")
    client.force_login(other)
    assert client.get(base).status_code == 404
    assert client.post(f"{base}stop/").status_code == 404
    assert "自治会アプリ" not in client.get("/staff/notices/webhooks/").content.decode()
    with pytest.raises(PermissionDenied):
        webhook_stop(actor=town.writer, municipality=town.city, subscription=subscription)


@pytest.mark.django_db
def test_rotating_on_the_page_shows_the_new_secret_once(town: Town) -> None:
    admin = _admin(town)
    subscription, first = webhook_add(
        actor=admin,
        municipality=town.city,
        name="防災アグリゲーター",
        url="https://bousai.example.jp/hook",
        portal_url="http://testserver/",
    )
    client = _signed_in(admin, language="en")
    assert client.get(f"/staff/notices/webhooks/{subscription.pk}/rotate/").status_code == 405
    written = audit_actions_written(
        lambda: client.post(f"/staff/notices/webhooks/{subscription.pk}/rotate/")
    )
    assert written == ["notice.webhook_secret_rotated"]
    response = client.post(f"/staff/notices/webhooks/{subscription.pk}/rotate/")
    assert (
        response.status_code == 200 and "A new signing secret was made" in response.content.decode()
    )
    second = _secret_of(response)
    assert second not in (first, "") and "no-store" in response["Cache-Control"]
    subscription.refresh_from_db()
    assert subscription.details["secret"] == second
    assert subscription.details["previous_secret"] != first  # the one before, rotated twice
    # The English pages mark the partner's Japanese name for screen readers.
    for url in ("", f"{subscription.pk}/", "new/"):
        page = client.get(f"/staff/notices/webhooks/{url}").content.decode()
        assert unmarked_japanese(page, title=False) == [], url


def test_an_address_in_a_domain_that_never_resolves_fails_at_once() -> None:
    """RFC 6761 names (.invalid, .example, .test) are never looked up: a permanent failure
    at once, so a send never waits on DNS for them."""
    from machi.notices.delivery.base import PermanentFailure, check_reachable

    for url in ("https://partner.example.invalid/hook", "https://push.example/x", "http://a.test/"):
        with pytest.raises(PermanentFailure, match="never resolves"):
            check_reachable(url)
    check_reachable("https://fcm.googleapis.com/fcm/send/abc")
    check_reachable("http://127.0.0.1:8080/hook")
