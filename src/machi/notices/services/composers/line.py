"""A notice as a LINE message: the title, a short summary and the link.

LINE's multicast sends one text to up to 500 users, so every LINE message of a notice in
one language has the same ``body``, with ``{link}`` where the link goes; the message's own
counted link (``click_link``) is kept in ``headers["link"]``. The sender puts the link of
the first message of each multicast into the text: that message counts the clicks of the
whole multicast, so the clicks per notice and channel (効果検証) are right, and nobody's
click is told apart from another's.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from machi.notices.delivery.line import LINK, TEXT_LIMIT
from machi.notices.models import Message, Notice, Subscription
from machi.notices.services.composers.base import NoticeText, click_link, notice_message


def text_of(notice: Notice, text: NoticeText, language: str) -> str:
    with translation.override(language):
        heading = _("Notice from %(municipality)s") % {"municipality": text.municipality}
        if notice.is_important:
            heading = _("[Important]") + " " + heading
        more = _("Read more: %(link)s") % {"link": LINK}
    title = text.title.replace(LINK, "{ link }")
    summary = text.summary.replace(LINK, "{ link }")
    head = f"{heading}\n\n{title}\n\n"
    tail = f"\n\n{more}"
    room = TEXT_LIMIT - len(head) - len(tail)
    return head + summary[: max(room, 0)] + tail


def compose(notice: Notice, subscription: Subscription, text: NoticeText) -> Message:
    message = notice_message(
        notice, subscription, body=text_of(notice, text, subscription.language)
    )
    message.headers = {"link": click_link(message, subscription)}
    return message
