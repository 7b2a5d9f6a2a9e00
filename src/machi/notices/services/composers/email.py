"""A notice as an e-mail: the text, its link, and RFC 8058 one-click unsubscribe."""

from __future__ import annotations

from machi.notices.models import Message, Notice, Subscription
from machi.notices.services.composers.base import NoticeText, click_link, notice_message
from machi.notices.services.subscriptions import unsubscribe_url


def compose(notice: Notice, subscription: Subscription, text: NoticeText) -> Message:
    unsubscribe = unsubscribe_url(subscription)
    message = notice_message(
        notice,
        subscription,
        subject=text.subject,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    body = text.body.replace("{link}", click_link(message, subscription))
    message.body = body.replace("{unsubscribe}", unsubscribe)
    return message
