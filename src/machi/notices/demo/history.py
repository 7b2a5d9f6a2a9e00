"""The demo's delivery history: subscribers on every channel and the messages the notices
of the last eight weeks sent them, with outcomes and clicks, so that the 効果検証 dashboard
and the DX plan's KPI have figures on ``make demo``.

Invented but plausible (DEMO DATA): LINE reaches most people and is followed most, e-mail
loses a few addresses for good, some browsers' push endpoints are gone, the partners'
webhooks take everything and click nothing. Deterministic (one seeded generator), written
with ``bulk_create`` in a few statements. The messages carry the keys the fan-out uses
(``notice:<notice>:<subscription>``), so a notice the demo sends on loading skips these
subscribers instead of sending them real messages.
"""

from __future__ import annotations

import base64
import datetime as dt
import random
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.utils import timezone

from machi.core.models import Municipality
from machi.notices.models import Channel, Message, MessageStatus, Notice, Subscription

WEEKS = 8
SEED = 242101
PREFIX = "demo-history"


@dataclass(frozen=True)
class ChannelMix:
    """How many subscribe, and what happens to a message on the channel (shares of 1)."""

    channel: str
    subscribers: int
    delivered: float
    permanent: float  # the rest of the failures are temporary (retried, then given up)
    clicked: float  # of the delivered
    growth: float  # share of the subscribers who joined during the eight weeks


MIXES = (
    ChannelMix(Channel.EMAIL, 150, 0.955, 0.03, 0.16, 0.15),
    ChannelMix(Channel.LINE, 400, 0.99, 0.0, 0.31, 0.35),
    ChannelMix(Channel.WEB_PUSH, 100, 0.9, 0.08, 0.11, 0.5),
    ChannelMix(Channel.WEBHOOK, 3, 1.0, 0.0, 0.0, 0.0),
)
PARTNERS = ("亀山市観光協会", "亀山商工会議所", "地域FM放送局")


def _push_keys(n: int) -> dict[str, str]:
    """Keys a browser could have sent (a P-256 point and 16 bytes), so that a notice the
    demo's staff publish is encrypted for these endpoints as for real ones; the endpoints
    (``.invalid``) then do not answer, which the delivery page shows."""
    key = ec.derive_private_key(SEED * 1000 + n + 1, ec.SECP256R1())
    point = key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    auth = n.to_bytes(16, "big")
    return {
        "p256dh": base64.urlsafe_b64encode(point).rstrip(b"=").decode(),
        "auth": base64.urlsafe_b64encode(auth).rstrip(b"=").decode(),
    }


def _address(channel: str, n: int) -> str:
    if channel == Channel.EMAIL:
        return f"reader{n:03d}@kameyama.demo"
    if channel == Channel.LINE:
        return f"U{uuid.UUID(int=SEED * 10_000 + n).hex}"
    if channel == Channel.WEB_PUSH:
        return f"https://push.example.invalid/{PREFIX}/{n:03d}"
    return f"https://partner{n}.example.invalid/{PREFIX}/notices"


def _subscriptions(
    city: Municipality, portal_url: str, now: dt.datetime, rng: random.Random
) -> list[Subscription]:
    start = now - dt.timedelta(weeks=WEEKS)
    rows = []
    for mix in MIXES:
        for n in range(mix.subscribers):
            joined_late = rng.random() < mix.growth
            confirmed = (
                start + dt.timedelta(days=rng.uniform(0, WEEKS * 7 - 3))
                if joined_late
                else start - dt.timedelta(days=rng.uniform(1, 400))
            )
            left = None
            if mix.channel != Channel.WEBHOOK and rng.random() < 0.04:
                left = confirmed + dt.timedelta(days=rng.uniform(1, 50))
                if left > now - dt.timedelta(days=3):
                    left = None
            details: dict[str, str] = {}
            label = ""
            if mix.channel == Channel.WEB_PUSH:
                details = _push_keys(n)
            elif mix.channel == Channel.WEBHOOK:
                details = {"secret": secrets.token_urlsafe(24)}
                label = PARTNERS[n % len(PARTNERS)]
            rows.append(
                Subscription(
                    municipality=city,
                    channel=mix.channel,
                    address=_address(mix.channel, n),
                    details=details,
                    label=label,
                    portal_url=portal_url,
                    confirmed_at=confirmed,
                    unsubscribed_at=left,
                )
            )
    return rows


def _outcome(mix: ChannelMix, rng: random.Random) -> tuple[str, int]:
    roll = rng.random()
    if roll < mix.delivered:
        return MessageStatus.DELIVERED, 1
    if roll < mix.delivered + mix.permanent:
        return MessageStatus.PERMANENT_FAILURE, 1
    return MessageStatus.TEMPORARY_FAILURE, 6


def _messages(
    notices: Iterable[Notice], subscriptions: list[Subscription], rng: random.Random
) -> tuple[list[Message], dict[uuid.UUID, dt.datetime]]:
    mixes = {m.channel: m for m in MIXES}
    messages = []
    written_at: dict[uuid.UUID, dt.datetime] = {}
    for notice in notices:
        assert notice.published_at is not None
        at = notice.published_at + dt.timedelta(minutes=1)
        written_at[notice.pk] = at
        for s in subscriptions:
            assert s.confirmed_at is not None
            if s.confirmed_at > notice.published_at or (
                s.unsubscribed_at is not None and s.unsubscribed_at <= notice.published_at
            ):
                continue
            mix = mixes[s.channel]
            status, attempts = _outcome(mix, rng)
            sent = at + dt.timedelta(seconds=rng.uniform(5, 900))
            finished = sent if attempts == 1 else sent + dt.timedelta(hours=rng.uniform(20, 30))
            clicks = 0
            first_click = None
            if status == MessageStatus.DELIVERED and rng.random() < mix.clicked:
                clicks = 1 + (rng.random() < 0.2)
                first_click = sent + dt.timedelta(minutes=rng.uniform(2, 60 * 30))
            messages.append(
                Message(
                    municipality_id=notice.municipality_id,
                    channel=s.channel,
                    kind="notice",
                    key=f"notice:{notice.pk}:{s.pk}",
                    recipient=s.address,
                    subscription=s,
                    notice=notice,
                    subject=notice.title if s.channel == Channel.EMAIL else "",
                    body=notice.title,
                    urgent=notice.category.is_urgent,
                    status=status,
                    attempts=attempts,
                    next_attempt_at=finished,
                    error=""
                    if status == MessageStatus.DELIVERED
                    else "demo: refused (no such address)"
                    if status == MessageStatus.PERMANENT_FAILURE
                    else "demo: no answer (timed out)",
                    sent_at=sent if status == MessageStatus.DELIVERED else None,
                    finished_at=finished,
                    clicks=clicks,
                    first_clicked_at=first_click,
                )
            )
    return messages, written_at


def delivery_history_load(*, city: Municipality, portal_url: str) -> int:
    """Write the history once (a second run finds it and does nothing); messages written."""
    if Subscription.objects.filter(
        municipality=city, channel=Channel.EMAIL, address=_address(Channel.EMAIL, 0)
    ).exists():
        return 0
    rng = random.Random(SEED)  # noqa: S311 -- demo figures, repeatable on purpose
    now = timezone.now()
    subscriptions = Subscription.objects.bulk_create(_subscriptions(city, portal_url, now, rng))
    notices = (
        Notice.objects.filter(
            municipality=city,
            published_at__gte=now - dt.timedelta(weeks=WEEKS),
            published_at__lte=now,
        )
        .select_related("category")
        .order_by("published_at")
    )
    messages, written_at = _messages(notices, subscriptions, rng)
    Message.objects.bulk_create(messages, batch_size=2000)
    # created_at is set on saving; the history's messages were written when each notice
    # went out (one UPDATE per notice).
    for notice_id, at in written_at.items():
        Message.objects.filter(notice_id=notice_id, created_at__gte=now).update(created_at=at)
    return len(messages)
