"""The production path: gunicorn with several workers and a Celery worker on Redis,
all against the same PostgreSQL database. Runs where CI provides both services."""

from __future__ import annotations

import subprocess

import requests
from django.conf import settings as django_settings

from machi.core.audit_actions import AuditAction
from machi.core.models import Municipality
from machi.core.services.audit import audit_record
from machi.testing.processes import SERVICES_PRESENT

pytestmark = SERVICES_PRESENT


def test_web_workers_and_celery_worker_share_database_and_redis(
    city: Municipality, celery_worker: subprocess.Popen[bytes], gunicorn: str, queue: str
) -> None:
    for n in range(3):
        audit_record(action=AuditAction.RESIDENT_VIEWED, municipality=city, data={"n": n})

    ready = requests.get(f"{gunicorn}/readyz", timeout=10)
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "cache": "ok"}
    pages = [requests.get(f"{gunicorn}/", timeout=10) for _ in range(6)]
    assert all(page.status_code == 200 and "亀山市" in page.text for page in pages)

    from machi.config.celery import app

    assert django_settings.CELERY_BROKER_URL.startswith("redis://")
    app.conf.task_always_eager = False  # this process sends, like a production web worker
    try:
        # Tasks keep no results in production; this one is asked for its answer.
        outcome = app.send_task("core.audit_chain_verify", queue=queue, ignore_result=False).get(
            timeout=60
        )
    finally:
        app.conf.task_always_eager = django_settings.CELERY_TASK_ALWAYS_EAGER
    assert outcome["ok"] is True
    assert outcome["checked"] >= 3
