"""The sender of each channel; a channel without one fails its messages as technical."""

from __future__ import annotations

from machi.notices.delivery.base import Sender
from machi.notices.delivery.email import EmailSender
from machi.notices.delivery.line import LineSender
from machi.notices.delivery.webhook import WebhookSender
from machi.notices.delivery.webpush import WebPushSender
from machi.notices.models import Channel


def sender_for(channel: str) -> Sender | None:
    if channel == Channel.EMAIL:
        return EmailSender()
    if channel == Channel.WEBHOOK:
        return WebhookSender()
    if channel == Channel.LINE:
        return LineSender()
    if channel == Channel.WEB_PUSH:
        return WebPushSender()
    return None
