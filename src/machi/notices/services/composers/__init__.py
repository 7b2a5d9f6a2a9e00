"""How a notice becomes one subscriber's message on each channel.

``texts_of`` renders a notice once per language (a fan-out to 100,000 subscribers renders
it twice, not 100,000 times); each channel's ``compose`` turns those texts and one
subscription into an unsaved :class:`Message` under the key ``notice:<id>:<subscription>``.
A channel without a composer here is not fanned out to.
"""

from __future__ import annotations

from machi.notices.models import Channel
from machi.notices.services.composers import email, line, webhook, webpush
from machi.notices.services.composers.base import Composer

COMPOSERS: dict[str, Composer] = {
    Channel.EMAIL: email.compose,
    Channel.WEBHOOK: webhook.compose,
    Channel.LINE: line.compose,
    Channel.WEB_PUSH: webpush.compose,
}
