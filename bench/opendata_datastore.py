"""Open data scenario: CKAN ``datastore_search`` on a resource of 1,000,000 rows.

A generated CSV of 1,000,000 rows × 9 columns (made-up facility inspection records of
亀山市: ID, 施設名, 地区, 種別, 所在地, 緯度, 経度, 点検日, 点検結果) is published through the
real services (upload → validator → Parquet table → publish), then queried through the
real view (Django's test client, POST JSON as ckanapi sends it) with a filter and
limit 100: ``{"filters": {"地区": <one of 10>, "種別": <one of 8>}, "limit": 100}``
(about 12,500 matching rows; the total is counted). Reported: p50/p95, the first
(cold) request that loads the table into the per-process cache, and the publish time.

Baseline in the same run: the same query answered without the cache, the way a
straightforward implementation would: read the whole Parquet file with polars on every
request, filter, count, take 100 rows, serialise to JSON (a plain function, no HTTP).
The ratio is baseline p50 / machi p50.

Run alone: ``.venv/bin/python bench/run.py opendata_datastore``.
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

ROWS = 1_000_000
AREAS = ["亀山", "関", "神辺", "昼生", "井田川", "川崎", "野登", "白川", "加太", "坂下"]
KINDS = ["消火栓", "防火水槽", "街路灯", "カーブミラー", "ベンチ", "案内板", "AED", "防犯カメラ"]
RESULTS = ["異常なし", "要経過観察", "要修繕"]


def _csv() -> bytes:
    import polars as pl

    n = pl.int_range(0, ROWS, eager=True)

    def pick(values: list[str], positions: pl.Series) -> pl.Series:
        return pl.Series(values).gather(positions)

    area = pick(AREAS, n % len(AREAS))
    kind = pick(KINDS, (n // 10) % len(KINDS))
    number = n.cast(pl.String).str.zfill(7)
    table = pl.DataFrame(
        {
            "ID": "K" + number,
            "施設名": area + "地区の" + kind + " " + number.str.slice(3),
            "地区": area,
            "種別": kind,
            "所在地": "三重県亀山市" + area + "町" + (n % 977 + 1).cast(pl.String),
            "緯度": (34.80 + (n % 997) / 10000).round(6).cast(pl.String),
            "経度": (136.35 + (n % 991) / 10000).round(6).cast(pl.String),
            "点検日": "2024-"
            + (n % 12 + 1).cast(pl.String).str.zfill(2)
            + "-"
            + (n % 28 + 1).cast(pl.String).str.zfill(2),
            "点検結果": pick(RESULTS, n % 7 % 3),
        }
    )
    return table.write_csv().encode("utf-8")


def _percentiles(times: list[float]) -> tuple[float, float]:
    return statistics.median(times), statistics.quantiles(times, n=20)[18]


def bench_opendata_datastore(line: Any, repeat: int = 60) -> dict[str, float]:
    """The files go to a temporary media folder, removed afterwards."""
    import shutil
    import tempfile

    from django.test import override_settings

    from machi.opendata import datastore

    media = tempfile.mkdtemp(prefix="machi-bench-media-")
    try:
        with override_settings(MEDIA_ROOT=media):
            return _run(line, repeat)
    finally:
        datastore.tables.clear()
        shutil.rmtree(media, ignore_errors=True)


def _run(line: Any, repeat: int) -> dict[str, float]:
    import polars as pl
    from django.test import Client

    from machi.core.models import Municipality
    from machi.core.services.tenancy import department_upsert
    from machi.opendata import datastore, selectors
    from machi.opendata.services.catalog import dataset_create
    from machi.opendata.services.resources import resource_create, version_publish_now

    city = Municipality.objects.get(code="242101")
    department = department_upsert(municipality=city, code="b620", name="土木課")
    dataset = dataset_create(
        actor=None,
        municipality=city,
        name="bench-tenken",
        title="施設点検記録（ベンチマーク用）",
        department=department,
        state="active",
        is_demo=True,
    )
    resource = resource_create(actor=None, dataset=dataset, name="点検記録", format="CSV")
    start = time.perf_counter()
    content = _csv()
    seconds = time.perf_counter() - start
    line(f"generated {ROWS:,} rows, {len(content) / 1e6:.0f} MB CSV in {seconds:.1f} s")
    start = time.perf_counter()
    version = version_publish_now(
        actor=None, resource=resource, filename="tenken.csv", content=content
    )
    publish_s = time.perf_counter() - start
    assert version is not None and version.table_file
    line(f"published through upload → validate → Parquet in {publish_s:.1f} s")

    client = Client(HTTP_HOST="localhost")
    queries = [
        {"地区": AREAS[n % len(AREAS)], "種別": KINDS[(n * 3) % len(KINDS)]} for n in range(40)
    ]

    def ask(filters: dict[str, str]) -> dict[str, Any]:
        body = {"resource_id": str(resource.pk), "filters": filters, "limit": 100}
        response = client.post(
            "/api/action/datastore_search", json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 200, response.content[:300]
        return response.json()["result"]

    start = time.perf_counter()
    first = ask(queries[0])
    cold_ms = (time.perf_counter() - start) * 1000
    assert len(first["records"]) == 100 and first["total"] > 0
    table = datastore.tables.get(version)
    line(
        f"first request (loads the table, {table.size / 1e6:.0f} MB in memory): "
        f"{cold_ms:.0f} ms; matching rows: {first['total']:,}"
    )
    times = []
    for n in range(repeat):
        start = time.perf_counter()
        ask(queries[n % len(queries)])
        times.append((time.perf_counter() - start) * 1000)
    p50, p95 = _percentiles(times)

    path = version.table_file.path
    current = selectors.current_version(resource)
    assert current is not None and current.pk == version.pk

    def baseline(filters: dict[str, str]) -> bytes:
        frame = pl.read_parquet(path).with_row_index("_id", offset=1)
        expr = pl.all_horizontal([pl.col(k) == v for k, v in filters.items()])
        matching = frame.filter(expr)
        body = {"total": matching.height, "records": matching.head(100).to_dicts()}
        return json.dumps(body, ensure_ascii=False).encode()

    check = json.loads(baseline(queries[0]))
    assert check["total"] == first["total"]
    assert [r["ID"] for r in check["records"]] == [r["ID"] for r in first["records"]]
    base_times = []
    for n in range(max(10, repeat // 3)):
        start = time.perf_counter()
        baseline(queries[n % len(queries)])
        base_times.append((time.perf_counter() - start) * 1000)
    base_p50, base_p95 = _percentiles(base_times)
    line(
        f"{'baseline: polars full Parquet read per request':<50} "
        f"p50 {base_p50:7.1f} ms  p95 {base_p95:7.1f} ms"
    )
    line(
        f"{'datastore_search filter + limit 100 (cached)':<50} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms"
    )
    return {
        "rows": float(ROWS),
        "p50_ms": p50,
        "p95_ms": p95,
        "cold_ms": cold_ms,
        "publish_s": publish_s,
        "baseline_p50_ms": base_p50,
        "baseline_p95_ms": base_p95,
        "ratio": base_p50 / p50,
    }
