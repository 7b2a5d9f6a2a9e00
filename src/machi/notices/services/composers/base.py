"""What every channel's notice message shares: the texts, the link, the key."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from machi.notices.markup import plain
from machi.notices.models import Message, Notice, Subscription

LANGUAGES = ("ja", "en")


@dataclass(frozen=True)
class NoticeText:
    """A notice in one language, ready for any channel."""

    municipality: str
    title: str
    summary: str  # plain text, short: a push or LINE message
    subject: str  # e-mail subject
    body: str  # e-mail body with ``{link}`` and ``{unsubscribe}`` still to fill in


def texts_of(notice: Notice) -> dict[str, NoticeText]:
    return {language: _text(notice, language) for language in LANGUAGES}


def _text(notice: Notice, language: str) -> NoticeText:
    english = language == "en"
    title = notice.title_en if english and notice.title_en else notice.title
    source = notice.body_en if english and notice.body_en else notice.body
    with translation.override(language):
        municipality = notice.municipality.display_name(language)
        context = {
            "municipality": municipality,
            "notice": notice,
            "title": title,
            "text": plain(source, 2000),
        }
        subject = " ".join(render_to_string("notices/mail/notice_subject.txt", context).split())
        body = render_to_string("notices/mail/notice_body.txt", context)
    return NoticeText(
        municipality=municipality,
        title=title,
        summary=plain(source, 120),
        subject=subject,
        body=body,
    )


def click_link(message: Message, subscription: Subscription) -> str:
    """The link a message carries to its notice: through machi's redirect, which counts
    the click for 効果検証 (no tracking pixel, no cookie; see the privacy page)."""
    return subscription.portal_url.rstrip("/") + reverse(
        "notices:click", kwargs={"message_id": message.pk}
    )


def notice_message(notice: Notice, subscription: Subscription, **fields: object) -> Message:
    """The fields every channel's notice message shares; its id is set now, so that the
    composer can put the message's own click link in it."""
    return Message(
        id=uuid.uuid4(),
        municipality_id=notice.municipality_id,
        channel=subscription.channel,
        kind="notice",
        key=f"notice:{notice.pk}:{subscription.pk}",
        recipient=subscription.address,
        subscription=subscription,
        notice=notice,
        urgent=notice.category.is_urgent,
        **fields,
    )


Composer = Callable[[Notice, Subscription, NoticeText], Message]
