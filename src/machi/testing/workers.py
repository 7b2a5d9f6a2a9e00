"""Give each pytest-xdist worker Redis of its own, before Django reads its settings.

pytest-django names a test database per worker (``test_machi_gw0``…) by itself; Redis is
shared, and the tests empty the cache before each test (``cache.clear()`` is FLUSHDB), so two
workers on one Redis database would wipe each other's cache and the Celery queues of the
processes they start. Loaded with ``-p`` (pyproject's addopts), so it runs before
pytest-django sets Django up; the gunicorn and Celery processes the tests start inherit it.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit


def _worker_index() -> int | None:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1"… only in workers
    return int(worker[2:]) if worker.startswith("gw") else None


def _shifted(url: str, by: int) -> str:
    """The same Redis URL on database ``n + by`` (``/1`` → ``/2`` for the second worker)."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{base + by}"))


def isolate_worker(environ: os._Environ[str] | dict[str, str]) -> None:
    index = _worker_index()
    if index is None:
        return
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        if environ.get(name, "").startswith("redis"):
            environ[name] = _shifted(environ[name], index)
    environ["MACHI_CACHE_PREFIX"] = f"{environ.get('MACHI_CACHE_PREFIX', 'machi')}-gw{index}"


isolate_worker(os.environ)
