"""The LINE webhook: verify the signature first (401 otherwise, nothing processed), then
answer each text message through the same path as the web chat and reply with LINE's
reply API. A failing LINE API loses nothing: the turn is already stored."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any
from urllib.parse import parse_qs

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from machi.assistant import line
from machi.assistant.models import Channel, LineChannel, Turn
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
from machi.core.tenant_request import MunicipalRequest

logger = logging.getLogger(__name__)


def _reply_messages(request: HttpRequest, reply: Reply) -> list[dict[str, Any]]:
    inquiry = request.build_absolute_uri(
        reverse("procedures:detail", kwargs={"code": INQUIRY_PROCEDURE})
    )
    turn = reply.turn.pk
    feedback = [
        line.postback_item("解決した", f"feedback={turn}&resolved=1", "解決した"),
        line.postback_item("解決しなかった", f"feedback={turn}&resolved=0", "解決しなかった"),
    ]
    if reply.entry is not None:
        text = f"{reply.entry.question}\n\n{reply.entry.answer}"
        if reply.entry.procedure is not None:
            url = request.build_absolute_uri(
                reverse("procedures:detail", kwargs={"code": reply.entry.procedure.code})
            )
            text += f"\n\nオンライン申請：{url}"
        text += "\n\n解決しましたか？"
        return [line.text_message(text, feedback)]
    if reply.suggestions:
        lines = [f"{n}. {e.question}" for n, e in enumerate(reply.suggestions, start=1)]
        text = (
            "うまく理解できませんでした。もしかして、次のどれかですか？\n"
            + "\n".join(lines)
            + f"\n\n職員への問い合わせはこちら：{inquiry}"
        )
        choices = [line.message_item(e.question, e.question) for e in reply.suggestions]
        return [line.text_message(text, choices)]
    return [
        line.text_message(
            "市のよくある質問には、この内容が見つかりませんでした。"
            f"職員への問い合わせはこちら：{inquiry}"
        )
    ]


def _send(channel: LineChannel, reply_token: str, messages: list[dict[str, Any]]) -> None:
    try:
        line.reply(channel.access_token, reply_token, messages)
    except line.LineUnavailable as exc:
        logger.warning("LINE reply failed (the turn is stored): %s", exc)


def _message(request: MunicipalRequest, channel: LineChannel, event: dict[str, Any]) -> None:
    user_id = str(event.get("source", {}).get("userId", ""))
    text = str(event.get("message", {}).get("text", ""))
    conversation = conversation_for_channel_user(
        municipality=request.municipality, channel=Channel.LINE, user_id=user_id
    )
    try:
        reply = question_answer(
            municipality=request.municipality,
            text=text,
            conversation=conversation,
            channel=Channel.LINE,
        )
    except QuestionRefused as refused:
        notice = (
            f"質問が長すぎます（{MAX_QUESTION}文字まで）。短くして送ってください。"
            if refused.code == "too_long"
            else "質問を文字で送ってください。例：「ごみの収集日を知りたい」"
        )
        _send(channel, str(event.get("replyToken", "")), [line.text_message(notice)])
        return
    _send(channel, str(event.get("replyToken", "")), _reply_messages(request, reply))


def _postback(request: MunicipalRequest, event: dict[str, Any]) -> None:
    data = parse_qs(str(event.get("postback", {}).get("data", "")))
    turn_id = (data.get("feedback") or [""])[0]
    user = hash_channel_user(str(event.get("source", {}).get("userId", "")))
    try:
        turn_uuid = uuid.UUID(turn_id)
    except ValueError:
        return  # not one of our buttons
    turn = Turn.objects.filter(
        pk=turn_uuid,
        municipality=request.municipality,
        conversation__channel=Channel.LINE,
        conversation__channel_user=user,
    ).first()
    if turn is not None:
        turn_feedback(turn=turn, resolved=(data.get("resolved") or ["0"])[0] == "1")


@csrf_exempt
@require_POST
def webhook(request: MunicipalRequest) -> HttpResponse:
    channel = LineChannel.objects.filter(municipality=request.municipality, is_active=True).first()
    if channel is None:
        raise Http404
    body = request.body
    if not line.signature_valid(
        channel.channel_secret, body, request.headers.get("X-Line-Signature", "")
    ):
        return HttpResponse("invalid signature", status=401, content_type="text/plain")
    try:
        events = json.loads(body).get("events", [])
    except (ValueError, AttributeError):
        return HttpResponse("invalid body", status=400, content_type="text/plain")
    for event in events if isinstance(events, list) else []:
        if not isinstance(event, dict):
            continue
        kind = event.get("type")
        if kind == "message" and event.get("message", {}).get("type") == "text":
            _message(request, channel, event)
        elif kind == "postback":
            _postback(request, event)
    return HttpResponse("ok", content_type="text/plain")
