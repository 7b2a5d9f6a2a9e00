"""A notice's messages to its subscribers: written once, when the notice goes public.

Subscribers of every channel that has a composer (``services.composers``) are read in
chunks of primary keys and their messages written with ``bulk_create(ignore_conflicts=True)``
under the key ``notice:<notice>:<subscription>``: memory stays flat whatever the number of
subscribers, and a fan-out that stops half-way (a worker killed) can simply run again: the
messages already written are skipped, none is written twice.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from machi.notices.models import Notice, NoticeStatus, Subscription
from machi.notices.services.composers import COMPOSERS
from machi.notices.services.composers.base import texts_of
from machi.notices.services.messages import messages_queue_many

CHUNK = 2000


def subscribers_of(notice: Notice) -> QuerySet[Subscription]:
    """Confirmed, not unsubscribed, and wanting this category (or all) and one of the
    notice's districts (or all; a notice for the whole city reaches every district)."""
    subscriptions = Subscription.objects.filter(
        municipality_id=notice.municipality_id,
        confirmed_at__isnull=False,
        unsubscribed_at__isnull=True,
    )
    subscriptions = subscriptions.filter(
        Q(categories__isnull=True) | Q(categories=notice.category_id)
    )
    districts = list(notice.districts.values_list("pk", flat=True))
    if districts:
        subscriptions = subscriptions.filter(Q(districts__isnull=True) | Q(districts__in=districts))
    return subscriptions.distinct()


def notice_fan_out(*, notice: Notice, now: dt.datetime | None = None) -> int:
    """Write the messages of a public notice to its subscribers (once); how many."""
    now = now or timezone.now()
    notice.refresh_from_db(fields=["status", "published_at", "expire_at", "fanned_out_at"])
    if (
        notice.fanned_out_at is not None  # written once already; later subscribers wait
        or notice.status != NoticeStatus.APPROVED
        or notice.published_at is None
        or notice.published_at > now
        or (notice.expire_at is not None and notice.expire_at <= now)
    ):
        return 0
    texts = texts_of(notice)
    written = 0
    last = None
    while True:
        chunk = subscribers_of(notice).filter(channel__in=list(COMPOSERS)).order_by("pk")
        if last is not None:
            chunk = chunk.filter(pk__gt=last)
        batch = list(chunk[:CHUNK])
        if not batch:
            break
        with transaction.atomic():
            written += messages_queue_many(
                COMPOSERS[s.channel](notice, s, texts.get(s.language, texts["ja"])) for s in batch
            )
        last = batch[-1].pk
    Notice.objects.filter(pk=notice.pk, fanned_out_at__isnull=True).update(fanned_out_at=now)
    return written


def due_notices(*, now: dt.datetime | None = None) -> QuerySet[Notice]:
    """Approved notices that went public and whose messages are not written yet (the ones
    published for later, and any whose fan-out task was lost)."""
    now = now or timezone.now()
    return Notice.objects.filter(
        status=NoticeStatus.APPROVED, published_at__lte=now, fanned_out_at__isnull=True
    ).exclude(expire_at__lte=now)
