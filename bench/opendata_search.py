"""Open data scenario: CKAN ``package_search`` over a catalog of 5,000 datasets.

5,000 published datasets of 亀山市 (made-up, with realistic Japanese titles, descriptions
and tags) from 20 departments in 10 groups, each with one or two resources. Each request
goes through the real view (Django's test client, tenant middleware, the JSON envelope):
a Japanese keyword query (避難所, 子育て, 人口, 観光, 令和5年度 in turn) with two facets,
``facet.field=["organization","tags"]``, the first page of 10 results. Reported: p50/p95
and SQL queries per request, and the one-off cost of building the in-memory index.

Baseline in the same run: what a naive implementation would do, timed as a plain function
(no HTTP, so the comparison favours it): ``title__icontains | notes__icontains`` in the
database, ``Count`` per organisation, tags counted from the matching rows, the same 10
package dictionaries serialised to JSON. The ratio is baseline p50 / machi p50.

Run alone: ``.venv/bin/python bench/run.py opendata_search``.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from collections import Counter
from typing import Any

DATASETS = 5_000
QUERIES = ["避難所", "子育て", "人口", "観光", "令和5年度"]
DEPARTMENTS = [
    ("b110", "防災安全課"),
    ("b120", "消防総務課"),
    ("b210", "市民課"),
    ("b220", "子ども未来課"),
    ("b230", "子ども支援課"),
    ("b310", "長寿健康課"),
    ("b320", "地域福祉課"),
    ("b410", "観光振興課"),
    ("b420", "産業振興課"),
    ("b430", "農林振興課"),
    ("b510", "環境課"),
    ("b520", "廃棄物対策課"),
    ("b610", "都市整備課"),
    ("b620", "土木課"),
    ("b630", "上下水道総務課"),
    ("b710", "教育総務課"),
    ("b720", "学校教育課"),
    ("b730", "生涯学習課"),
    ("b810", "政策課"),
    ("b820", "情報政策課"),
]
GROUPS = [
    ("b-bousai", "防災"),
    ("b-kosodate", "子育て"),
    ("b-fukushi", "健康・福祉"),
    ("b-kanko", "観光"),
    ("b-tokei", "人口・統計"),
    ("b-kankyo", "環境"),
    ("b-kyoiku", "教育・文化"),
    ("b-kotsu", "交通・都市"),
    ("b-sangyo", "産業"),
    ("b-gyosei", "行政"),
]
# (subject, group index, department indexes, tags, description)
SUBJECTS = [
    (
        "指定避難所一覧",
        0,
        (0,),
        ["防災", "避難所"],
        "災害時に開設する指定避難所の所在地と収容人数。",
    ),
    ("指定緊急避難場所一覧", 0, (0,), ["防災", "避難場所"], "災害の種類ごとの指定緊急避難場所。"),
    ("防災倉庫・備蓄品一覧", 0, (0, 1), ["防災", "備蓄"], "防災倉庫の場所と主な備蓄品。"),
    (
        "AED設置箇所一覧",
        0,
        (1, 5),
        ["AED", "救急"],
        "公共施設等に設置したAEDの場所と利用可能時間。",
    ),
    ("消防水利施設一覧", 0, (1,), ["消防", "防災"], "消火栓と防火水槽の位置。"),
    (
        "避難所開設訓練の実施結果",
        0,
        (0,),
        ["防災", "避難所", "訓練"],
        "避難所開設訓練の参加者数と所要時間。",
    ),
    ("保育所一覧", 1, (3,), ["子育て", "保育"], "市内の保育所・認定こども園の定員と開所時間。"),
    ("子育て施設一覧", 1, (3, 4), ["子育て", "児童館"], "児童館、子育て支援センターなどの施設。"),
    ("待機児童数", 1, (3,), ["子育て", "保育", "統計"], "年齢別の保育所待機児童数。"),
    ("放課後児童クラブ一覧", 1, (4,), ["子育て", "学童"], "放課後児童クラブの所在地と定員。"),
    ("赤ちゃんの駅一覧", 1, (4,), ["子育て", "授乳"], "授乳やおむつ替えのできる施設。"),
    (
        "介護サービス事業所一覧",
        2,
        (5, 6),
        ["介護", "福祉"],
        "介護保険サービス事業所の種類と連絡先。",
    ),
    ("医療機関一覧", 2, (5,), ["医療", "健康"], "病院・診療所の診療科目と診療時間。"),
    ("健康診査の受診率", 2, (5,), ["健康", "統計"], "特定健康診査とがん検診の受診率。"),
    ("観光施設一覧", 3, (7,), ["観光", "施設"], "関宿、亀山城跡など観光施設の案内。"),
    ("観光入込客数", 3, (7,), ["観光", "統計"], "主な観光地の月別入込客数。"),
    ("イベント一覧", 3, (7, 17), ["イベント", "観光"], "市内で開催されるイベントの日時と場所。"),
    ("観光ポイント一覧", 3, (7,), ["観光", "文化財"], "写真映えする観光ポイントと解説。"),
    ("地域・年齢別人口", 4, (2,), ["人口", "統計"], "町別・5歳階級別の住民基本台帳人口。"),
    ("世帯数と人口の推移", 4, (2, 18), ["人口", "世帯", "統計"], "月末時点の世帯数と男女別人口。"),
    ("出生数・死亡数", 4, (2,), ["人口", "統計"], "月別の出生数と死亡数。"),
    ("ごみ排出量", 5, (10, 11), ["ごみ", "環境", "統計"], "可燃ごみ・資源ごみの月別排出量。"),
    ("ゴミの分別方法一覧", 5, (11,), ["ごみ", "分別"], "品目ごとの分別区分と出し方。"),
    ("ゴミ集積場所一覧", 5, (11,), ["ごみ", "集積所"], "ごみ集積場所の位置と収集曜日。"),
    ("河川水質測定結果", 5, (10,), ["環境", "水質"], "鈴鹿川水系の水質測定値。"),
    ("小中学校一覧", 6, (15, 16), ["教育", "学校"], "市立小中学校の所在地と児童生徒数。"),
    ("学校給食献立情報", 6, (16,), ["教育", "給食"], "小中学校の月別献立とアレルゲン。"),
    ("文化財一覧", 6, (17,), ["文化財", "歴史"], "国・県・市指定文化財の名称と所在地。"),
    ("図書館の貸出冊数", 6, (17,), ["図書館", "統計"], "図書館の月別貸出冊数と利用者数。"),
    ("公営駐車場一覧", 7, (12,), ["駐車場", "交通"], "市営駐車場の台数と料金。"),
    ("公営駐輪場一覧", 7, (12,), ["駐輪場", "交通"], "駅周辺の駐輪場の台数。"),
    ("コミュニティバス時刻表", 7, (12, 18), ["バス", "交通"], "さわやか号の路線別時刻表。"),
    ("道路工事予定", 7, (13,), ["道路", "工事"], "市道の工事予定と通行規制。"),
    ("公衆トイレ一覧", 7, (12, 7), ["トイレ", "観光"], "公衆トイレの位置とバリアフリー設備。"),
    ("公衆無線LANアクセスポイント一覧", 7, (19,), ["Wi-Fi", "観光"], "無料Wi-Fiを使える場所。"),
    ("事業所数と従業者数", 8, (8,), ["産業", "統計"], "産業分類別の事業所数と従業者数。"),
    ("農産物直売所一覧", 8, (9,), ["農業", "直売所"], "農産物直売所の場所と営業日。"),
    ("食品等営業許可・届出一覧", 8, (8,), ["食品", "営業許可"], "飲食店等の営業許可の一覧。"),
    ("公共施設一覧", 9, (18, 19), ["施設", "行政"], "市の公共施設の所在地と連絡先。"),
    ("オープンデータ一覧", 9, (19,), ["オープンデータ", "行政"], "市が公開しているデータの一覧。"),
    ("投票所一覧", 9, (18,), ["選挙", "投票所"], "選挙の投票所と投票区。"),
    ("市税の収納状況", 9, (18,), ["税", "統計"], "税目別の調定額と収納率。"),
    ("支援制度情報", 9, (18, 6), ["支援制度", "補助金"], "市民向けの補助金・支援制度。"),
    ("上水道の給水量", 7, (14,), ["水道", "統計"], "月別の給水量と有収率。"),
    ("下水道普及率", 7, (14,), ["下水道", "統計"], "地区別の下水道普及率。"),
]
AREAS = ["亀山", "関", "神辺", "昼生", "井田川", "川崎", "野登", "白川", "加太", "坂下"]
YEARS = list(range(2013, 2025))
LICENSES = ["cc-by-4.0", "pdl-1.0", "cc0-1.0"]
FORMATS = ["CSV", "CSV", "CSV", "XLSX", "PDF", "JSON"]


def _fiscal(year: int) -> str:
    return f"令和{year - 2018}年度" if year >= 2019 else f"平成{year - 1988}年度"


def _load(city: Any, rng: random.Random) -> None:
    """``DATASETS`` published datasets with groups and resources, in bulk."""
    from django.db import transaction

    from machi.core.services.tenancy import department_upsert
    from machi.opendata.models import Dataset, DatasetGroup, Resource
    from machi.opendata.services.catalog import group_upsert

    departments = [
        department_upsert(municipality=city, code=code, name=name) for code, name in DEPARTMENTS
    ]
    groups = [group_upsert(municipality=city, name=n, title=t) for n, t in GROUPS]
    combos = [(s, a, y) for s in SUBJECTS for a in AREAS for y in YEARS]
    rng.shuffle(combos)
    datasets, links, resources = [], [], []
    for index, (subject, area, year) in enumerate(combos[:DATASETS]):
        title, group, owners, tags, notes = subject
        dataset = Dataset(
            municipality=city,
            name=f"bench-{index:05d}",
            title=f"{_fiscal(year)} {area}地区 {title}",
            notes=f"{area}地区の{notes}（{year}年度、ベンチマーク用の架空データ）",
            tags=[*tags, f"{area}地区"],
            department=departments[rng.choice(owners)],
            license_id=rng.choice(LICENSES),
            frequency=rng.choice(["annual", "monthly", "irregular"]),
            state="active",
            is_demo=True,
        )
        datasets.append(dataset)
        links.append(DatasetGroup.datasets.through(dataset=dataset, datasetgroup=groups[group]))
        for position in range(rng.choice([1, 1, 2])):
            resources.append(
                Resource(
                    dataset=dataset,
                    name=f"{title}（{FORMATS[(index + position) % len(FORMATS)]}）",
                    format=FORMATS[(index + position) % len(FORMATS)],
                    position=position + 1,
                )
            )
    with transaction.atomic():
        Dataset.objects.bulk_create(datasets, batch_size=1000)
        DatasetGroup.datasets.through.objects.bulk_create(links, batch_size=1000)
        Resource.objects.bulk_create(resources, batch_size=1000)


def _percentiles(times: list[float]) -> tuple[float, float]:
    return statistics.median(times), statistics.quantiles(times, n=20)[18]


def _baseline(city: Any, keyword: str) -> bytes:
    """The naive way: LIKE in the database, Count per organisation, tags in Python."""
    from django.db.models import Count, Q

    from machi.opendata import selectors
    from machi.opendata.ckan.serializers import Context, package_dict
    from machi.opendata.models import Dataset

    matching = Dataset.objects.filter(municipality=city, state="active").filter(
        Q(title__icontains=keyword) | Q(notes__icontains=keyword)
    )
    count = matching.count()
    ids = [str(pk) for pk in matching.order_by("-modified_at").values_list("id", flat=True)[:10]]
    organizations = list(
        matching.values("department__code")
        .annotate(n=Count("id"))
        .order_by("-n", "department__code")[:50]
    )
    tags = Counter(tag for row in matching.values_list("tags", flat=True) for tag in row)
    ctx = Context(municipality=city, site_url="http://localhost")
    results = [package_dict(ctx, d) for d in selectors.datasets_by_ids(city, ids)]
    body = {
        "count": count,
        "results": results,
        "facets": {
            "organization": {o["department__code"]: o["n"] for o in organizations},
            "tags": dict(tags.most_common(50)),
        },
    }
    return json.dumps(body, ensure_ascii=False).encode()


def bench_opendata_search(line: Any, repeat: int = 100) -> dict[str, float]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from machi.core.models import Municipality

    city = Municipality.objects.get(code="242101")
    start = time.perf_counter()
    _load(city, random.Random(7))
    line(f"loaded {DATASETS:,} datasets in {time.perf_counter() - start:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client(HTTP_HOST="localhost")
    facets = json.dumps(["organization", "tags"])

    def ask(keyword: str) -> dict[str, Any]:
        response = client.get("/api/3/action/package_search", {"q": keyword, "facet.field": facets})
        assert response.status_code == 200, response.content[:300]
        return response.json()["result"]

    start = time.perf_counter()
    first = ask(QUERIES[0])
    build_ms = (time.perf_counter() - start) * 1000
    line(f"first query (builds the in-memory index): {build_ms:.0f} ms")
    counts = {q: ask(q)["count"] for q in QUERIES}
    assert first["count"] > 0 and len(first["results"]) == 10
    assert set(first["search_facets"]) == {"organization", "tags"}

    times: list[float] = []
    for n in range(repeat):
        keyword = QUERIES[n % len(QUERIES)]
        start = time.perf_counter()
        ask(keyword)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        ask(QUERIES[0])
    p50, p95 = _percentiles(times)

    base_times: list[float] = []
    base_counts = {}
    for n in range(repeat):
        keyword = QUERIES[n % len(QUERIES)]
        start = time.perf_counter()
        body = _baseline(city, keyword)
        base_times.append((time.perf_counter() - start) * 1000)
        base_counts[keyword] = json.loads(body)["count"]
    base_p50, base_p95 = _percentiles(base_times)

    line(f"matches (machi / baseline LIKE): {counts} / {base_counts}")
    line(
        f"{'baseline: icontains + Count facets (no HTTP)':<48} "
        f"p50 {base_p50:7.1f} ms  p95 {base_p95:7.1f} ms"
    )
    line(
        f"{'package_search + 2 facets via /api/3/action':<48} "
        f"p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {len(queries):2d} queries"
    )
    return {
        "datasets": float(DATASETS),
        "p50_ms": p50,
        "p95_ms": p95,
        "queries": float(len(queries)),
        "index_build_ms": build_ms,
        "baseline_p50_ms": base_p50,
        "baseline_p95_ms": base_p95,
        "ratio": base_p50 / p50,
    }
