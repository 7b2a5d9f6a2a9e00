"""The sender of each channel. LINE, Web Push and webhooks join here (issue 18)."""

from __future__ import annotations

from machi.notices.delivery.base import Sender
from machi.notices.delivery.email import EmailSender
from machi.notices.models import Channel


def sender_for(channel: str) -> Sender | None:
    if channel == Channel.EMAIL:
        return EmailSender()
    return None
