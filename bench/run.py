"""machi benchmarks: each prints its figure and the ratio to a baseline run alongside.

Runs on the embedded default (a fresh SQLite file under var/) unless DATABASE_URL is set.
Results are also written to bench/results/latest.json. Names on the command line
(``bench/run.py casework_pages``) run only those benchmarks.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def _setup_django() -> None:
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp(prefix="machi-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "machi.config.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)


def _rate(label: str, work: Callable[[], None], repeat: int) -> float:
    work()  # warm up caches, templates and connections
    start = time.perf_counter()
    for _ in range(repeat):
        work()
    elapsed = time.perf_counter() - start
    per_second = repeat / elapsed
    print(f"  {label:<46} {per_second:>10.0f} /s")
    return per_second


def _versus(
    baseline_label: str,
    baseline: Callable[[], None],
    label: str,
    work: Callable[[], None],
    repeat: int,
) -> dict[str, float]:
    """Time ``work`` and its ``baseline`` the same number of times in the same run."""
    baseline_rate = _rate(baseline_label, baseline, repeat)
    rate = _rate(label, work, repeat)
    return {"per_s": rate, "baseline_per_s": baseline_rate, "ratio": rate / baseline_rate}


def bench_audit_append() -> dict[str, float]:
    """Appending to the hash chain vs. inserting an unchained row of similar size."""
    from django.db import transaction

    from machi.core.audit_actions import AuditAction
    from machi.core.models import Municipality, MunicipalityDomain
    from machi.core.services.audit import audit_record

    city = Municipality.objects.get(code="242101")
    counter = iter(range(10**9))

    def chained() -> None:
        audit_record(
            action=AuditAction.RESIDENT_VIEWED, municipality=city, data={"n": 1, "名前": "亀山"}
        )

    def plain() -> None:
        with transaction.atomic():
            MunicipalityDomain.objects.create(municipality=city, host=f"h{next(counter)}.bench")

    return _versus(
        "baseline: plain row insert", plain, "audit_record (lock + SHA-256 chain)", chained, 500
    )


def bench_audit_verify() -> dict[str, float]:
    from machi.core.models import AuditEntry
    from machi.core.services.audit import audit_chain_verify

    entries = AuditEntry.objects.count()
    start = time.perf_counter()
    report = audit_chain_verify()
    elapsed = time.perf_counter() - start
    assert report.ok, report
    start = time.perf_counter()
    rows = sum(1 for _ in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000))
    baseline = time.perf_counter() - start
    print(f"  {'audit_verify':<46} {entries / elapsed:>10.0f} entries/s")
    print(f"  {'baseline: read the same rows':<46} {rows / baseline:>10.0f} entries/s")
    return {
        "verify_entries_per_s": entries / elapsed,
        "baseline_read_per_s": rows / baseline,
        "ratio": baseline / elapsed,
    }


def bench_home_page() -> dict[str, float]:
    """The resident home page (tenant lookup, templates, i18n) vs. the bare /healthz."""
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    return _versus(
        "baseline: GET /healthz",
        lambda: client.get("/healthz"),
        "GET / (resident home)",
        lambda: client.get("/"),
        300,
    )


def bench_wareki() -> dict[str, float]:
    """和暦/西暦 parsing vs. the standard library's ISO parser."""
    from datetime import date

    from machi.core.japanese.wareki import parse_date

    samples = ["令和6年4月1日", "R6.4.1", "平成31年4月30日", "2024-04-01", "２０２４年４月１日"]
    iso = ["2024-04-01", "2019-04-30", "1989-01-08", "2024-04-01", "2024-04-01"]

    def ours() -> None:
        for text in samples:
            parse_date(text)

    def stdlib() -> None:
        for text in iso:
            date.fromisoformat(text)

    return _versus(
        "baseline: date.fromisoformat ×5", stdlib, "parse_date (和暦 and 西暦) ×5", ours, 20000
    )


def bench_plan() -> dict[str, float]:
    """Public progress page and JSON export of a full-size plan vs. the home page."""
    from plan_pages import bench_plan_pages

    def report(label: str, p50: float, p95: float, queries: int) -> None:
        print(f"  {label:<56} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {queries:3d} queries")

    return bench_plan_pages(report)


def bench_notices() -> dict[str, float]:
    """The public notice list (filters, search, a deep page) with 10,000 notices vs. home."""
    from notices_pages import bench_notices_pages

    def report(label: str, p50: float, p95: float, queries: int) -> None:
        print(f"  {label:<46} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {queries:3d} queries")

    return bench_notices_pages(report)


def bench_notices_fan_out() -> dict[str, float]:
    """One notice to 100,000 e-mail subscribers through one worker vs. a plain smtplib loop."""
    from notices_delivery import bench_notices_delivery as run

    return run(lambda line: print(f"  {line}"))


def bench_procedures() -> dict[str, float]:
    """50 signed-in residents submitting a 3-step form to gunicorn on PostgreSQL vs /healthz."""
    from procedures_load import bench_procedures_load

    return bench_procedures_load()


def bench_casework() -> dict[str, float]:
    """Case list with filters and statistics with 100,000 cases vs. the home page."""
    from casework_pages import bench_casework_pages

    def report(label: str, p50: float, p95: float, queries: int) -> None:
        print(f"  {label:<46} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {queries:3d} queries")

    return bench_casework_pages(report)


def bench_faq() -> dict[str, float]:
    """FAQ engine quality on the labelled test set, and speed at 2,000 entries vs rank_bm25."""
    from faq_search import bench_faq_search

    return bench_faq_search(lambda line: print(f"  {line}"))


def bench_opendata() -> dict[str, float]:
    """Validating a 200,000-row CSV: machi's polars validator vs frictionless-py, same rules."""
    from opendata_validate import bench_opendata_validate

    return bench_opendata_validate(lambda line: print(f"  {line}"))


def bench_opendata_search() -> dict[str, float]:
    """CKAN package_search (Japanese keyword, two facets) over 5,000 datasets vs naive LIKE."""
    from opendata_search import bench_opendata_search as run

    return run(lambda line: print(f"  {line}"))


def bench_opendata_datastore() -> dict[str, float]:
    """datastore_search (filter, limit 100) on 1,000,000 rows vs a full read per request."""
    from opendata_datastore import bench_opendata_datastore as run

    return run(lambda line: print(f"  {line}"))


def bench_request_latency() -> dict[str, float]:
    """First and warm PDF copy, 粗大ごみ submit and staff login, each vs. a plain request."""
    from request_latency import bench_request_latency as run

    return run(lambda line: print(f"  {line}"))


def main() -> None:
    only = set(sys.argv[1:])
    _setup_django()
    results: dict[str, dict[str, float]] = {}
    for name, bench in [
        ("audit_append", bench_audit_append),
        ("audit_verify", bench_audit_verify),
        ("home_page", bench_home_page),
        ("wareki_parse", bench_wareki),
        ("plan_pages", bench_plan),
        ("notices_pages", bench_notices),
        ("notices_fan_out", bench_notices_fan_out),
        ("procedures_load", bench_procedures),
        ("casework_pages", bench_casework),
        ("request_latency", bench_request_latency),
        ("faq_search", bench_faq),
        ("opendata_search", bench_opendata_search),
        ("opendata_datastore", bench_opendata_datastore),
        ("opendata_validate", bench_opendata),
    ]:
        if only and name not in only:
            continue
        print(f"{name}:")
        results[name] = bench()
        print(f"  ratio to baseline: {results[name]['ratio']:.2f}")
    if plan := results.get("plan_pages"):
        print(
            "plan_pages: SQL queries per request "
            f"{plan['demo_progress_queries']:.0f} (demo plan) vs {plan['progress_queries']:.0f} "
            "(full-size plan): the count does not grow with measures or KPIs"
        )
    if notices := results.get("notices_pages"):
        print(
            "notices_pages: SQL queries per request "
            f"{notices['demo_list_queries']:.0f} (33 notices) vs {notices['list_queries']:.0f} "
            "(10,000 notices)"
        )
    out = ROOT / "bench" / "results" / "latest.json"
    if only and out.exists():  # a partial run updates its own entries only
        results = {**json.loads(out.read_text(encoding="utf-8")), **results}
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
