"""The production path: gunicorn with several workers and a Celery worker on Redis,
all against the same PostgreSQL database. Runs where CI provides both services."""

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
from django.conf import settings as django_settings
from django.db import connection

from machi.core.models import Municipality
from machi.core.services.audit import audit_record
from machi.testing.network import free_port

ROOT = Path(__file__).resolve().parents[4]
BIN = Path(sys.executable).parent

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL)"),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def _service_env(queue: str) -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        CELERY_TASK_ALWAYS_EAGER="false",
        CELERY_TASK_DEFAULT_QUEUE=queue,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    return env


@pytest.fixture
def queue() -> str:
    return f"machi-test-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def celery_worker(queue: str) -> Iterator[subprocess.Popen[bytes]]:
    worker = subprocess.Popen(
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
        env=_service_env(queue),
    )
    yield worker
    worker.terminate()
    worker.wait(timeout=30)


@pytest.fixture
def gunicorn(queue: str) -> Iterator[str]:
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
        env=_service_env(queue),
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


def test_web_workers_and_celery_worker_share_database_and_redis(
    city: Municipality, celery_worker: subprocess.Popen[bytes], gunicorn: str, queue: str
) -> None:
    for n in range(3):
        audit_record(action="test.event", municipality=city, data={"n": n})

    ready = requests.get(f"{gunicorn}/readyz", timeout=10)
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "cache": "ok"}
    pages = [requests.get(f"{gunicorn}/", timeout=10) for _ in range(6)]
    assert all(page.status_code == 200 and "亀山市" in page.text for page in pages)

    from machi.config.celery import app

    assert django_settings.CELERY_BROKER_URL.startswith("redis://")
    app.conf.task_always_eager = False  # this process sends, like a production web worker
    try:
        outcome = app.send_task("core.audit_chain_verify", queue=queue).get(timeout=60)
    finally:
        app.conf.task_always_eager = django_settings.CELERY_TASK_ALWAYS_EAGER
    assert outcome["ok"] is True
    assert outcome["checked"] >= 3
