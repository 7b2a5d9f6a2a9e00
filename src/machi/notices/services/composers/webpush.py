"""A notice as a push: a small JSON document the service worker shows as a notification
(``title``, ``body``, the message's tracked ``url``, a ``tag`` so a notice shows once).

Push services take about 4 KB of encrypted payload; the document is kept under
``MAX_PAYLOAD`` bytes by shortening the text.
"""

from __future__ import annotations

import json

from machi.notices.models import Message, Notice, Subscription
from machi.notices.services.composers.base import NoticeText, click_link, notice_message

MAX_PAYLOAD = 3072


def payload(*, title: str, body: str, url: str, tag: str) -> str:
    def dumped(text: str) -> str:
        document = {"title": title[:200], "body": text, "url": url, "tag": tag}
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"))

    text = dumped(body)
    while len(text.encode()) > MAX_PAYLOAD and body:
        body = body[: max(0, len(body) - 20)]
        text = dumped(body + "…" if body else "")
    return text


def compose(notice: Notice, subscription: Subscription, text: NoticeText) -> Message:
    message = notice_message(notice, subscription, subject=text.title)
    message.body = payload(
        title=text.title,
        body=text.summary,
        url=click_link(message, subscription),
        tag=f"notice-{notice.pk}",
    )
    return message
