"""Exactly once as residents see it: a Celery worker killed (-9) in the middle of a
notice's fan-out, another started; every subscriber gets the notice, once.

Real parts: PostgreSQL, Redis as the broker, two Celery worker processes one after the
other, and an SMTP server on loopback. The lease is cut to 3 s so the second worker takes
over the killed one's messages within the test.
"""

from __future__ import annotations

import collections
import signal
import time
from typing import Any

import pytest
from django.db import transaction

from machi.core.task_queue import enqueue
from machi.notices.models import Message, MessageStatus, Subscription
from machi.notices.services.subscriptions import (
    confirm_token,
    email_subscription_request,
    subscription_confirm,
)
from machi.notices.tests.conftest import Town
from machi.testing.processes import SERVICES_PRESENT, start_celery_worker
from machi.testing.smtp import Mailbox

pytestmark = SERVICES_PRESENT

SUBSCRIBERS = 300
TITLE = "避難所開設のお知らせ"


@pytest.fixture
def env(smtp_server: Mailbox, process_env: dict[str, str], settings: Any) -> Mailbox:
    process_env.update(
        EMAIL_URL=f"smtp://127.0.0.1:{settings.EMAIL_PORT}",
        MACHI_DELIVERY_LEASE_SECONDS="3",
        MACHI_DELIVERY_RATES="email=150",  # two seconds of sending: time to kill it
    )
    return smtp_server


def _wait(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _notice_mails(mailbox: Mailbox) -> list[Any]:
    return [m for m in mailbox.messages if TITLE in str(m["Subject"])]


def test_a_worker_killed_mid_fan_out_loses_nothing_and_sends_nothing_twice(
    town: Town, env: Mailbox, queue: str, process_env: dict[str, str], tasks_to_the_worker: None
) -> None:
    for n in range(SUBSCRIBERS):
        subscription = email_subscription_request(
            municipality=town.city, email=f"r{n:04d}@example.jp", portal_url="http://127.0.0.1/"
        )
        subscription_confirm(token=confirm_token(subscription))
    first = start_celery_worker(queue, process_env)
    try:
        with transaction.atomic():  # approved: the fan-out task goes to the broker on commit
            town.notice(title=TITLE, category=town.categories["bosai"])
        _wait(lambda: len(_notice_mails(env)) >= 60, 120, "the first mails")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    assert len(_notice_mails(env)) < SUBSCRIBERS, "the worker finished before it was killed"
    assert Message.objects.filter(notice__title=TITLE, status=MessageStatus.SENDING).exists()

    replacement = start_celery_worker(queue, process_env)
    try:

        def everyone_served() -> bool:
            enqueue("notices.sweep")  # what beat does every minute
            time.sleep(1)
            return not Message.objects.filter(
                notice__title=TITLE, status__in=[MessageStatus.CREATED, MessageStatus.SENDING]
            ).exists()

        _wait(everyone_served, 120, "the replacement worker to finish")
    finally:
        replacement.terminate()
        replacement.wait(timeout=30)

    by_recipient = collections.defaultdict(set)
    for mail in _notice_mails(env):
        by_recipient[str(mail["To"])].add(str(mail["Message-ID"]))
    assert len(by_recipient) == SUBSCRIBERS == Subscription.objects.count()
    assert all(len(ids) == 1 for ids in by_recipient.values())
    assert set(Message.objects.filter(notice__title=TITLE).values_list("status", flat=True)) == {
        MessageStatus.DELIVERED
    }
