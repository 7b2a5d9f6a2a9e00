"""Notices scenario: the public notice list with 10,000 notices.

The 33 demo notices first, then 10,000 approved notices over two years (a third for one
or two districts), then the list unfiltered, by category, by district, with a search word
and a deep page, each with the resident home page as the baseline in the same run. The
SQL query count per request must be the same with 33 and with 10,000 notices.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from page_timing import measure_page

COUNT = 10_000
WORDS = ["清掃", "健診", "説明会", "募集", "防災訓練", "ごみ", "子育て", "講座", "工事", "休館"]


def _load(city: Any) -> None:
    from django.db import transaction
    from django.utils import timezone

    from machi.core.models import Department
    from machi.notices.models import District, Notice, NoticeCategory, NoticeStatus
    from machi.notices.search import search_text_of

    rng = random.Random(18)
    categories = list(NoticeCategory.objects.filter(municipality=city).exclude(is_event=True))
    districts = list(District.objects.filter(municipality=city))
    department = Department.objects.get(municipality=city, code="210")
    now = timezone.now()
    notices, links = [], []
    for n in range(COUNT):
        word = WORDS[n % len(WORDS)]
        title = f"{word}のお知らせ その{n}"
        body = f"{word}について、{n}番目のお知らせです。詳しくは担当課までお問い合わせください。"
        published = now - dt.timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
        notice = Notice(
            municipality=city,
            department=department,
            category=rng.choice(categories),
            title=title,
            body=body,
            status=NoticeStatus.APPROVED,
            approved_at=published,
            published_at=published,
            fanned_out_at=published,
            search_text=search_text_of(title, body),
        )
        notices.append(notice)
        if n % 3 == 0:
            for district in rng.sample(districts, rng.randint(1, 2)):
                links.append(Notice.districts.through(notice=notice, district=district))
    with transaction.atomic():
        Notice.objects.bulk_create(notices, batch_size=1000)
        Notice.districts.through.objects.bulk_create(links, batch_size=1000)


def bench_notices_pages(report: Callable[[str, float, float, int], None]) -> dict[str, float]:
    from django.db import connection
    from django.test import Client

    from machi.core.models import Municipality

    city = Municipality.objects.get(code="242101")
    client = Client(HTTP_HOST="localhost")
    small = measure_page(client, "/notices/", 30)
    _load(city)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    home = measure_page(client, "/", 50)
    pages = {
        "list": measure_page(client, "/notices/", 50),
        "category": measure_page(client, "/notices/?category=kurashi", 30),
        "district": measure_page(client, "/notices/?district=seki", 30),
        "search": measure_page(client, "/notices/?q=防災訓練", 30),
        "deep": measure_page(client, "/notices/?page=400", 30),
    }
    report("baseline: GET / (resident home)", *home)
    report("GET /notices/ (33 demo notices)", *small)
    report(f"GET /notices/ ({COUNT:,} notices)", *pages["list"])
    report("GET /notices/?category=kurashi", *pages["category"])
    report("GET /notices/?district=seki", *pages["district"])
    report("GET /notices/?q=防災訓練", *pages["search"])
    report("GET /notices/?page=400", *pages["deep"])
    result = {f"{name}_p95_ms": page[1] for name, page in pages.items()}
    result |= {f"{name}_queries": page[2] for name, page in pages.items()}
    result |= {
        "home_p95_ms": home[1],
        "demo_list_queries": small[2],
        "ratio": pages["list"][1] / home[1],
    }
    return result
