"""Work queued after the current transaction commits, once per transaction and key."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction


def on_commit_once(key: str, func: Callable[[], None]) -> None:
    """Run ``func`` after commit unless a callback with the same ``key`` already waits for
    this transaction's commit (a CSV import of 2,000 rows queues one task, not 2,000). A
    rollback drops it together with the change; a failure (a broker that is down) is
    logged, never raised into the request. Outside a transaction it runs at once."""
    connection = transaction.get_connection()
    # Django keeps (savepoints, callback, robust) tuples until the commit.
    if connection.in_atomic_block and any(
        getattr(waiting, "once_key", None) == key for *_s, waiting, _r in connection.run_on_commit
    ):
        return
    func.once_key = key  # type: ignore[attr-defined]
    transaction.on_commit(func, robust=True)
