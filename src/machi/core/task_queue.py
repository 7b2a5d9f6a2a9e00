"""The one way services queue background work: a Celery task, by name, after commit.

Services name the task (``"procedures.submission_event_mail_send"``) instead of importing
the tasks module, so tasks can import services at the top without an import cycle. The
task is sent when the transaction commits (a rollback drops it together with the change);
in the embedded default (``CELERY_TASK_ALWAYS_EAGER``) it runs in-process at that moment.
A broker that is down is logged, never raised into the resident's request: the data is
saved, and each app's sweep task picks the work up later.
"""

from __future__ import annotations

import logging
import threading
import weakref
from typing import Any

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(name: str, *args: Any) -> None:
    """Send the task now (from a task or a command; services use ``enqueue_on_commit``).
    ``delay`` rather than ``send_task`` so that the embedded default runs it in-process."""
    if name not in current_app.tasks:
        # A web process imports no tasks module by itself: load every app's tasks.py
        # (Celery's autodiscovery, which a worker runs at start).
        current_app.loader.import_default_modules()
    current_app.tasks[name].delay(*args)


class _Pending:
    """One queued send, waiting for the commit."""

    def __init__(self, name: str, args: tuple[Any, ...]) -> None:
        self.name, self.args = name, args
        self.__qualname__ = f"enqueue_on_commit({name!r})"  # what Django logs, if it must

    def __call__(self) -> None:
        try:
            enqueue(self.name, *self.args)
        except Exception:  # the broker is down: the change is saved, the sweep catches up
            logger.exception("Could not queue task %s; its sweep will do the work later", self.name)


# Sends with a ``once`` key that wait for a commit, by key. Only weak references: Django
# drops its callbacks when the transaction (or the savepoint) rolls back, and then the
# entry disappears with them, so a later transaction queues the task again.
_waiting = threading.local()


def enqueue_on_commit(name: str, *args: Any, once: str = "") -> None:
    """Send task ``name`` with ``args`` after the current transaction commits (at once
    outside a transaction). With ``once``, a transaction sends it one time however often
    it is asked (a CSV import of 2,000 rows queues one refresh, not 2,000)."""
    pending = _Pending(name, args)
    if once:
        waiting: weakref.WeakValueDictionary[str, _Pending] | None = getattr(
            _waiting, "by_key", None
        )
        if waiting is None:
            waiting = _waiting.by_key = weakref.WeakValueDictionary()
        connection = transaction.get_connection()
        earlier = waiting.get(once)
        # Still waiting for this commit (something else may keep an old one alive, say a
        # traceback: only a callback Django still holds counts).
        if connection.in_atomic_block and any(
            func is earlier for _sids, func, _robust in connection.run_on_commit
        ):
            return
        waiting[once] = pending
    transaction.on_commit(pending)  # _Pending logs its own failure: nothing to make robust
