"""LINE as a notices channel, end to end: signed webhook events through the real view
(follow, topic buttons, 「配信設定」, unfollow), the fan-out, and multicasts sent with LINE's
SDK to a local server that speaks the Messaging API (token, body, retry key, 409)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from machi.assistant.models import LineChannel
from machi.notices.models import Channel, District, Message, MessageStatus, Subscription
from machi.notices.services import line_subscriptions, messages
from machi.notices.services.fanout import notice_fan_out
from machi.notices.tests.conftest import Town
from machi.testing.factories import LineChannelFactory
from machi.testing.line import FakeLine, signed, webhook_body, webhook_event

pytestmark = pytest.mark.django_db
SECRET = "0123456789abcdef0123456789abcdef"
TOKEN = "notices-line-token"
HANAKO, TARO, JIRO = (f"U{n:032x}" for n in (1, 2, 3))


@pytest.fixture
def line_channel(town: Town) -> LineChannel:
    return LineChannelFactory(municipality=town.city, channel_secret=SECRET, access_token=TOKEN)


@pytest.fixture
def line_api(fake_line: FakeLine) -> FakeLine:
    fake_line.token = TOKEN  # a call with another channel access token gets 401
    return fake_line


@pytest.fixture
def webhook(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """POST signed events to the LINE webhook; the event task runs when it commits."""

    def post(*events: dict[str, Any]) -> Any:
        body = webhook_body(*events)
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post(
                "/line/webhook/",
                body,
                content_type="application/json",
                HTTP_X_LINE_SIGNATURE=signed(body, SECRET),
            )
        assert response.status_code == 200
        return response

    return post


def _items(reply: dict[str, Any]) -> list[dict[str, Any]]:
    [message] = reply["messages"]
    return [item["action"] for item in message["quickReply"]["items"]]


def _tap(webhook: Callable[..., Any], line_api: FakeLine, user: str, label: str) -> str:
    """Tap the quick reply whose label contains ``label`` in the last reply; the answer."""
    [action] = [a for a in _items(line_api.replies()[-1]) if label in a["label"]]
    webhook(webhook_event("postback", user, postback={"data": action["data"]}))
    return str(line_api.replies()[-1]["messages"][0]["text"])


def _deliver(notice: Any) -> None:
    notice_fan_out(notice=notice)
    messages.messages_send_due()


def test_follow_choose_topics_and_receive_notices_by_multicast(
    town: Town, line_channel: LineChannel, line_api: FakeLine, webhook: Callable[..., Any]
) -> None:
    webhook(*(webhook_event("follow", user) for user in (HANAKO, TARO, JIRO)))
    replies = line_api.replies()
    assert len(replies) == 3
    welcome = replies[0]["messages"][0]["text"]
    assert "友だち追加" in welcome and "すべての分類" in welcome
    labels = [a["label"] for a in _items(replies[0])]
    assert labels[0] == "✓すべての分類" and "防災" in labels and labels[-1] == "地区を選ぶ"
    assert len(labels) <= 13 and all(len(label) <= 20 for label in labels)
    confirmed = Subscription.objects.filter(channel=Channel.LINE, confirmed_at__isnull=False)
    assert confirmed.count() == 3

    # 太郎 wants 防災 and イベント; 次郎 only 加太's notices (and the whole city's).
    assert "防災" in _tap(webhook, line_api, TARO, "防災")
    answer = _tap(webhook, line_api, TARO, "イベント")
    assert "受け取る分類：防災、イベント" in answer
    assert [a["label"] for a in _items(line_api.replies()[-1])][1:3] == ["くらし", "子育て"]
    _tap(webhook, line_api, JIRO, "地区を選ぶ")
    assert "受け取る地区：加太" in _tap(webhook, line_api, JIRO, "加太")
    taro = Subscription.objects.get(address=TARO)
    assert {c.code for c in taro.categories.all()} == {"bosai", "event"}

    _deliver(town.notice(title="関の清掃活動", districts=[town.seki]))
    _deliver(town.notice(title="避難訓練のお知らせ", category=town.categories["bosai"]))
    first, second = line_api.multicasts()
    assert set(first[1]["to"]) == {HANAKO}
    assert set(second[1]["to"]) == {HANAKO, TARO, JIRO}  # one call for the three
    headers, body = second
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert uuid.UUID(headers["X-Line-Retry-Key"])
    [text] = body["messages"]
    assert text["type"] == "text" and "避難訓練のお知らせ" in text["text"]
    assert len(text["text"]) <= 5000
    assert [len(line_api.delivered[u]) for u in (HANAKO, TARO, JIRO)] == [2, 1, 1]
    sent = Message.objects.filter(channel=Channel.LINE)
    assert set(sent.values_list("status", flat=True)) == {MessageStatus.DELIVERED}

    # The link goes through machi's redirect, which counts the click (効果検証).
    link = text["text"].split("http://testserver")[1].split()[0]
    assert link.startswith("/notices/go/")
    response = Client().get(link)
    assert response.status_code == 302
    clicks = sent.filter(notice__title="避難訓練のお知らせ").values_list("clicks", flat=True)
    assert sum(clicks) == 1


def test_settings_command_shows_the_topics_and_unfollow_stops_the_notices(
    town: Town, line_channel: LineChannel, line_api: FakeLine, webhook: Callable[..., Any]
) -> None:
    webhook(webhook_event("follow", HANAKO), webhook_event("follow", TARO))
    text = {"type": "text", "id": "1", "quoteToken": "q", "text": "配信設定"}
    webhook(webhook_event("message", HANAKO, message=text))
    reply = line_api.replies()[-1]
    assert "配信設定" in reply["messages"][0]["text"] and len(_items(reply)) > 1
    webhook(webhook_event("unfollow", HANAKO))
    assert Subscription.objects.get(address=HANAKO).unsubscribed_at is not None
    _deliver(town.notice(title="ブロック後のお知らせ"))
    [(_headers, body)] = line_api.multicasts()
    assert body["to"] == [TARO]
    # Following again brings the subscription back, with its topics.
    webhook(webhook_event("follow", HANAKO))
    assert Subscription.objects.get(address=HANAKO).active


def test_a_failed_call_is_sent_again_with_the_same_retry_key_and_arrives_once(
    town: Town, line_channel: LineChannel, line_api: FakeLine, webhook: Callable[..., Any]
) -> None:
    webhook(webhook_event("follow", HANAKO), webhook_event("follow", TARO))
    line_api.statuses = [500]
    notice_fan_out(notice=town.notice(title="再送されるお知らせ"))
    messages.messages_send_due()
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENDING}
    assert "500" in Message.objects.first().error  # type: ignore[union-attr]
    messages.messages_send_due(now=timezone.now() + dt.timedelta(minutes=2))
    first, again = line_api.multicasts()
    assert first[0]["X-Line-Retry-Key"] == again[0]["X-Line-Retry-Key"]
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.DELIVERED}
    assert [len(line_api.delivered[u]) for u in (HANAKO, TARO)] == [1, 1]


def test_a_call_line_took_before_a_worker_was_killed_counts_as_delivered_on_409(
    town: Town, line_channel: LineChannel, line_api: FakeLine, webhook: Callable[..., Any]
) -> None:
    webhook(webhook_event("follow", HANAKO))
    _deliver(town.notice(title="一度だけ届く"))
    # LINE took it, but the worker was killed before it wrote that down.
    Message.objects.update(status=MessageStatus.SENDING, next_attempt_at=timezone.now())
    messages.messages_send_due()
    assert len(line_api.multicasts()) == 2
    assert Message.objects.get().status == MessageStatus.DELIVERED
    assert line_api.delivered[HANAKO] == [line_api.multicasts()[0][1]["messages"][0]["text"]]


def test_without_a_line_channel_or_with_a_wrong_token_staff_see_a_technical_failure(
    town: Town, line_channel: LineChannel, line_api: FakeLine, webhook: Callable[..., Any]
) -> None:
    webhook(webhook_event("follow", HANAKO))
    LineChannel.objects.update(is_active=False)
    _deliver(town.notice(title="設定のない配信"))
    message = Message.objects.get()
    assert message.status == MessageStatus.TECHNICAL_FAILURE
    assert "LINE channel" in message.error and line_api.multicasts() == []
    client = Client()
    client.force_login(town.writer)
    page = client.get("/staff/notices/delivery/").content.decode()
    assert "設定のない配信" in page and "システムの障害" in page
    assert "no active LINE channel" in page and HANAKO not in page  # the id is masked

    LineChannel.objects.update(is_active=True, access_token="expired")
    _deliver(town.notice(title="古いトークン"))
    failed = Message.objects.get(notice__title="古いトークン")
    assert (failed.status, failed.error[:13]) == (MessageStatus.TECHNICAL_FAILURE, "LINE HTTP 401")
    LineChannel.objects.update(access_token=TOKEN)  # staff fix it and send it again
    client.post(f"/staff/notices/delivery/{failed.pk}/retry/")
    messages.messages_send_due()
    failed.refresh_from_db()
    assert failed.status == MessageStatus.DELIVERED


def test_a_bad_request_is_a_permanent_failure(
    town: Town, line_channel: LineChannel, line_api: FakeLine, webhook: Callable[..., Any]
) -> None:
    webhook(webhook_event("follow", HANAKO))
    line_api.statuses = [400]
    _deliver(town.notice(title="不正な要求"))
    message = Message.objects.get()
    assert message.status == MessageStatus.PERMANENT_FAILURE and "400" in message.error


def test_the_feedback_buttons_of_the_assistant_still_go_to_the_assistant(
    town: Town, line_channel: LineChannel, line_api: FakeLine, webhook: Callable[..., Any]
) -> None:
    """Postback data other than ``notices:…`` is not a topic: no subscription, no reply."""
    turn = uuid.uuid4()
    webhook(webhook_event("postback", HANAKO, postback={"data": f"feedback={turn}&resolved=1"}))
    assert not Subscription.objects.exists() and line_api.replies() == []


def test_many_districts_fit_line_quick_reply_limits(town: Town) -> None:
    for n in range(14):
        District.objects.create(
            municipality=town.city,
            code=f"d{n:02d}",
            name=f"とても長い名前の地区まちづくり協議会区域{n}",
            department=town.chiiki,
            sort_order=10 + n,
        )
    line_subscriptions.line_follow(municipality=town.city, user_id=HANAKO, portal_url="http://x")
    shown: set[str] = set()
    data = f"{line_subscriptions.POSTBACK_PREFIX}menu:dist:0"
    for _page in range(3):
        reply = line_subscriptions.line_postback(
            municipality=town.city, user_id=HANAKO, data=data, portal_url="http://x"
        )
        assert reply is not None
        assert len(reply.choices) <= 13
        assert all(len(c.label) <= 20 and len(c.data) <= 300 for c in reply.choices)
        shown |= {c.data for c in reply.choices if c.data.endswith(tuple("0123456789"))}
        [more] = [c for c in reply.choices if c.label.startswith("次へ")]
        data = more.data
    assert {f"{line_subscriptions.POSTBACK_PREFIX}dist:d{n:02d}" for n in range(14)} <= shown


def test_the_subscribe_page_and_mypage_tell_residents_how_to_get_notices_on_line(
    client: Client, town: Town
) -> None:
    """Where the city's LINE account is set up, residents read how to follow it and how
    to change topics; where it is not, nothing is said about LINE."""
    assert "配信設定" not in client.get("/notices/subscribe/").content.decode()
    LineChannel.objects.create(municipality=town.city, channel_secret="s", access_token="t")
    page = client.get("/notices/subscribe/").content.decode()
    assert "LINEで受け取る" in page and "配信設定" in page
