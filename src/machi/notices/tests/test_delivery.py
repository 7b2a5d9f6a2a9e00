"""Subscribing by e-mail and the delivery engine, against a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from django.utils import timezone

from machi.notices.models import DeliveryAttempt, Message, MessageStatus, Subscription
from machi.notices.services import messages
from machi.notices.services.fanout import notice_fan_out
from machi.notices.services.subscriptions import email_subscription_request, subscription_confirm
from machi.notices.tests.conftest import Town
from machi.testing.network import free_port
from machi.testing.smtp import Mailbox


def _link(mail: Any, part: str) -> str:
    return re.findall(r"https?://\S+" + part + r"\S+/", mail.get_content())[0]


def _subscribe(town: Town, email: str, **topics: Any) -> Subscription:
    subscription = email_subscription_request(
        municipality=town.city, email=email, portal_url="http://testserver/", **topics
    )
    from machi.notices.services.subscriptions import confirm_token

    return subscription_confirm(token=confirm_token(subscription))


@pytest.mark.django_db(transaction=True)
def test_a_resident_subscribes_confirms_receives_and_unsubscribes_in_one_click(
    town: Town, smtp_server: Mailbox, client: Client
) -> None:
    """Real commits (a transactional test): each message goes out when its change commits,
    as the embedded default runs tasks in-process."""
    response = client.post(
        "/notices/subscribe/", {"email": "Hanako@Example.JP", "districts": ["seki"]}
    )
    assert response.status_code == 200
    [confirmation] = smtp_server.to("hanako@example.jp")
    assert "購読の確認" in str(confirmation["Subject"])
    link = _link(confirmation, "/notices/subscribe/confirm/")
    # Opening the link (as a mail scanner would) confirms nothing; the button does.
    assert client.get(link).status_code == 200
    assert Subscription.objects.get().confirmed_at is None
    assert (
        "購読を開始しました" in client.post(link).content.decode()
        or Subscription.objects.get().confirmed_at
    )

    town.notice(title="関の清掃", districts=[town.seki])
    town.notice(title="加太の清掃", districts=[town.kabuto])
    town.notice(title="市内全域の防災訓練")
    subjects = sorted(str(m["Subject"]) for m in smtp_server.to("hanako@example.jp")[1:])
    assert len(subjects) == 2
    assert any("関の清掃" in s for s in subjects) and any("防災訓練" in s for s in subjects)
    mail = smtp_server.to("hanako@example.jp")[-1]
    # The link goes through machi's redirect (効果検証 counts it), then to the notice.
    read = client.get(_link(mail, "/notices/go/"))
    assert read.status_code == 302 and "/notices/" in read["Location"]
    assert client.get(read["Location"]).status_code == 200
    assert Message.objects.get(pk=_link(mail, "/notices/go/").split("/")[-2]).clicks == 1
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = str(mail["List-Unsubscribe"]).strip().strip("<>")
    # What a mail program does for RFC 8058: a POST without cookies or CSRF token.
    mailer = Client(HTTP_HOST="testserver", enforce_csrf_checks=True)
    assert mailer.post(unsubscribe, {"List-Unsubscribe": "One-Click"}).status_code == 200
    town.notice(title="もう届かない")
    assert not any("もう届かない" in str(m["Subject"]) for m in smtp_server.messages)


def test_a_bad_address_or_a_forged_link_gets_a_message_not_an_error(
    town: Town, client: Client
) -> None:
    response = client.post("/notices/subscribe/", {"email": "not-an-address"})
    assert response.status_code == 400
    assert "name@example.jp" in response.content.decode()
    assert not Subscription.objects.exists()
    forged = client.post("/notices/subscribe/confirm/abc:def/")
    assert forged.status_code == 400 and "リンク" in forged.content.decode()
    assert client.post("/notices/unsubscribe/abc/").status_code == 400


def test_fan_out_and_sending_twice_send_each_mail_once(town: Town, smtp_server: Mailbox) -> None:
    for n in range(5):
        _subscribe(town, f"r{n}@example.jp")
    notice = town.notice(title="一度だけ")
    assert notice_fan_out(notice=notice) == 5
    notice_fan_out(notice=notice)  # a second run (a retried task) writes nothing new
    assert Message.objects.filter(notice=notice).count() == 5
    messages.messages_send_due()
    messages.messages_send_due()
    assert len([m for m in smtp_server.messages if "一度だけ" in str(m["Subject"])]) == 5
    assert set(Message.objects.filter(notice=notice).values_list("status", flat=True)) == {
        MessageStatus.DELIVERED
    }


def test_smtp_down_keeps_every_message_and_sends_it_when_back(town: Town, settings: Any) -> None:
    _subscribe(town, "wait@example.jp")
    notice = town.notice(title="サーバ停止中")
    settings.MACHI_DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    notice_fan_out(notice=notice)
    messages.messages_send_due()
    message = Message.objects.get(notice=notice)
    assert message.status == MessageStatus.SENDING and "Connection" in message.error
    assert message.next_attempt_at > timezone.now()  # waits on the retry ladder
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    try:
        messages.messages_send_due(now=timezone.now() + dt.timedelta(minutes=2))
    finally:
        controller.stop()
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert [str(m["Subject"]) for m in mailbox.messages if "サーバ停止中" in str(m["Subject"])]
    assert [a.outcome for a in DeliveryAttempt.objects.filter(message=message)] == [
        "",
        MessageStatus.DELIVERED,
    ]


class _Refusing(Mailbox):
    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.startswith("nobody@"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def refusing_smtp(settings: Any) -> Iterator[_Refusing]:
    mailbox = _Refusing()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MACHI_DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    try:
        yield mailbox
    finally:
        controller.stop()


def test_an_address_the_server_refuses_is_a_permanent_failure_and_the_rest_go(
    town: Town, refusing_smtp: _Refusing
) -> None:
    _subscribe(town, "nobody@example.jp")
    _subscribe(town, "somebody@example.jp")
    notice = town.notice(title="宛先不明")
    notice_fan_out(notice=notice)
    messages.messages_send_due()
    statuses = dict(Message.objects.filter(notice=notice).values_list("recipient", "status"))
    assert statuses == {
        "nobody@example.jp": MessageStatus.PERMANENT_FAILURE,
        "somebody@example.jp": MessageStatus.DELIVERED,
    }
    assert len([m for m in refusing_smtp.messages if "宛先不明" in str(m["Subject"])]) == 1


def test_a_message_left_sending_by_a_stopped_worker_goes_again_with_the_same_id(
    town: Town, smtp_server: Mailbox
) -> None:
    _subscribe(town, "again@example.jp")
    notice = town.notice(title="再送")
    notice_fan_out(notice=notice)
    message = Message.objects.get(notice=notice)
    # A worker took it and was killed before it wrote down the result.
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, attempts=1, next_attempt_at=timezone.now()
    )
    messages.messages_send_due()
    # The lanes send side by side: the confirmation mail may arrive after it.
    [mail] = [m for m in smtp_server.messages if "再送" in str(m["Subject"])]
    assert mail["Message-ID"] == f"<{message.pk}@machi.localhost>"


def test_urgent_messages_go_first(town: Town) -> None:
    _subscribe(town, "first@example.jp")
    normal = town.notice(title="ふつう")
    urgent = town.notice(title="避難指示", category=town.categories["bosai"])
    notice_fan_out(notice=normal)
    notice_fan_out(notice=urgent)
    claimed = [m for m, _n in messages._claim(timezone.now(), 10) if m.notice_id]
    assert [m.notice_id for m in claimed] == [urgent.pk, normal.pk]


def test_staff_see_what_each_notice_sent_and_send_a_failed_message_again(
    town: Town, refusing_smtp: _Refusing, client: Client
) -> None:
    _subscribe(town, "nobody@example.jp")
    _subscribe(town, "hanako@example.jp")
    notice = town.notice(title="配信状況")
    notice_fan_out(notice=notice)
    messages.messages_send_due()
    client.force_login(town.writer)
    page = client.get("/staff/notices/delivery/").content.decode()
    assert "配信状況" in page
    assert "n***@example.jp" in page and "nobody@example.jp" not in page  # masked
    assert "宛先の誤り" in page and "550" in page
    failed = Message.objects.get(recipient="nobody@example.jp", notice=notice)
    response = client.post(f"/staff/notices/delivery/{failed.pk}/retry/")
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == MessageStatus.CREATED
    resident = Client()
    assert resident.get("/staff/notices/delivery/").status_code == 302  # to sign in
    client.force_login(town.district_editor)  # writes for a district: not the city's list
    assert client.get("/staff/notices/delivery/").status_code == 403
