"""Casework scenario: the back office's case list and statistics with 100,000 cases.

20 procedures in 5 departments (4 each), 100,000 applications received over the last 12
months with a realistic mix of statuses and channels. Measured in-process on the bench
database (SQLite unless DATABASE_URL is set), with the resident home page as the baseline
in the same run, after ANALYZE (as PostgreSQL's autovacuum would do):

- a clerk of one department (20,000 cases): the list unfiltered, with each filter, a deep
  page, and the statistics page;
- a platform administrator (all 100,000 cases): the list and the statistics page.

Each page is measured first with 200 cases, then with 100,000: the SQL query
count per request must be the same (nothing is fetched per case shown).

Run alone: ``.venv/bin/python bench/run.py casework_pages``.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from typing import Any

from page_timing import measure_page

CASES = 100_000
DEPARTMENTS = 5
PROCEDURES_PER_DEPARTMENT = 4
# Measured first with this many cases (some in every filter), then with CASES.
FIRST = 200
BATCH = 5_000
# (status, weight): most applications of the past year are decided.
STATUSES = [
    ("received", 8),
    ("under_review", 14),
    ("correction_requested", 4),
    ("completed", 60),
    ("rejected", 9),
    ("withdrawn", 5),
]
CHANNELS = [("online", 65), ("counter", 30), ("api", 5)]
FINISHED = {"completed", "rejected", "withdrawn"}

Report = Callable[[str, float, float, int], None]


def _setup() -> dict[str, Any]:
    """Bench departments, procedures and two signed-in members of staff."""
    from machi.core.models import Municipality, Role
    from machi.core.services.tenancy import department_upsert
    from machi.procedures.models import Category, FormDefinition, Procedure
    from machi.testing.fixtures import make_staff

    city = Municipality.objects.get(code="242101")
    parent = department_upsert(municipality=city, code="900", name="ベンチマーク部")
    departments = [
        department_upsert(municipality=city, code=f"9{n}0", name=f"ベンチ第{n}課", parent=parent)
        for n in range(1, DEPARTMENTS + 1)
    ]
    template = Procedure.objects.filter(municipality=city, current_form__isnull=False).first()
    assert template is not None and template.current_form is not None
    category = Category.objects.filter(municipality=city).first()
    procedures = []
    for index in range(DEPARTMENTS * PROCEDURES_PER_DEPARTMENT):
        procedure = Procedure.objects.create(
            municipality=city,
            code=f"bench-{index + 1:02d}",
            category=category,
            department=departments[index // PROCEDURES_PER_DEPARTMENT],
            title=f"ベンチマーク手続{index + 1}",
            summary="ベンチマーク用の手続です。",
            processing_days=10,
            is_published=False,
            order=900 + index,
        )
        procedure.current_form = FormDefinition.objects.create(
            municipality=city,
            procedure=procedure,
            version=1,
            definition=template.current_form.definition,
        )
        procedure.save(update_fields=["current_form"])
        procedures.append(procedure)
    clerk = make_staff(city, "bench.clerk@kameyama.demo", department=departments[0])
    admin = make_staff(city, "bench.admin@kameyama.demo", role=Role.PLATFORM_ADMIN)
    return {"city": city, "procedures": procedures, "clerk": clerk, "admin": admin}


def _load(world: dict[str, Any], count: int, seed: int) -> None:
    """``count`` applications with their cases, in batches."""
    from django.db import transaction
    from django.utils import timezone

    from machi.casework.models import Case
    from machi.core.reference import new_reference
    from machi.procedures.models import Submission

    rng = random.Random(seed)
    city, procedures, clerk = world["city"], world["procedures"], world["clerk"]
    now = timezone.now()
    statuses = [s for s, _w in STATUSES]
    status_weights = [w for _s, w in STATUSES]
    channels = [c for c, _w in CHANNELS]
    channel_weights = [w for _c, w in CHANNELS]
    seen: set[str] = set(world.setdefault("references", set()))
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        submissions, cases = [], []
        for n in range(done, done + size):
            procedure = procedures[rng.randrange(len(procedures))]
            received = now - dt.timedelta(seconds=rng.randrange(364 * 86400))
            status = rng.choices(statuses, status_weights)[0]
            changed = (
                received + dt.timedelta(hours=rng.randrange(1, 40 * 24))
                if status in FINISHED
                else received
            )
            reference = new_reference()
            while reference in seen:
                reference = new_reference()
            seen.add(reference)
            submission = Submission(
                municipality=city,
                procedure=procedure,
                form_id=procedure.current_form_id,
                department_id=procedure.department_id,
                reference=reference,
                identity_level="signed_in",
                answers={"name": f"亀山 太郎{n}", "message": "ベンチマークの申請です。"},
                channel=rng.choices(channels, channel_weights)[0],
                idempotency_key=f"bench:{seed}:{n}",
                status=status,
                submitted_at=received,
                status_changed_at=changed,
                processing_hours=round((changed - received).total_seconds() / 3600)
                if status in FINISHED
                else None,
            )
            submissions.append(submission)
            cases.append(
                Case(
                    municipality=city,
                    submission=submission,
                    procedure=procedure,
                    department_id=procedure.department_id,
                    received_at=received,
                    due_on=(received + dt.timedelta(days=14)).date(),
                    assignee=clerk if rng.random() < 0.2 else None,
                )
            )
        with transaction.atomic():
            Submission.objects.bulk_create(submissions, batch_size=1000)
            Case.objects.bulk_create(cases, batch_size=1000)
        done += size
    world["references"] = seen


def _pages(world: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, who, path) of every page measured."""
    from django.utils import timezone

    today = timezone.localdate()
    start = (today - dt.timedelta(days=90)).isoformat()
    return [
        ("clerk: GET /staff/cases/", "clerk", "/staff/cases/"),
        ("clerk: ?status=under_review", "clerk", "/staff/cases/?status=under_review"),
        ("clerk: ?procedure=bench-02", "clerk", "/staff/cases/?procedure=bench-02"),
        ("clerk: ?mine=1 (assigned to me)", "clerk", "/staff/cases/?mine=1"),
        ("clerk: ?overdue=1", "clerk", "/staff/cases/?overdue=1"),
        ("clerk: received in the last 90 days", "clerk", f"/staff/cases/?from={start}"),
        ("clerk: page 300 of the list", "clerk", "/staff/cases/?page=300"),
        ("clerk: GET /staff/cases/statistics/", "clerk", "/staff/cases/statistics/"),
        ("admin: GET /staff/cases/ (all departments)", "admin", "/staff/cases/"),
        ("admin: GET /staff/cases/statistics/", "admin", "/staff/cases/statistics/"),
    ]


def bench_casework_pages(report: Report, repeat: int = 30) -> dict[str, float]:
    from django.db import connection
    from django.test import Client

    world = _setup()
    clients = {"clerk": Client(HTTP_HOST="localhost"), "admin": Client(HTTP_HOST="localhost")}
    clients["clerk"].force_login(world["clerk"])
    clients["admin"].force_login(world["admin"])
    _load(world, FIRST, seed=1)
    small = {label: measure_page(clients[who], path, 3)[2] for label, who, path in _pages(world)}
    start = time.perf_counter()
    _load(world, CASES - FIRST, seed=2)
    load_seconds = time.perf_counter() - start
    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would gather
        cursor.execute("ANALYZE")
    print(f"  loaded {CASES:,} cases in {load_seconds:.0f} s")
    home = measure_page(Client(HTTP_HOST="localhost"), "/", 100)
    report("baseline: GET / (resident home)", *home)
    results: dict[str, float] = {"home_p50_ms": home[0], "home_p95_ms": home[1]}
    growing = []
    for label, who, path in _pages(world):
        p50, p95, queries = measure_page(clients[who], path, repeat)
        report(f"{label}", p50, p95, queries)
        if queries != small[label]:
            growing.append(f"{label}: {small[label]} → {queries}")
        key = label.split(":")[0] + ":" + path
        results[f"{key} p50_ms"] = p50
        results[f"{key} p95_ms"] = p95
        results[f"{key} queries"] = queries
    assert not growing, f"SQL queries per request grew with the cases: {growing}"
    list_p50 = results["clerk:/staff/cases/ p50_ms"]
    results["ratio"] = list_p50 / home[0]
    return results
