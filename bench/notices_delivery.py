"""Notices scenario: one notice fanned out to 100,000 e-mail subscribers by one worker.

A real SMTP server on loopback (aiosmtpd, counting what it receives) takes the mails.
The worker is a separate process that does what the Celery task does (the fan-out, then
dispatch batches until nothing is due) and reports its own peak memory; the baseline is
another process that sends the same number of mails over one connection with a plain
``smtplib`` loop. ``MACHI_BENCH_SUBSCRIBERS`` sets a smaller count for a quick run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
COUNT = int(os.environ.get("MACHI_BENCH_SUBSCRIBERS", "100000"))

# The process's own high-water mark (ru_maxrss would carry the parent's over exec).
PEAK = """
def _peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
"""

WORKER = (
    PEAK
    + """
import json, os, sys, time
import django
django.setup()
from django.db import connection
from machi.notices.models import Message, MessageStatus, Notice
from machi.notices.services import fanout, messages
notice = Notice.objects.get(pk=sys.argv[1])
start = time.perf_counter()
fanout.notice_fan_out(notice=notice)
while messages.messages_send_due(budget_seconds=3600).delivered:
    pass
elapsed = time.perf_counter() - start
delivered = Message.objects.filter(notice=notice, status=MessageStatus.DELIVERED).count()
peak = _peak_mb()
print(json.dumps({"seconds": elapsed, "delivered": delivered, "peak_mb": peak}))
"""
)

BASELINE = (
    PEAK
    + """
import json, smtplib, sys, time
from email.message import EmailMessage
port, count = int(sys.argv[1]), int(sys.argv[2])
start = time.perf_counter()
with smtplib.SMTP("127.0.0.1", port) as smtp:
    for n in range(count):
        mail = EmailMessage()
        mail["Subject"] = "[亀山市] 【重要】避難所を開設しました"
        mail["From"] = "noreply@machi.localhost"
        mail["To"] = f"r{n:06d}@example.jp"
        mail.set_content("避難所を開設しました。\\n\\nhttp://127.0.0.1/notices/\\n")
        smtp.send_message(mail)
elapsed = time.perf_counter() - start
peak = _peak_mb()
print(json.dumps({"seconds": elapsed, "delivered": count, "peak_mb": peak}))
"""
)


class _Counter:
    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received += 1
        return "250 OK"


def _subscribers(city: Any) -> None:
    from django.db import transaction
    from django.utils import timezone

    from machi.notices.models import Channel, Subscription

    now = timezone.now()
    with transaction.atomic():
        Subscription.objects.bulk_create(
            (
                Subscription(
                    municipality=city,
                    channel=Channel.EMAIL,
                    address=f"r{n:06d}@example.jp",
                    portal_url="http://127.0.0.1/",
                    confirmed_at=now,
                )
                for n in range(COUNT)
            ),
            batch_size=5000,
        )


def _notice(city: Any) -> Any:
    """Approved through the services for the next hour, then moved to now: the fan-out is
    the worker's, not this process's."""
    from django.utils import timezone

    from machi.core.models import Department
    from machi.notices.models import Notice, NoticeCategory
    from machi.notices.services.notices import notice_approve, notice_create, notice_submit

    later = timezone.now() + dt.timedelta(hours=1)
    notice = notice_create(
        actor=None,
        municipality=city,
        category=NoticeCategory.objects.get(municipality=city, code="bosai"),
        department=Department.objects.get(municipality=city, code="400"),
        title="避難所を開設しました",
        body="避難所を開設しました。",
        publish_at=later,
    )
    notice_submit(actor=None, municipality=city, notice=notice)
    notice_approve(actor=None, municipality=city, notice=notice)
    Notice.objects.filter(pk=notice.pk).update(published_at=timezone.now(), publish_at=None)
    return notice


def _run(script: str, *args: str, env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def bench_notices_delivery(say: Callable[[str], None]) -> dict[str, float]:
    from aiosmtpd.controller import Controller

    from machi.core.models import Municipality
    from machi.testing.network import free_port

    city = Municipality.objects.get(code="242101")
    _subscribers(city)
    notice = _notice(city)
    counter = _Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "EMAIL_URL": f"smtp://127.0.0.1:{controller.port}",
            "CELERY_TASK_ALWAYS_EAGER": "true",
            # As a production worker runs: with DEBUG on, Django keeps the last 9,000 SQL
            # statements (bulk inserts of 2,000 rows among them) in memory.
            "DJANGO_DEBUG": "false",
        }
        baseline = _run(BASELINE, str(controller.port), str(COUNT), env=env)
        received_before = counter.received
        worker = _run(WORKER, str(notice.pk), env=env)
        received = counter.received - received_before
    finally:
        controller.stop()
    rate = worker["delivered"] / worker["seconds"]
    baseline_rate = baseline["delivered"] / baseline["seconds"]
    say(
        f"plain smtplib loop, one process      {baseline_rate:8.0f} mails/s  "
        f"peak {baseline['peak_mb']:6.0f} MB"
    )
    say(
        f"fan-out + dispatch, one worker       {rate:8.0f} mails/s  "
        f"peak {worker['peak_mb']:6.0f} MB  ({worker['delivered']:.0f} delivered, "
        f"{received} received by the SMTP server)"
    )
    return {
        "subscribers": COUNT,
        "mails_per_s": rate,
        "baseline_mails_per_s": baseline_rate,
        "worker_peak_mb": worker["peak_mb"],
        "baseline_peak_mb": baseline["peak_mb"],
        "received": received,
        "ratio": rate / baseline_rate,
    }
