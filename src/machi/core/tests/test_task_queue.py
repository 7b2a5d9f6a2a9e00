"""Tasks queued by name after commit: once per transaction when asked, dropped on rollback."""

from __future__ import annotations

from typing import Any

import pytest
from celery import shared_task
from django.db import transaction

from machi.core.task_queue import enqueue_on_commit

RAN: list[str] = []


@shared_task(name="core.tests.record")
def record(value: str) -> None:
    RAN.append(value)


@pytest.fixture(autouse=True)
def _empty() -> None:
    RAN.clear()


def test_the_task_runs_after_commit_with_its_arguments(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit("core.tests.record", "a")
        assert RAN == []  # not before the commit
    assert RAN == ["a"]


def test_a_once_key_sends_one_task_per_transaction(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for _row in range(2000):  # a CSV import of 2,000 rows
            enqueue_on_commit("core.tests.record", "refresh", once="list:1")
        enqueue_on_commit("core.tests.record", "other city", once="list:2")
    assert len(callbacks) == 2
    assert RAN == ["refresh", "other city"]


def test_a_rolled_back_change_sends_nothing_and_does_not_hold_the_key(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue_on_commit("core.tests.record", "lost", once="list:1")
            raise RuntimeError("the import failed half-way")
        enqueue_on_commit("core.tests.record", "sent", once="list:1")
    assert RAN == ["sent"]


def test_outside_a_transaction_it_runs_at_once(transactional_db: None) -> None:
    enqueue_on_commit("core.tests.record", "now", once="list:1")
    enqueue_on_commit("core.tests.record", "again", once="list:1")
    assert RAN == ["now", "again"]


def test_a_send_kept_alive_after_its_rollback_does_not_hold_the_key(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    """A failed transaction's traceback can keep its queued send alive; the next
    transaction still queues the task (the key counts only while Django holds it)."""
    kept: list[Any] = []
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue_on_commit("core.tests.record", "lost", once="list:1")
            kept.extend(func for _sids, func, _robust in transaction.get_connection().run_on_commit)
            raise RuntimeError("the import failed half-way")
        enqueue_on_commit("core.tests.record", "sent", once="list:1")
    assert kept and RAN == ["sent"]
