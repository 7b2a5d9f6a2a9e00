"""The outbox (ADR 0018): write a message with the change that causes it; send what is due.

``message_queue`` is called inside the caller's transaction, so a rolled-back change
leaves no message and a committed one always has its message. ``messages_send_due``
takes due messages in small locked batches (``SKIP LOCKED``: several workers share the
work, none takes a message twice), marks them as sending with a lease, sends them
outside any transaction and writes down each outcome. Temporary failures wait on a
ladder and are tried again; a worker that stops mid-batch leaves its messages sending
until their lease runs out, then another worker sends them (same Message-ID).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from machi.core.audit_actions import AuditAction
from machi.core.models import Municipality, User
from machi.core.permissions import has_role
from machi.core.services.audit import audit_record
from machi.core.task_queue import enqueue_on_commit
from machi.notices.delivery.base import EndpointGone, SendFailed
from machi.notices.delivery.registry import sender_for
from machi.notices.models import (
    FAILED_STATUSES,
    DeliveryAttempt,
    Message,
    MessageStatus,
    Subscription,
)
from machi.notices.permissions import WRITER_ROLES

logger = logging.getLogger(__name__)

# Seconds to wait before each retry of a temporary failure; after the last one the
# message is a temporary-failure for good.
RETRY_LADDER = (60, 300, 900, 3600, 21600, 86400)
BATCH = 100
DISPATCH_TASK = "notices.messages_dispatch"


def message_queue(
    *,
    municipality: Municipality | None,
    channel: str,
    kind: str,
    key: str,
    recipient: str,
    body: str,
    subject: str = "",
    headers: dict[str, str] | None = None,
    urgent: bool = False,
    **links: Any,
) -> Message:
    """Write one message (or return the one this ``key`` already made) and have it sent
    after the commit. ``links``: ``notice=``, ``subscription=``. ``municipality`` is None
    for a platform mail sent outside any municipality's portal."""
    existing = Message.objects.filter(municipality=municipality, key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            message = Message.objects.create(
                municipality=municipality,
                channel=channel,
                kind=kind,
                key=key,
                recipient=recipient,
                subject=subject,
                body=body,
                headers=headers or {},
                urgent=urgent,
                **links,
            )
    except IntegrityError:  # the same cause, written by a concurrent request
        return Message.objects.get(municipality=municipality, key=key)
    dispatch_on_commit()
    return message


def messages_queue_many(messages: Iterable[Message]) -> int:
    """Write many messages at once (a notice's fan-out); ones whose key exists are
    skipped. Returns how many were given."""
    batch = list(messages)
    Message.objects.bulk_create(batch, ignore_conflicts=True)
    if batch:
        dispatch_on_commit()
    return len(batch)


def dispatch_on_commit() -> None:
    enqueue_on_commit(DISPATCH_TASK, once=DISPATCH_TASK)


@dataclass
class Sent:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def _claim(now: dt.datetime, limit: int) -> list[tuple[Message, int]]:
    """Take up to ``limit`` due messages, urgent first, and mark them as sending."""
    with transaction.atomic():
        due = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(
                status__in=[MessageStatus.CREATED, MessageStatus.SENDING],
                next_attempt_at__lte=now,
            )
            .order_by("-urgent", "next_attempt_at")[:limit]
        )
        if not due:
            return []
        ids = [m.pk for m in due]
        Message.objects.filter(pk__in=ids).update(
            status=MessageStatus.SENDING,
            attempts=F("attempts") + 1,
            next_attempt_at=now + dt.timedelta(seconds=settings.MACHI_DELIVERY_LEASE_SECONDS),
        )
        claimed = []
        for message in due:
            message.attempts += 1
            claimed.append((message, message.attempts))
        DeliveryAttempt.objects.bulk_create(
            [DeliveryAttempt(message=m, number=n, started_at=now) for m, n in claimed],
            ignore_conflicts=True,
        )
        return claimed


def _outcome(number: int, failure: SendFailed | None) -> tuple[str, str, dt.timedelta | None]:
    """The status after attempt ``number``, the error, and the wait before the next one."""
    if failure is None:
        return MessageStatus.DELIVERED, "", None
    error = str(failure)[:500]
    if isinstance(failure, _NoChannel):
        return MessageStatus.TECHNICAL_FAILURE, error, None
    if failure.permanent:
        return MessageStatus.PERMANENT_FAILURE, error, None
    if number > len(RETRY_LADDER):
        if isinstance(failure, _Technical):
            return MessageStatus.TECHNICAL_FAILURE, error, None
        return MessageStatus.TEMPORARY_FAILURE, error, None
    return MessageStatus.SENDING, error, dt.timedelta(seconds=RETRY_LADDER[number - 1])


def _record(results: list[tuple[Message, int, SendFailed | None]]) -> None:
    """Write down what happened to some sent messages, in one transaction: the delivered
    ones (nearly all) in one UPDATE, the others one by one."""
    if not results:
        return
    now = timezone.now()
    delivered = [(m, n) for m, n, failure in results if failure is None]
    with transaction.atomic():
        if delivered:
            Message.objects.filter(pk__in=[m.pk for m, _n in delivered]).update(
                status=MessageStatus.DELIVERED, error="", sent_at=now, finished_at=now
            )
            attempts = Q()
            for message, number in delivered:
                attempts |= Q(message=message, number=number)
            DeliveryAttempt.objects.filter(attempts).update(
                finished_at=now, outcome=MessageStatus.DELIVERED
            )
        for message, number, failure in results:
            if failure is None:
                continue
            status, error, wait = _outcome(number, failure)
            finished = status != MessageStatus.SENDING
            Message.objects.filter(pk=message.pk).update(
                status=status,
                error=error,
                next_attempt_at=now + wait if wait else now,
                finished_at=now if finished else None,
            )
            DeliveryAttempt.objects.filter(message=message, number=number).update(
                finished_at=now, outcome=status if finished else "", detail=error
            )
            if isinstance(failure, EndpointGone) and message.subscription_id:
                Subscription.objects.filter(
                    pk=message.subscription_id, unsubscribed_at__isnull=True
                ).update(unsubscribed_at=now, updated_at=now)


def _rate(channel: str) -> float:
    """Messages per second the channel may take (``MACHI_DELIVERY_RATES``; 0: no limit)."""
    rates: dict[str, float] = getattr(settings, "MACHI_DELIVERY_RATES", {})
    return float(rates.get(channel, 0))


def messages_send_due(*, budget_seconds: float = 50.0, now: dt.datetime | None = None) -> Sent:
    """Send what is due, batch after batch, until nothing is due or the budget is spent."""
    sent = Sent()
    started = time.monotonic()
    while time.monotonic() - started < budget_seconds:
        claimed = _claim(now or timezone.now(), BATCH)
        if not claimed:
            break
        by_channel: dict[str, list[tuple[Message, int]]] = {}
        for message, number in claimed:
            by_channel.setdefault(message.channel, []).append((message, number))
        for channel, batch in by_channel.items():
            _send_batch(channel, batch, sent)
    return sent


# Outcomes are written every this many messages (and at the end of a batch): a worker
# killed in between leaves at most this many sent but not written down, which the next
# worker sends again with the same Message-ID.
RECORD_EVERY = 50


def _send_batch(channel: str, batch: list[tuple[Message, int]], sent: Sent) -> None:
    sender = sender_for(channel)
    if sender is None:
        _record([(m, n, _NoChannel(f"no sender for channel {channel}")) for m, n in batch])
        sent.failed += len(batch)
        return
    rate = _rate(channel)
    results: list[tuple[Message, int, SendFailed | None]] = []
    with sender:
        for message, number in batch:
            began = time.monotonic()
            failure: SendFailed | None = None
            try:
                sender.send(message)
            except SendFailed as exc:
                failure = exc
            except Exception as exc:  # a bug or an outside library's surprise: keep going
                logger.exception("sending message %s failed", message.pk)
                failure = _Technical(f"{exc.__class__.__name__}: {exc}"[:300])
            results.append((message, number, failure))
            status = _outcome(number, failure)[0]
            if status == MessageStatus.DELIVERED:
                sent.delivered += 1
            elif status == MessageStatus.SENDING:
                sent.retrying += 1
            else:
                sent.failed += 1
            if len(results) >= RECORD_EVERY:
                _record(results)
                results = []
            if rate:
                time.sleep(max(0.0, 1.0 / rate - (time.monotonic() - began)))
    _record(results)


class _NoChannel(SendFailed):
    """No sender is configured for the channel (our side: a technical failure)."""


class _Technical(SendFailed):
    """Our side failed; tried again on the ladder like a temporary failure."""


@transaction.atomic
def message_retry(*, actor: User, municipality: Municipality, message: Message) -> Message:
    """Send a failed message again (after the address or the outside system was fixed)."""
    if not has_role(actor, municipality, WRITER_ROLES):
        raise PermissionDenied(_("You cannot send messages again."))
    message = Message.objects.select_for_update().get(pk=message.pk, municipality=municipality)
    if message.status not in FAILED_STATUSES:
        raise ValidationError(_("Only a message that failed can be sent again."))
    message.status = MessageStatus.CREATED
    message.next_attempt_at = timezone.now()
    message.finished_at = None
    message.save(update_fields=["status", "next_attempt_at", "finished_at"])
    audit_record(
        action=AuditAction.NOTICE_MESSAGE_RETRIED,
        actor=actor,
        municipality=municipality,
        target=message,
        data={"kind": message.kind, "channel": message.channel},
    )
    dispatch_on_commit()
    return message
