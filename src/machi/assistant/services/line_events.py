"""LINE webhook events: stored when LINE calls the webhook, answered from a task.

``line_events_receive`` (called by the webhook once the signature is checked) stores each
event and queues ``assistant.line_event_process`` on commit, so the webhook answers 200 at
once. An event whose ``webhookEventId`` is already stored (LINE's redelivery) stores nothing
and is not answered again. A malformed event is logged and kept as ``refused`` with an
error code, never answered.

``line_event_process`` answers a text message through the same conversation service as the
web chat (the turn is stored, masked) and replies with LINE's reply API; a postback records
the resident's feedback. Following the account (``follow``), blocking it (``unfollow``), the
topic buttons (postback data ``notices:…``) and the text 「配信設定」 are the notices app's
LINE subscription (``machi.notices.services.line_subscriptions``), whose reply is sent the
same way. It locks the row and checks its state, so running it twice replies
once. A reply that fails is recorded on the event (the turn stays stored) and tried once
more after ``RETRY_PAUSE`` if the failure may pass and the reply token is still valid
(``REPLY_TOKEN_LIFETIME``; LINE accepts a token for about a minute, once).

Retention: ``payload`` (reply token, LINE user id, the text or postback data) is emptied
when the event is processed; the row (LINE's event id, state, error code, times) is
deleted after ``LINE_EVENT_RETENTION`` by ``line_events_sweep``, which also answers events
whose task was lost (the turn is stored; the reply token has expired by then).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qs

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from machi.assistant import line
from machi.assistant.models import (
    Channel,
    LineChannel,
    LineEventState,
    LineWebhookEvent,
    Turn,
)
from machi.assistant.services.conversation import (
    INQUIRY_PROCEDURE,
    MAX_QUESTION,
    QuestionRefused,
    Reply,
    conversation_for_channel_user,
    hash_channel_user,
    question_answer,
    turn_feedback,
)
from machi.core.models import Municipality
from machi.core.task_queue import enqueue_on_commit
from machi.notices.services import line_subscriptions

if TYPE_CHECKING:
    from linebot.v3.messaging import TextMessage

logger = logging.getLogger(__name__)

LINE_EVENT_RETENTION: Final = dt.timedelta(days=7)  # ids kept to recognise redeliveries
REPLY_TOKEN_LIFETIME: Final = dt.timedelta(seconds=50)  # LINE: use it within a minute
RETRY_PAUSE: Final = 1.0  # seconds before the one retry of a reply that may pass
STALE_AFTER: Final = dt.timedelta(minutes=2)  # a received event whose task was lost
SWEEP_LIMIT: Final = 200


@dataclass
class Receipt:
    """What one webhook call brought: stored to answer, duplicates, refused, ignored."""

    queued: int = 0
    duplicates: int = 0
    refused: int = 0
    ignored: int = 0


def _store(
    *, municipality: Municipality, webhook_event_id: str, **fields: Any
) -> tuple[LineWebhookEvent | None, bool]:
    """Create the row; for an id already stored return that row and ``False``."""
    known = LineWebhookEvent.objects.filter(
        municipality=municipality, webhook_event_id=webhook_event_id
    )
    if webhook_event_id and (existing := known.first()) is not None:
        return existing, False
    try:
        with transaction.atomic():
            row = LineWebhookEvent.objects.create(
                municipality=municipality, webhook_event_id=webhook_event_id, **fields
            )
    except IntegrityError:  # the same event delivered twice at the same moment
        return known.first(), False
    return row, True


def _refuse(
    municipality: Municipality, bad: line.MalformedEvent, raw: object, receipt: Receipt
) -> None:
    kind = raw.get("type") if isinstance(raw, dict) else None
    event_type = kind if isinstance(kind, str) and kind.isascii() and kind.isprintable() else ""
    logger.warning(
        "LINE webhook event refused (municipality %s): %s %s, webhookEventId %r",
        municipality.code,
        bad.code,
        bad.field,
        bad.webhook_event_id,
    )
    _row, created = _store(
        municipality=municipality,
        webhook_event_id=bad.webhook_event_id,
        event_type=event_type[:32],
        state=LineEventState.REFUSED,
        error_code=bad.code,
        error_detail=bad.field,
        processed_at=timezone.now(),
    )
    if created:
        receipt.refused += 1
    else:
        receipt.duplicates += 1


def _receive_one(
    municipality: Municipality, portal_url: str, raw: object, receipt: Receipt
) -> None:
    try:
        event = line.event_read(raw)
    except line.MalformedEvent as bad:
        _refuse(municipality, bad, raw, receipt)
        return
    payload: dict[str, str] | None = None
    if not event.standby and event.type == "postback":
        payload = {
            "kind": "postback",
            "replyToken": event.reply_token,
            "userId": event.user_id,
            "data": event.postback_data,
        }
    elif not event.standby and event.type == "follow" and event.user_id:
        payload = {"kind": "follow", "replyToken": event.reply_token, "userId": event.user_id}
    elif not event.standby and event.type == "unfollow" and event.user_id:
        payload = {"kind": "unfollow", "userId": event.user_id}
    elif not event.standby and event.type == "message" and event.message_type == "text":
        payload = {
            "kind": "text",
            "replyToken": event.reply_token,
            "userId": event.user_id,
            "text": event.text,
        }
    row, created = _store(
        municipality=municipality,
        webhook_event_id=event.webhook_event_id,
        event_type=event.type[:32],
        is_redelivery=event.is_redelivery,
        portal_url=portal_url[:300],
        payload=payload,
        state=LineEventState.RECEIVED if payload else LineEventState.IGNORED,
        processed_at=None if payload else timezone.now(),
    )
    if not created:
        receipt.duplicates += 1
        logger.info(
            "LINE webhook event %s delivered again (redelivery: %s): already %s",
            event.webhook_event_id,
            event.is_redelivery,
            row.state if row else "stored",
        )
        # Not finished yet: its task may have been lost, so queue it again.
        to_answer = row is not None and not row.finished
    else:
        to_answer = bool(payload)
        if to_answer:
            receipt.queued += 1
        else:
            receipt.ignored += 1
    if to_answer and row is not None:
        enqueue_on_commit("assistant.line_event_process", str(row.pk))


def line_events_receive(*, municipality: Municipality, portal_url: str, events: object) -> Receipt:
    """Store the events of one signed webhook call; queue the ones to answer on commit."""
    receipt = Receipt()
    with transaction.atomic():
        if not isinstance(events, list):
            code = "missing_field" if events is None else "wrong_type"
            _refuse(municipality, line.MalformedEvent(code, "events"), None, receipt)
            return receipt
        for raw in events:
            _receive_one(municipality, portal_url, raw, receipt)
    return receipt


def _reply_messages(portal_url: str, reply: Reply) -> list[TextMessage]:
    inquiry = portal_url + reverse("procedures:detail", kwargs={"code": INQUIRY_PROCEDURE})
    turn = reply.turn.pk
    feedback = [
        line.postback_item("解決した", f"feedback={turn}&resolved=1", "解決した"),
        line.postback_item("解決しなかった", f"feedback={turn}&resolved=0", "解決しなかった"),
    ]
    if reply.entry is not None:
        text = f"{reply.entry.question}\n\n{reply.entry.answer}"
        if reply.note:
            text = f"{reply.note}\n\n{text}"
        if reply.entry.procedure is not None:
            url = portal_url + reverse(
                "procedures:detail", kwargs={"code": reply.entry.procedure.code}
            )
            text += f"\n\nオンライン申請：{url}"
        text += "\n\n解決しましたか？"
        return [line.text_message(text, feedback)]
    if reply.suggestions:
        # Not sure: the best candidate's answer, the others as quick replies (as on the web).
        first, *others = reply.suggestions
        text = f"こちらの情報でしょうか？\n\n{first.question}\n{first.answer}"
        if reply.note:
            text = f"{reply.note}\n\n{text}"
        if others:
            text += "\n\nほかの候補：\n" + "\n".join(f"・{e.question}" for e in others)
        text += f"\n\n職員への問い合わせはこちら：{inquiry}"
        choices = [line.message_item(e.question, e.question) for e in reply.suggestions]
        return [line.text_message(text, choices)]
    return [
        line.text_message(
            "市のよくある質問には、この内容が見つかりませんでした。"
            f"職員への問い合わせはこちら：{inquiry}"
        )
    ]


def _answer(event: LineWebhookEvent, payload: dict[str, Any]) -> list[TextMessage]:
    """Answer the question like the web chat; the turn is stored (masked)."""
    conversation = conversation_for_channel_user(
        municipality=event.municipality, channel=Channel.LINE, user_id=str(payload["userId"])
    )
    try:
        reply = question_answer(
            municipality=event.municipality,
            text=str(payload["text"]),
            conversation=conversation,
            channel=Channel.LINE,
        )
    except QuestionRefused as refused:
        notice = (
            f"質問が長すぎます（{MAX_QUESTION}文字まで）。短くして送ってください。"
            if refused.code == "too_long"
            else "質問を文字で送ってください。例：「ごみの収集日を知りたい」"
        )
        return [line.text_message(notice)]
    event.turn = reply.turn
    return _reply_messages(event.portal_url, reply)


def _feedback(event: LineWebhookEvent, payload: dict[str, Any]) -> None:
    """解決した / 解決しなかった from the quick-reply buttons, only for the same LINE user."""
    data = parse_qs(str(payload["data"]))
    try:
        turn_id = uuid.UUID((data.get("feedback") or [""])[0])
    except ValueError:
        return  # not one of our buttons
    turn = Turn.objects.filter(
        pk=turn_id,
        municipality=event.municipality,
        conversation__channel=Channel.LINE,
        conversation__channel_user=hash_channel_user(str(payload["userId"])),
    ).first()
    if turn is not None:
        turn_feedback(turn=turn, resolved=(data.get("resolved") or ["0"])[0] == "1")


def _notices_reply(reply: line_subscriptions.LineReply) -> list[TextMessage]:
    """A reply of the notices app (topics to subscribe to) as LINE messages."""
    choices = [line.postback_item(c.label, c.data, c.display) for c in reply.choices]
    return [line.text_message(reply.text, choices)]


def _notices(event: LineWebhookEvent, payload: dict[str, Any]) -> list[TextMessage] | None:
    """Follow, unfollow, the topic buttons and 「配信設定」 belong to the notices app (LINE
    is one of its channels); ``None``: the event is the assistant's own."""
    kind = payload.get("kind")
    user_id = str(payload.get("userId", ""))
    municipality = event.municipality
    if kind == "follow":
        reply = line_subscriptions.line_follow(
            municipality=municipality, user_id=user_id, portal_url=event.portal_url
        )
    elif kind == "unfollow":
        line_subscriptions.line_unfollow(municipality=municipality, user_id=user_id)
        return []
    elif kind == "postback":
        found = line_subscriptions.line_postback(
            municipality=municipality,
            user_id=user_id,
            data=str(payload.get("data", "")),
            portal_url=event.portal_url,
        )
        if found is None:
            return None
        reply = found
    elif (
        kind == "text"
        and user_id
        and line_subscriptions.is_settings_command(str(payload.get("text", "")))
    ):
        reply = line_subscriptions.line_settings_show(
            municipality=municipality, user_id=user_id, portal_url=event.portal_url
        )
    else:
        return None
    return _notices_reply(reply)


def _fail(event: LineWebhookEvent, code: str, detail: str = "") -> None:
    event.state = LineEventState.FAILED
    event.error_code = code
    event.error_detail = detail[:300]


def _reply(event: LineWebhookEvent, reply_token: str, messages: list[TextMessage]) -> None:
    channel = LineChannel.objects.filter(municipality=event.municipality, is_active=True).first()
    if channel is None:
        _fail(event, "channel_inactive")
        return
    if not reply_token:
        _fail(event, "no_reply_token")
        return
    deadline = event.received_at + REPLY_TOKEN_LIFETIME
    failure: line.ReplyFailed | None = None
    for attempt in (1, 2):
        if timezone.now() >= deadline:
            if failure is None:
                _fail(event, "reply_token_expired", "received more than a minute ago")
                logger.warning("LINE event %s not replied: reply token expired", event.pk)
                return
            break
        event.reply_attempts += 1
        try:
            line.reply(channel.access_token, reply_token, messages, timeout=line.TIMEOUT)
        except line.ReplyFailed as failed:
            failure = failed
            logger.warning(
                "LINE reply for event %s failed (attempt %s, the turn is stored): %s",
                event.pk,
                attempt,
                failed,
            )
            if not failed.transient:
                break
            if attempt == 1:
                time.sleep(RETRY_PAUSE)
            continue
        event.state = LineEventState.REPLIED
        event.error_code = event.error_detail = ""
        return
    if failure is not None:
        _fail(event, failure.code, failure.detail)


def _process(event: LineWebhookEvent) -> None:
    payload = event.payload if isinstance(event.payload, dict) else {}
    kind = payload.get("kind")
    if kind not in ("text", "postback", "follow", "unfollow"):
        event.state = LineEventState.REFUSED
        event.error_code = "no_payload"
        return
    try:
        with transaction.atomic():
            notices = _notices(event, payload)
            if notices == []:  # unfollow: nothing to reply
                event.state = LineEventState.RECORDED
                return
            if notices is not None:
                messages = notices
            elif kind == "postback":
                _feedback(event, payload)
                event.state = LineEventState.RECORDED
                return
            else:
                messages = _answer(event, payload)
    except Exception as exc:  # a stored event never crashes the worker or loops forever
        logger.exception("LINE event %s could not be answered", event.pk)
        event.turn = None  # rolled back with the rest of the answer
        _fail(event, "processing_error", f"{exc.__class__.__name__}: {exc}")
        return
    _reply(event, str(payload.get("replyToken", "")), messages)


def line_event_process(*, event_id: str) -> str:
    """Answer one stored event and reply; return its state afterwards. Idempotent: the row
    is locked and only a ``received`` event is processed."""
    with transaction.atomic():
        event = (
            LineWebhookEvent.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("municipality")
            .filter(pk=event_id)
            .first()
        )
        if event is None:
            return "locked"  # being processed elsewhere, or deleted
        if event.finished:
            return str(event.state)
        _process(event)
        event.payload = None  # holds a LINE user id and the unmasked text: keep no longer
        event.processed_at = timezone.now()
        event.save()
        return str(event.state)


def line_events_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Answer events whose task was lost (the turn is stored, the token has expired) and
    delete events past the retention period. Scheduled every minute."""
    now = now or timezone.now()
    stale = list(
        LineWebhookEvent.objects.filter(
            state=LineEventState.RECEIVED, received_at__lte=now - STALE_AFTER
        )
        .order_by("received_at")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    for pk in stale:
        line_event_process(event_id=str(pk))
    deleted, _by_model = LineWebhookEvent.objects.filter(
        received_at__lt=now - LINE_EVENT_RETENTION
    ).delete()
    return {"processed": len(stale), "deleted": deleted}
