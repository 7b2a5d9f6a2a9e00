"""gunicorn with several workers and a Celery worker on Redis, started as real processes
against the test database, for the integration tests of the production path.

``SERVICES_PRESENT`` marks a test module that needs them (PostgreSQL and Redis, as in CI).
Extra environment for both processes comes from the ``process_env`` fixture.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from django.db import connection

from machi.testing.network import free_port

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent

SERVICES_PRESENT = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL)"),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def process_env() -> dict[str, str]:
    """Add variables here (before the processes start) to pass them to both."""
    return {}


def _service_env(queue: str, extra: dict[str, str]) -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        CELERY_TASK_ALWAYS_EAGER="false",
        CELERY_TASK_DEFAULT_QUEUE=queue,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    env.update(extra)  # a test may point any of them elsewhere (an outage)
    return env


@pytest.fixture
def queue() -> str:
    return f"machi-test-{uuid.uuid4().hex[:8]}"


def start_celery_worker(queue: str, extra: dict[str, str]) -> subprocess.Popen[bytes]:
    """A Celery worker process on ``queue`` (for tests that stop one and start another)."""
    return subprocess.Popen(
        [
            str(BIN / "celery"),
            "-A",
            "machi.config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=_service_env(queue, extra),
    )


@pytest.fixture
def celery_worker(queue: str, process_env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    worker = start_celery_worker(queue, process_env)
    yield worker
    worker.terminate()
    worker.wait(timeout=30)


@pytest.fixture
def tasks_to_the_worker(queue: str) -> Iterator[None]:
    """Tasks this test process queues go through the broker to the worker's queue, as
    a web process's do in production (not run in-process)."""
    from machi.config.celery import app

    before = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    yield
    app.conf.task_always_eager, app.conf.task_default_queue = before


@pytest.fixture
def gunicorn(queue: str, process_env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "machi.config.wsgi",
            "-w",
            "3",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=_service_env(queue, process_env),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.3)
    yield base
    server.terminate()
    server.wait(timeout=30)
