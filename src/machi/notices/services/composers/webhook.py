"""A notice as a partner's webhook: a JSON document with a stable schema (version 1,
docs/notices.md "Webhooks for partners"). The sender signs it when it sends it, with a
fresh timestamp on each try (``delivery/webhook.py``)."""

from __future__ import annotations

import json

from django.utils import timezone

from machi.notices.models import Message, Notice, Subscription
from machi.notices.services.composers.base import NoticeText, click_link, notice_message

EVENT = "notice.published"
SCHEMA_VERSION = 1


def payload(message: Message, notice: Notice, subscription: Subscription, text: NoticeText) -> dict:
    published = timezone.localtime(notice.published_at) if notice.published_at else None
    return {
        "event": EVENT,
        "version": SCHEMA_VERSION,
        "municipality": {"code": notice.municipality.code, "name": text.municipality},
        "notice": {
            "id": str(notice.pk),
            "title": text.title,
            "summary": text.summary,
            "url": click_link(message, subscription),
            "category": notice.category.code,
            "districts": sorted(notice.districts.values_list("code", flat=True)),
            "published_at": published.isoformat() if published else None,
            "important": notice.is_important,
            "urgent": notice.category.is_urgent,
        },
    }


def compose(notice: Notice, subscription: Subscription, text: NoticeText) -> Message:
    message = notice_message(
        notice,
        subscription,
        subject=text.title[:300],
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Machi-Webhook-Event": EVENT,
        },
    )
    message.body = json.dumps(
        payload(message, notice, subscription, text),
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return message
