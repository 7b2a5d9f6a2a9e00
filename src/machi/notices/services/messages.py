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
import queue
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connections, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from machi.core.audit_actions import AuditAction
from machi.core.models import Municipality, User
from machi.core.permissions import has_role
from machi.core.services.audit import audit_record
from machi.core.task_queue import enqueue_on_commit
from machi.notices.delivery.base import EndpointGone, Sender, SendFailed, TechnicalFailure
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
        return claimed


def _outcome(number: int, failure: SendFailed | None) -> tuple[str, str, dt.timedelta | None]:
    """The status after attempt ``number``, the error, and the wait before the next one."""
    if failure is None:
        return MessageStatus.DELIVERED, "", None
    error = str(failure)[:500]
    if isinstance(failure, TechnicalFailure):
        return MessageStatus.TECHNICAL_FAILURE, error, None
    if failure.permanent:
        return MessageStatus.PERMANENT_FAILURE, error, None
    if number > len(RETRY_LADDER):
        if isinstance(failure, _Technical):
            return MessageStatus.TECHNICAL_FAILURE, error, None
        return MessageStatus.TEMPORARY_FAILURE, error, None
    return MessageStatus.SENDING, error, dt.timedelta(seconds=RETRY_LADDER[number - 1])


def _record(results: list[Result]) -> None:
    """Write down what happened to some sent messages, in one transaction: the delivered
    ones (nearly all) in one UPDATE, the others one by one, every attempt in one INSERT."""
    if not results:
        return
    now = timezone.now()
    attempts = []
    delivered = []
    with transaction.atomic():
        for result in results:
            message, number, failure = result.message, result.number, result.failure
            status, error, wait = _outcome(number, failure)
            finished = status != MessageStatus.SENDING
            attempts.append(
                DeliveryAttempt(
                    message=message,
                    number=number,
                    started_at=result.started_at,
                    finished_at=now,
                    outcome=status if finished else "",
                    detail=error,
                )
            )
            if failure is None:
                delivered.append(message.pk)
                continue
            Message.objects.filter(pk=message.pk).update(
                status=status,
                error=error,
                next_attempt_at=now + wait if wait else now,
                finished_at=now if finished else None,
            )
            if isinstance(failure, EndpointGone) and message.subscription_id:
                Subscription.objects.filter(
                    pk=message.subscription_id, unsubscribed_at__isnull=True
                ).update(unsubscribed_at=now, updated_at=now)
        if delivered:
            Message.objects.filter(pk__in=delivered).update(
                status=MessageStatus.DELIVERED, error="", sent_at=now, finished_at=now
            )
        # A worker killed after sending left no attempt row; its number is taken again.
        DeliveryAttempt.objects.bulk_create(attempts, ignore_conflicts=True)


def _rate(channel: str) -> float:
    """Messages per second the channel may take (``MACHI_DELIVERY_RATES``; 0: no limit)."""
    rates: dict[str, float] = getattr(settings, "MACHI_DELIVERY_RATES", {})
    return float(rates.get(channel, 0))


def messages_send_due(*, budget_seconds: float = 50.0, now: dt.datetime | None = None) -> Sent:
    """Send what is due until nothing is due or the budget is spent.

    A channel with several lanes (``MACHI_DELIVERY_LANES``) is sent by that many threads,
    each holding one connection open for the whole run; this thread claims the next batch
    while they send the last, and alone writes to the database. A channel with one lane
    is sent here, batch by batch."""
    sent = Sent()
    started = time.monotonic()
    done: queue.SimpleQueue[Result] = queue.SimpleQueue()
    lanes: dict[str, _Lanes] = {}
    in_flight = 0
    results: list[Result] = []
    due = True
    try:
        while True:
            while due and in_flight <= BATCH and time.monotonic() - started < budget_seconds:
                claimed = _claim(now or timezone.now(), BATCH)
                due = bool(claimed)
                here: dict[str, list[tuple[Message, int]]] = {}
                for message, number in claimed:
                    channel = message.channel
                    if _lanes(channel) > 1 and sender_for(channel) is not None:
                        if channel not in lanes:
                            lanes[channel] = _Lanes(channel, _lanes(channel), done)
                        lanes[channel].take(message, number)
                        in_flight += 1
                    else:
                        here.setdefault(channel, []).append((message, number))
                for channel, batch in here.items():
                    _send_batch(channel, batch, sent)
            if not in_flight:
                break
            result = done.get()
            in_flight -= 1
            _count(sent, result)
            results.append(result)
            if len(results) >= RECORD_EVERY or not in_flight:
                _record(results)
                results = []
    finally:
        for channel_lanes in lanes.values():
            channel_lanes.close()
    return sent


# Outcomes are written every this many messages (and at the end of a batch): a worker
# killed in between leaves at most this many sent but not written down, which the next
# worker sends again with the same Message-ID.
RECORD_EVERY = 50


class Result(NamedTuple):
    message: Message
    number: int
    failure: SendFailed | None
    started_at: dt.datetime


def _count(sent: Sent, result: Result) -> None:
    status = _outcome(result.number, result.failure)[0]
    if status == MessageStatus.DELIVERED:
        sent.delivered += 1
    elif status == MessageStatus.SENDING:
        sent.retrying += 1
    else:
        sent.failed += 1


def _lanes(channel: str) -> int:
    lanes: dict[str, int] = getattr(settings, "MACHI_DELIVERY_LANES", {})
    return max(1, int(lanes.get(channel, 1)))


def _send_one(sender: Sender, message: Message, number: int) -> Result:
    started_at = timezone.now()
    failure: SendFailed | None = None
    try:
        sender.send(message)
    except SendFailed as exc:
        failure = exc
    except Exception as exc:  # a bug or an outside library's surprise: keep going
        logger.exception("sending message %s failed", message.pk)
        failure = _Technical(f"{exc.__class__.__name__}: {exc}"[:300])
    return Result(message, number, failure, started_at)


def _send_batch(channel: str, batch: list[tuple[Message, int]], sent: Sent) -> None:
    """Send one channel's batch here, over one connection."""
    sender = sender_for(channel)
    if sender is None:
        now = timezone.now()
        missing = _NoChannel(f"no sender for channel {channel}")
        _record([Result(m, n, missing, now) for m, n in batch])
        sent.failed += len(batch)
        return
    rate = _rate(channel)
    results: list[Result] = []
    send_many = getattr(sender, "send_many", None)
    if send_many is not None:  # several messages per call (LINE's multicast)
        began, started_at = time.monotonic(), timezone.now()
        with sender:
            try:
                failures: list[SendFailed | None] = send_many([m for m, _n in batch])
            except Exception as exc:  # a bug or an outside library's surprise
                logger.exception("sending a batch of %s messages failed", channel)
                failures = [_Technical(f"{exc.__class__.__name__}: {exc}"[:300])] * len(batch)
        for (message, number), outcome in zip(batch, failures, strict=True):
            result = Result(message, number, outcome, started_at)
            _count(sent, result)
            results.append(result)
        _record(results)
        if rate:
            time.sleep(max(0.0, len(batch) / rate - (time.monotonic() - began)))
        return
    with sender:
        for message, number in batch:
            began = time.monotonic()
            result = _send_one(sender, message, number)
            _count(sent, result)
            results.append(result)
            if len(results) >= RECORD_EVERY:
                _record(results)
                results = []
            if rate:
                time.sleep(max(0.0, 1.0 / rate - (time.monotonic() - began)))
    _record(results)


class _Lanes:
    """A channel's lanes: threads that each keep one sender (one connection) open and send
    what they are given, handing each outcome back. They never touch the database but
    through a sender that reads its settings, on the thread's own connection."""

    def __init__(self, channel: str, count: int, done: queue.SimpleQueue[Result]) -> None:
        self.channel = channel
        self.done = done
        self.rate = _rate(channel) / count
        self.work: queue.SimpleQueue[tuple[Message, int] | None] = queue.SimpleQueue()
        self.threads = [
            threading.Thread(target=self._run, name=f"send-{channel}-{n}", daemon=True)
            for n in range(count)
        ]
        for thread in self.threads:
            thread.start()

    def take(self, message: Message, number: int) -> None:
        self.work.put((message, number))

    def close(self) -> None:
        for _thread in self.threads:
            self.work.put(None)
        for thread in self.threads:
            thread.join()

    def _run(self) -> None:
        closed = False  # the lane was told to stop (its None taken)
        try:
            sender = sender_for(self.channel)
            assert sender is not None
            with sender:
                while (item := self.work.get()) is not None:
                    began = time.monotonic()
                    self.done.put(_send_one(sender, *item))
                    if self.rate:
                        time.sleep(max(0.0, 1.0 / self.rate - (time.monotonic() - began)))
                closed = True
        except Exception as exc:  # the sender could not open (or close): fail what is left
            logger.exception("a %s lane stopped", self.channel)
            failure = _Technical(f"{exc.__class__.__name__}: {exc}"[:300])
            while not closed and (item := self.work.get()) is not None:
                self.done.put(Result(item[0], item[1], failure, timezone.now()))
        finally:
            connections.close_all()


class _NoChannel(TechnicalFailure):
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
