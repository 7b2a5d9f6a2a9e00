"""The read-only JSON API of notices, as another channel (an app, a kiosk) uses it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from machi.core.models import Municipality
from machi.notices.services.files import notice_file_add
from machi.notices.services.notices import (
    notice_approve,
    notice_create,
    notice_submit,
    notice_withdraw,
)
from machi.notices.services.setup import categories_ensure, district_upsert
from machi.notices.tests.conftest import Town
from machi.testing.applications import png_bytes
from machi.testing.factories import DepartmentFactory


def _json(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.content)
    assert response["Content-Type"] == "application/json"
    return response.json()


def _titles(body: dict[str, Any]) -> list[str]:
    return [n["title"] for n in body["results"]]


def test_the_list_has_only_published_current_notices_of_this_city(
    town: Town, client: Client, other_city: Municipality
) -> None:
    shown = town.notice(title="ごみ収集日の変更", districts=[town.seki], is_important=True)
    town.notice(title="下書き", approve=False)
    waiting = town.notice(title="承認待ち", approve=False)
    notice_submit(actor=town.writer, municipality=town.city, notice=waiting)
    withdrawn = town.notice(title="取り下げ")
    notice_withdraw(actor=town.writer, municipality=town.city, notice=withdrawn)
    town.notice(title="来週から", publish_at=timezone.now() + dt.timedelta(days=7))
    _other_city_notice(other_city)

    body = _json(client, "/api/v1/notices/")

    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    [notice] = body["results"]
    assert notice["id"] == str(shown.pk)
    assert notice["title"] == "ごみ収集日の変更"
    assert notice["url"] == f"http://testserver/notices/{shown.pk}/"
    assert notice["category"]["code"] == "kurashi" and notice["category"]["name"] == "くらし"
    assert [d["code"] for d in notice["districts"]] == ["seki"]
    assert notice["department"] == notice["author"] == "防災安全課"
    assert notice["is_important"] is True
    assert dt.datetime.fromisoformat(notice["published_at"]) == shown.published_at
    assert notice["summary"] == "本文です。"
    assert "body" not in notice  # the text in full is on the notice's own address


def test_filters_narrow_by_category_district_and_words(town: Town, client: Client) -> None:
    town.notice(title="防災訓練", category=town.categories["bosai"])
    town.notice(title="関の清掃", districts=[town.seki])
    town.notice(title="加太の清掃", districts=[town.kabuto])

    assert _titles(_json(client, "/api/v1/notices/?category=bosai")) == ["防災訓練"]
    assert _titles(_json(client, "/api/v1/notices/?district=seki")) == ["関の清掃", "防災訓練"]
    assert _titles(_json(client, "/api/v1/notices/?q=清掃")) == ["加太の清掃", "関の清掃"]
    assert _titles(_json(client, "/api/v1/notices/?q=セイソウ")) == []
    both = "/api/v1/notices/?district=kabuto&q=%E6%B8%85%E6%8E%83&category=kurashi"
    assert _titles(_json(client, both)) == ["加太の清掃"]
    assert _titles(_json(client, "/api/v1/notices/?category=&district=&q=")) == [
        "加太の清掃",
        "関の清掃",
        "防災訓練",
    ]


def test_unknown_codes_long_queries_and_missing_pages_are_refused_by_name(
    town: Town, client: Client, other_city: Municipality
) -> None:
    town.notice()
    district_upsert(
        municipality=other_city,
        code="shiroko",
        name="白子",
        department=DepartmentFactory.create(municipality=other_city, code="230"),
    )
    for url, field in (
        ("/api/v1/notices/?category=nope", "category"),
        ("/api/v1/notices/?district=shiroko", "district"),  # another city's district
        ("/api/v1/notices/?q=" + "あ" * 101, "q"),
        ("/api/v1/notices/?page=2", "page"),
        ("/api/v1/notices/?page=abc", "page"),
    ):
        body = _json(client, url, status=400)
        assert body["code"] == "invalid", url
        assert [p["field"] for p in body["problems"]] == [field], url
    body = _json(client, "/api/v1/notices/?category=nope", status=400)
    assert body["problems"][0]["message"] == "このコードの分類はありません。"


def test_pages_of_twenty(town: Town, client: Client) -> None:
    for n in range(21):
        town.notice(title=f"お知らせ{n}")
    first = _json(client, "/api/v1/notices/")
    assert first["count"] == 21 and len(first["results"]) == 20
    assert first["results"][0]["title"] == "お知らせ20"
    assert first["next"] == "http://testserver/api/v1/notices/?page=2"
    second = _json(client, first["next"])
    assert _titles(second) == ["お知らせ0"]
    assert second["previous"] == "http://testserver/api/v1/notices/"


def test_the_list_query_count_does_not_grow_with_the_notices(
    town: Town, client: Client, django_assert_max_num_queries: Any
) -> None:
    for n in range(20):
        town.notice(title=f"お知らせ{n}", districts=[town.seki] if n % 2 else [])
    with django_assert_max_num_queries(8):
        assert len(_json(client, "/api/v1/notices/")["results"]) == 20


def test_a_notice_in_full_has_its_text_as_markdown_and_html_and_its_files(
    town: Town, client: Client
) -> None:
    notice = town.notice(
        approve=False,
        title="避難所の地図",
        body="# 地図\n\n**最寄りの避難所**を確認してください。<script>alert(1)</script>",
        body_en="Check your **nearest shelter**.",
        category=town.categories["event"],
        event_start=timezone.now() + dt.timedelta(days=3),
        event_place="市役所",
    )
    image = notice_file_add(
        actor=town.writer,
        municipality=town.city,
        notice=notice,
        upload=SimpleUploadedFile("map.png", png_bytes((20, 10))),
        kind="image",
        alt_text="西野公園の避難所の地図",
    )
    notice_submit(actor=town.writer, municipality=town.city, notice=notice)
    notice_approve(actor=town.approver, municipality=town.city, notice=notice)

    body = _json(client, f"/api/v1/notices/{notice.pk}/")

    assert body["body"].startswith("# 地図\n\n**最寄りの避難所**")
    assert "<h2>地図</h2>" in body["body_html"]
    assert "<strong>最寄りの避難所</strong>" in body["body_html"]
    assert "<script>" not in body["body_html"]
    assert body["body_en_html"] == "<p>Check your <strong>nearest shelter</strong>.</p>\n"
    assert body["event_place"] == "市役所" and body["event_start"]
    [attached] = body["files"]
    assert attached["kind"] == "image" and attached["alt_text"] == "西野公園の避難所の地図"
    assert attached["content_type"] == "image/png" and attached["name"] == "map.png"
    url = f"http://testserver/notices/{notice.pk}/files/{image.pk}/"
    assert attached["url"] == url
    assert client.get(url).status_code == 200


def test_drafts_other_cities_and_unknown_ids_are_not_found(
    town: Town, client: Client, other_city: Municipality
) -> None:
    draft = town.notice(approve=False)
    elsewhere = _other_city_notice(other_city)
    for notice_id in (draft.pk, elsewhere.pk, "00000000-0000-0000-0000-000000000000"):
        body = _json(client, f"/api/v1/notices/{notice_id}/", status=404)
        assert body["code"] == "not_found"
    assert client.get("/api/v1/notices/not-a-uuid/").status_code == 404


def test_the_api_only_reads(town: Town, client: Client) -> None:
    notice = town.notice()
    for url in (
        "/api/v1/notices/",
        f"/api/v1/notices/{notice.pk}/",
        "/api/v1/notice-categories/",
        "/api/v1/districts/",
    ):
        for method in (client.post, client.put, client.patch, client.delete):
            response = method(url, {"title": "x"}, content_type="application/json")
            assert response.status_code == 405, (method, url)
            assert response.json()["code"] == "method_not_allowed"


def test_categories_and_districts_are_this_citys(
    town: Town, client: Client, other_city: Municipality
) -> None:
    _other_city_notice(other_city)
    district_upsert(
        municipality=other_city,
        code="shiroko",
        name="白子",
        department=DepartmentFactory.create(municipality=other_city, code="230"),
    )
    categories = _json(client, "/api/v1/notice-categories/")
    assert [c["code"] for c in categories] == [
        "kurashi",
        "kosodate",
        "kenko",
        "bosai",
        "event",
        "boshu",
        "sonota",
    ]
    event = categories[4]
    assert event == {
        "code": "event",
        "name": "イベント",
        "name_en": "Events",
        "is_urgent": False,
        "is_event": True,
    }
    districts = _json(client, "/api/v1/districts/")
    assert [d["code"] for d in districts] == ["kabuto", "seki"]  # in order, then by code
    assert districts[1]["name"] == "関"


def _other_city_notice(city: Municipality) -> Any:
    """A public notice of another tenant, written and approved by machi itself."""
    categories = {c.code: c for c in categories_ensure(municipality=city)}
    notice = notice_create(
        actor=None,
        municipality=city,
        category=categories["kurashi"],
        title="鈴鹿市のお知らせ",
        body="よその市のお知らせ",
        department=DepartmentFactory.create(municipality=city, code="400"),
    )
    notice_submit(actor=None, municipality=city, notice=notice)
    return notice_approve(actor=None, municipality=city, notice=notice)
