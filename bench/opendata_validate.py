"""Open data validation scenario: machi's polars validator against frictionless-py.

1. A synthetic 公共施設-like CSV: 200,000 rows × 13 columns, seeded, with about 0.5% of
   the rows broken in one way each — a bad date, a latitude or longitude outside Japan, a
   required value missing, a bad integer, or an ID already used.
2. machi (``validate_bytes`` with a schema of those 13 columns) and frictionless-py
   (``Resource.validate`` with the same schema as a plain Table Schema: the same types,
   required, unique and minimum/maximum constraints) check the same file in the same run.
3. Both times, their ratio (target: machi at least 30× faster) and the problems per rule
   from both; the sets of (row, column, rule) must be identical. machi is also timed on
   the same table saved as CP932, as Excel users send it.

Run alone: ``.venv/bin/python bench/run.py opendata_validate``.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROWS = 200_000
SEED = 20240401
BAD_SHARE = 0.005
MACHI_REPEAT = 5
TARGET_RATIO = 30.0

HEADER = [
    "全国地方公共団体コード",
    "ID",
    "地方公共団体名",
    "名称",
    "名称_カナ",
    "所在地_連結表記",
    "緯度",
    "経度",
    "電話番号",
    "開設日",
    "定員",
    "開始時間",
    "備考",
]
KANA = ["カメヤマ", "セキ", "シミン", "コウミンカン", "ブンカ", "タイイクカン", "トショカン"]
KINDS = ("date", "latitude", "longitude", "required", "integer", "duplicate")

# machi's codes and frictionless's errors, both mapped to the rules they share.
MACHI_RULES = {
    "type.date": "type",
    "type.integer": "type",
    "type.number": "type",
    "type.time": "type",
    "wareki-date": "type",
    "excel-serial-date": "type",
    "fullwidth-digits": "type",
    "required.missing": "required",
    "latitude.range": "range",
    "longitude.range": "range",
    "constraint.minimum": "range",
    "constraint.maximum": "range",
    "duplicate-id": "unique",
}


def schema_descriptor() -> dict[str, Any]:
    """The 13 columns as a Table Schema, with machi's x- properties."""
    return {
        "name": "bench-public-facilities",
        "title": "公共施設一覧（ベンチマーク）",
        "fields": [
            {
                "name": "全国地方公共団体コード",
                "type": "string",
                "constraints": {"required": True, "pattern": "[0-9]{6}"},
                "x-check": "localgov-code",
            },
            {"name": "ID", "type": "string", "constraints": {"required": True, "unique": True}},
            {"name": "地方公共団体名", "type": "string"},
            {"name": "名称", "type": "string", "constraints": {"required": True}},
            {"name": "名称_カナ", "type": "string", "x-check": "kana"},
            {"name": "所在地_連結表記", "type": "string", "constraints": {"required": True}},
            {
                "name": "緯度",
                "type": "number",
                "constraints": {"minimum": 20, "maximum": 46},
                "x-check": "latitude",
            },
            {
                "name": "経度",
                "type": "number",
                "constraints": {"minimum": 122, "maximum": 154},
                "x-check": "longitude",
            },
            {"name": "電話番号", "type": "string", "x-check": "phone"},
            {"name": "開設日", "type": "date"},
            {"name": "定員", "type": "integer", "constraints": {"minimum": 0}},
            {"name": "開始時間", "type": "time", "format": "%H:%M"},
            {"name": "備考", "type": "string"},
        ],
        "missingValues": [""],
    }


def plain_descriptor() -> dict[str, Any]:
    """The same schema without machi's own properties, for frictionless."""
    descriptor = schema_descriptor()
    descriptor["fields"] = [
        {key: value for key, value in field.items() if not key.startswith("x-")}
        for field in descriptor["fields"]
    ]
    return descriptor


def _good_row(rng: random.Random, number: int) -> list[str]:
    return [
        "242101",
        f"F{number:07d}",
        "三重県亀山市",
        f"亀山市立施設{number}",
        "".join(rng.choice(KANA) for _ in range(3)),
        f"三重県亀山市本丸町{rng.randint(1, 999)}番地",
        f"{rng.uniform(34.80, 34.95):.6f}",
        f"{rng.uniform(136.30, 136.55):.6f}",
        f"0595-{rng.randint(80, 89)}-{rng.randint(0, 9999):04d}",
        f"{rng.randint(1970, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        str(rng.randint(0, 500)),
        f"{rng.randint(7, 10):02d}:{rng.choice(['00', '15', '30', '45'])}",
        rng.choice(["", "駐車場あり", "月曜休館", "多目的トイレあり"]),
    ]


def make_table(rows: int = ROWS, seed: int = SEED) -> tuple[str, set[tuple[int, str, str]]]:
    """The CSV text and the (row, column, rule) of every injected problem."""
    rng = random.Random(seed)
    body = [_good_row(rng, n) for n in range(rows)]
    injected: set[tuple[int, str, str]] = set()
    bad = rng.sample(range(1, rows), int(rows * BAD_SHARE))
    for index in sorted(bad):
        row, kind = body[index], rng.choice(KINDS)
        number = index + 2  # the header is row 1
        if kind == "date":
            row[9] = rng.choice(["2023-02-30", "R5.4.1", "2023/04/01", "令和5年4月1日"])
            injected.add((number, "開設日", "type"))
        elif kind == "latitude":
            row[6] = rng.choice(["3.485", "134.85", "0"])
            injected.add((number, "緯度", "range"))
        elif kind == "longitude":
            row[7] = rng.choice(["13.645", "34.85", "200"])
            injected.add((number, "経度", "range"))
        elif kind == "required":
            column = rng.choice([3, 5])
            row[column] = ""
            injected.add((number, HEADER[column], "required"))
        elif kind == "integer":
            row[10] = rng.choice(["12人", "abc", "1.5"])
            injected.add((number, "定員", "type"))
        else:
            earlier = rng.randrange(index)
            if (earlier + 2, "ID", "unique") in injected or body[earlier][1] == row[1]:
                continue
            row[1] = body[earlier][1]
            injected.add((number, "ID", "unique"))
    lines = [",".join(HEADER), *(",".join(row) for row in body)]
    return "\n".join(lines) + "\n", injected


def machi_findings(report: Any) -> set[tuple[int, str, str]]:
    return {
        (p.row, p.column, MACHI_RULES[p.code])
        for p in report.problems
        if p.code in MACHI_RULES and p.row is not None
    }


def frictionless_findings(report: Any) -> set[tuple[int, str, str]]:
    found: set[tuple[int, str, str]] = set()
    for task in report.tasks:
        for error in task.errors:
            if error.type == "type-error":
                rule = "type"
            elif error.type in ("unique-error", "primary-key"):
                rule = "unique"
            elif error.type == "constraint-error":
                note = error.note
                rule = "required" if "required" in note else "range"
            else:
                rule = error.type
            found.add((error.row_number, error.field_name, rule))
    return found


def bench_opendata_validate(report: Callable[[str], None]) -> dict[str, float]:
    import frictionless

    from machi.opendata.table_schemas import schema_from_descriptor
    from machi.opendata.validation import validate_bytes

    text, injected = make_table()
    utf8, cp932 = text.encode("utf-8"), text.encode("cp932")
    report(
        f"table: {ROWS:,} rows × {len(HEADER)} columns, {len(utf8) / 1e6:.1f} MB, "
        f"{len(injected)} injected problems"
    )
    schema = schema_from_descriptor(schema_descriptor())

    def machi(content: bytes) -> tuple[float, float, Any]:
        validate_bytes(content, schema=schema, limit_per_code=10**6)  # warm up
        times, cpu, result = [], [], None
        for _ in range(MACHI_REPEAT):
            start, start_cpu = time.perf_counter(), time.process_time()
            result = validate_bytes(content, schema=schema, limit_per_code=10**6)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        return statistics.median(times), statistics.median(cpu), result

    machi_s, machi_cpu_s, machi_report = machi(utf8)
    machi_cp932_s, _cpu, cp932_report = machi(cp932)
    with tempfile.TemporaryDirectory(prefix="machi-bench-") as tmp:
        Path(tmp, "facilities.csv").write_bytes(utf8)
        resource = frictionless.Resource(
            path="facilities.csv",
            basepath=tmp,
            schema=frictionless.Schema.from_descriptor(plain_descriptor()),
        )
        start, start_cpu = time.perf_counter(), time.process_time()
        fl_report = resource.validate(limit_errors=10**6)
        frictionless_s = time.perf_counter() - start
        frictionless_cpu_s = time.process_time() - start_cpu

    ours, theirs = machi_findings(machi_report), frictionless_findings(fl_report)
    ratio = frictionless_s / machi_s
    report(f"{'frictionless 5 (Resource.validate), UTF-8':<46} {frictionless_s:8.3f} s")
    report(f"{'machi validate_bytes, UTF-8 (median of 5)':<46} {machi_s:8.3f} s")
    report(f"{'machi validate_bytes, CP932 (median of 5)':<46} {machi_cp932_s:8.3f} s")
    report(
        f"ratio frictionless / machi: {ratio:.1f}× (target ≥ {TARGET_RATIO:.0f}×); "
        f"machi {ROWS / machi_s:,.0f} rows/s"
    )
    report(
        f"CPU time (all threads): frictionless {frictionless_cpu_s:.3f} s, machi "
        f"{machi_cpu_s:.3f} s ({frictionless_cpu_s / machi_cpu_s:.1f}×; polars uses every "
        f"core, so the wall-clock ratio drops when other work shares the machine)"
    )
    by_rule_ours = Counter(rule for _row, _column, rule in ours)
    by_rule_theirs = Counter(rule for _row, _column, rule in theirs)
    by_rule_injected = Counter(rule for _row, _column, rule in injected)
    report(f"{'rule':<10} {'injected':>9} {'machi':>9} {'frictionless':>13}")
    for rule in sorted(by_rule_injected | by_rule_ours | by_rule_theirs):
        report(
            f"{rule:<10} {by_rule_injected[rule]:>9} {by_rule_ours[rule]:>9} "
            f"{by_rule_theirs[rule]:>13}"
        )
    same = ours == theirs
    rows_ours = {row for row, _column, _rule in ours}
    report(
        f"bad rows: machi {len(rows_ours)}, frictionless "
        f"{len({row for row, _c, _r in theirs})}; identical (row, column, rule) sets: "
        f"{'yes' if same else 'NO'}"
    )
    if not same:
        report(f"  only machi: {sorted(ours - theirs)[:10]}")
        report(f"  only frictionless: {sorted(theirs - ours)[:10]}")
    extra = Counter(p.code for p in machi_report.problems if p.code not in MACHI_RULES)
    report(f"machi codes beyond frictionless's rules: {dict(extra) or 'none'}")
    same_cp932 = machi_findings(cp932_report) == ours
    report(f"CP932 copy gives the same findings: {'yes' if same_cp932 else 'NO'}")
    return {
        "machi_s": machi_s,
        "machi_cp932_s": machi_cp932_s,
        "frictionless_s": frictionless_s,
        "machi_cpu_s": machi_cpu_s,
        "frictionless_cpu_s": frictionless_cpu_s,
        "rows_per_s": ROWS / machi_s,
        "bad_rows": float(len(rows_ours)),
        "same_findings": 1.0 if same and same_cp932 else 0.0,
        "ratio": ratio,
    }
