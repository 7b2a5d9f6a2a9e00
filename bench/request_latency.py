"""The requests people reported as slow: a PDF copy, a 粗大ごみ submit and a staff login.

Measured in-process with Django's test client on the bench database (SQLite unless
DATABASE_URL is set), with tasks run in the request as in ``make demo``; mail goes to
Django's in-memory outbox instead of the console.

- First requests: a fresh Python process starts the web application as a server does
  (imports ``machi.config.wsgi``), a resident fills in the 粗大ごみ form, and the submit,
  then the first PDF copy of that application, then a first staff sign-in are timed.
- Warm requests (p50 and p95), each next to a baseline timed the same number of times in
  the same run: the PDF copy vs. the application's status page; the submit vs. the POST
  of the form's last step; a staff sign-in (password, then the TOTP code, each member of
  staff once because a TOTP code is accepted only once) vs. GET of the sign-in page.

Each line also gives the CPU time of this process (all its threads) per request, which other
programs on the machine do not inflate, and the run starts with the load average.

Run alone: ``.venv/bin/python bench/run.py request_latency``.
"""

from __future__ import annotations

import functools
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REPEAT = 20
PROCEDURE = "sodai-gomi"
STEPS: list[tuple[str, dict[str, str]]] = [
    (
        "items",
        {"f-items-0-_item": "1", "f-items-0-item": "sofa-1", "f-items-0-count": "1"},
    ),
    ("collection", {"f-address": "三重県亀山市本丸町577", "f-preferred_date": "2099-01-05"}),
    (
        "applicant",
        {
            "f-name": "亀山 太郎",
            "f-name_kana": "カメヤマ タロウ",
            "f-phone": "0595-84-0000",
            "f-email": "resident@kameyama.demo",
        },
    ),
]

Report = Callable[[str], None]


@dataclass(frozen=True)
class Timing:
    wall_ms: float
    cpu_ms: float


def _check(response: Any, *codes: int) -> Any:
    assert response.status_code in codes, (response.status_code, response.content[:300])
    return response


def _timed(work: Callable[[], Any]) -> tuple[Timing, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return Timing((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000), result


def _label(text: str, width: int = 46) -> str:
    """``text`` padded to ``width`` columns, counting wide (Japanese) characters as two."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - columns, 0)


def _filled_draft(client: Any) -> str:
    """Start a 粗大ごみ application and answer every step but the last; its base address."""
    version = _form_version()
    client.get(f"/procedures/{PROCEDURE}/")
    step = _check(client.post(f"/procedures/{PROCEDURE}/start/"), 302)["Location"]
    base = step.split("/steps/")[0]
    for key, answers in STEPS[:-1]:
        _check(client.post(f"{base}/steps/{key}/", {"form_version": version, **answers}), 302)
    return base


def _last_step(client: Any, base: str) -> Any:
    key, answers = STEPS[-1]
    return _check(
        client.post(f"{base}/steps/{key}/", {"form_version": _form_version(), **answers}), 302
    )


def _submit(client: Any, base: str) -> str:
    """POST 確認 → 送信; the new application's id."""
    done = _check(client.post(f"{base}/check/", {"form_version": _form_version()}), 302)
    location = done["Location"]
    assert "/done/" in location, location
    return location.split("/applications/")[1].split("/")[0]


@functools.cache  # looked up once, not inside the timed requests
def _form_version() -> str:
    from machi.procedures.models import Procedure

    procedure = Procedure.objects.select_related("current_form").get(code=PROCEDURE)
    assert procedure.current_form is not None
    return str(procedure.current_form.version)


def _resident_client() -> Any:
    from django.test import Client

    from machi.core.demo import data
    from machi.core.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(email=data.RESIDENT[0]))
    return client


def _staff_login(email: str, secret: str) -> Timing:
    """Sign in with the password, then the authenticator code; the time of both POSTs."""
    from allauth.mfa.totp.internal.auth import hotp_value, yield_hotp_counters_from_time
    from django.test import Client

    from machi.core.demo import data

    client = Client(HTTP_HOST="localhost")
    client.get("/accounts/login/")
    password, response = _timed(
        lambda: client.post("/accounts/login/", {"login": email, "password": data.DEMO_PASSWORD})
    )
    _check(response, 302)
    code = f"{hotp_value(secret, next(iter(yield_hotp_counters_from_time()))):06d}"
    totp, response = _timed(lambda: client.post(response["Location"], {"code": code}))
    assert _check(response, 302)["Location"] == "/staff/", response["Location"]
    return Timing(password.wall_ms + totp.wall_ms, password.cpu_ms + totp.cpu_ms)


def _staff(count: int) -> list[tuple[str, str]]:
    """``count`` demo-style members of staff with TOTP: (e-mail, TOTP secret)."""
    from allauth.account.models import EmailAddress

    from machi.core.demo import data
    from machi.core.models import Department, Municipality, Role
    from machi.core.services.accounts import staff_create, staff_role_grant
    from machi.testing.fixtures import enrol_totp

    city = Municipality.objects.get(code="242101")
    department = Department.objects.get(municipality=city, code="620")
    people = []
    run = secrets.token_hex(3)  # the bench may run twice on one PostgreSQL database
    for n in range(count):
        user = staff_create(
            actor=None,
            municipality=city,
            email=f"bench.login{n}.{run}@kameyama.demo",
            full_name=f"ベンチ 職員{n}",
            password=data.DEMO_PASSWORD,
        )
        staff_role_grant(actor=None, user=user, role=Role.CLERK, department=department)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        people.append((user.email, enrol_totp(user)))
    return people


def first_requests() -> dict[str, float]:
    """In a fresh process (``--first``): start as a server does, then the first requests."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "machi.config.settings")
    timings: dict[str, Timing] = {}
    timings["start"], _app = _timed(lambda: __import__("machi.config.wsgi"))
    from django.test.utils import override_settings

    staff = json.loads(os.environ["MACHI_BENCH_STAFF"])
    with override_settings(
        MACHI_DELIVERY_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
    ):
        client = _resident_client()
        base = _filled_draft(client)
        _last_step(client, base)
        timings["submit"], submission_id = _timed(lambda: _submit(client, base))
        pdf_path = f"/applications/{submission_id}/pdf/"
        timings["pdf"], _response = _timed(lambda: _check(client.get(pdf_path), 200))
        timings["login"] = _staff_login(*staff)
    results = {}
    for key, timing in timings.items():
        results[f"{key}_ms"] = timing.wall_ms
        results[f"{key}_cpu_ms"] = timing.cpu_ms
    return results


def _first_in_fresh_process(staff: tuple[str, str]) -> dict[str, float]:
    env = {**os.environ, "MACHI_BENCH_STAFF": json.dumps(staff)}
    done = subprocess.run(
        [sys.executable, __file__, "--first"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _quantiles(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), statistics.quantiles(values, n=20)[18]


def bench_request_latency(report: Report, repeat: int = REPEAT) -> dict[str, float]:
    import logging

    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import override_settings

    logging.getLogger("celery").setLevel(logging.WARNING)
    load = " / ".join(f"{n:.1f}" for n in os.getloadavg())
    report(f"load average {load} (1 / 5 / 15 min) on {os.cpu_count()} cores")
    staff = _staff(repeat + 2)
    results: dict[str, float] = {}

    def line(key: str, label: str, timings: list[Timing]) -> float:
        p50, p95 = _quantiles([t.wall_ms for t in timings])
        cpu = statistics.median(t.cpu_ms for t in timings)
        report(f"{_label(label)} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  cpu {cpu:6.1f} ms")
        results.update({f"{key}_p50_ms": p50, f"{key}_p95_ms": p95, f"{key}_cpu_ms": cpu})
        return p50

    def ratio(key: str, value: float) -> None:
        report(f"{_label('  ratio to its baseline')} {value:9.2f}")
        results[f"{key}_ratio"] = value

    first = _first_in_fresh_process(staff.pop())
    for key, label in [
        ("start", "fresh process: start the web application"),
        ("submit", "first 粗大ごみ submit"),
        ("pdf", "first PDF copy of the application"),
        ("login", "first staff login (password + TOTP)"),
    ]:
        wall, cpu = first[f"{key}_ms"], first[f"{key}_cpu_ms"]
        report(f"{_label(label)} {wall:11.1f} ms {'':16} cpu {cpu:6.1f} ms")
    results.update({f"first_{key}": value for key, value in first.items()})

    with override_settings(
        MACHI_DELIVERY_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
    ):
        client = _resident_client()
        # Warm-up: one of each before timing.
        base = _filled_draft(client)
        _last_step(client, base)
        submission_id = _submit(client, base)
        pdf_path = f"/applications/{submission_id}/pdf/"
        status_path = f"/applications/{submission_id}/"
        _check(client.get(pdf_path), 200)
        _check(client.get(status_path), 200)
        _staff_login(*staff.pop())

        status_times, pdf_times = [], []
        for _ in range(repeat):
            status_times.append(_timed(lambda: _check(client.get(status_path), 200))[0])
            pdf_times.append(_timed(lambda: _check(client.get(pdf_path), 200))[0])
        status = line("status_page", "baseline: the application's status page", status_times)
        pdf = line("pdf", "PDF copy of the application", pdf_times)
        ratio("pdf", pdf / status)

        step_times, submit_times = [], []
        for _ in range(repeat):
            base = _filled_draft(client)
            step_times.append(_timed(lambda base=base: _last_step(client, base))[0])
            submit_times.append(_timed(lambda base=base: _submit(client, base))[0])
        step = line("last_step", "baseline: POST the form's last step", step_times)
        submit = line("submit", "粗大ごみ submit (check → done)", submit_times)
        ratio("submit", submit / step)

        page_times, login_times = [], []
        anonymous = Client(HTTP_HOST="localhost")
        for email, secret in staff:
            cache.clear()  # allauth's sign-in rate limits count every attempt from one address
            page_times.append(_timed(lambda: _check(anonymous.get("/accounts/login/"), 200))[0])
            login_times.append(_staff_login(email, secret))
        page = line("login_page", "baseline: GET /accounts/login/", page_times)
        login = line("login", "staff login (password + TOTP)", login_times)
        ratio("login", login / page)

    # The headline: the slowest of the three relative to its own baseline.
    results["ratio"] = max(results["pdf_ratio"], results["submit_ratio"], results["login_ratio"])
    return results


if __name__ == "__main__" and sys.argv[1:] == ["--first"]:
    sys.path.insert(0, str(ROOT / "src"))
    print(json.dumps(first_requests()))
