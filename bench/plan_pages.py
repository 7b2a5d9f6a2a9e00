"""Plan scenario: the public progress page and the JSON export of a full-size plan.

120 initiatives and 60 KPIs with 5 fiscal years of targets and actuals, compared with
the resident home page in the same run. Reports p50/p95 server time and SQL queries per
request; the query count must be the same for the small demo plan and the large one.
"""

from __future__ import annotations

from collections.abc import Callable

from page_timing import measure_page

YEARS = range(2022, 2027)


def _plan_yaml() -> str:
    lines = [
        "format: machi-plan/1",
        'municipality: "242101"',
        "plan:",
        "  code: bench-plan",
        "  name: ベンチマーク用計画",
        "  first_fiscal_year: 2022",
        "  last_fiscal_year: 2026",
        "  principle: ベンチマーク",
        "policies:",
    ]
    for policy in range(1, 4):
        lines += [f"  - number: {policy}", f"    title: 基本方針{policy}", "    measures:"]
        for measure in range(1, 9):
            lines += [f"      - number: {measure}", f"        title: 施策{policy}-{measure}"]
    lines.append("initiatives:")
    keys = [f"{p}-{m}" for p in range(1, 4) for m in range(1, 9)]
    for n in range(120):
        key = keys[n % 24]
        lines += [
            f'  - code: "I{n:03d}"',
            f'    measure: "{key}"',
            f"    title: 事業{n}",
            '    department: "120"',
            "    status: in_progress",
            "    schedule: {2022: 準備, 2023: 実施, 2024: 実施, 2025: 拡大, 2026: 評価}",
        ]
    lines.append("kpis:")
    for n in range(60):
        key = keys[n % 24]
        targets = ", ".join(f"{y}: {20 + (y - 2022) * 15}" for y in YEARS)
        lines += [
            f"  - code: K{n:03d}",
            f'    measure: "{key}"',
            f'    initiative: "I{n:03d}"' if n < 24 else f'    initiative: "I{n % 24:03d}"',
            f"    name: 指標{n}",
            '    unit: "%"',
            "    baseline: {fiscal_year: 2021, value: 10}",
            f"    targets: {{{targets}}}",
            "    actuals:",
        ]
        lines += [f"      - {{fiscal_year: {y}, value: {18 + (y - 2022) * 14}}}" for y in YEARS]
    return "\n".join(lines) + "\n"


def bench_plan_pages(report: Callable[[str, float, float, int], None]) -> dict[str, float]:
    from django.test import Client

    from machi.plan.plan_file import parse_plan_file
    from machi.plan.services.importing import plan_import

    plan_import(actor=None, plan_file=parse_plan_file(_plan_yaml()), source_label="bench")
    client = Client(HTTP_HOST="localhost")
    home = measure_page(client, "/", 100)
    small = measure_page(client, "/plan/kameyama-dx/", 30)
    page = measure_page(client, "/plan/bench-plan/", 30)
    export = measure_page(client, "/plan/bench-plan/export.json", 30)
    report("baseline: GET / (resident home)", *home)
    report("GET /plan/kameyama-dx/ (demo: 40 initiatives, 24 KPIs)", *small)
    report("GET /plan/bench-plan/ (120 initiatives, 60 KPIs)", *page)
    report("GET /plan/bench-plan/export.json", *export)
    return {
        "home_p50_ms": home[0],
        "progress_p50_ms": page[0],
        "progress_p95_ms": page[1],
        "progress_queries": page[2],
        "demo_progress_queries": small[2],
        "export_json_p50_ms": export[0],
        "export_json_p95_ms": export[1],
        "export_json_queries": export[2],
        "ratio": page[0] / home[0],
    }
