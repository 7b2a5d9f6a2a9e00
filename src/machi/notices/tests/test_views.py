"""The public pages: list with filters and search, a notice, the archive, the home page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from machi.notices.tests.conftest import Town


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_home_page_shows_important_and_latest_notices(town: Town, client: Client) -> None:
    town.notice(title="大雨に備えてください", is_important=True, category=town.categories["bosai"])
    town.notice(title="ごみ収集日の変更")
    home = _page(client, "/")
    card = home[home.index('href="/notices/"') - 200 : home.index('href="/notices/"') + 300]
    assert "準備中" not in card
    assert home.index("大雨に備えてください") < home.index("ごみ収集日の変更")
    assert 'href="/notices/"' in home


def test_the_list_narrows_by_category_district_and_words(town: Town, client: Client) -> None:
    town.notice(title="防災訓練", category=town.categories["bosai"])
    town.notice(title="関の清掃", districts=[town.seki])
    town.notice(title="加太の清掃", districts=[town.kabuto])
    page = _page(client, "/notices/?category=bosai")
    assert "防災訓練" in page and "清掃" not in page
    page = _page(client, "/notices/?district=seki")
    assert "関の清掃" in page and "加太の清掃" not in page and "防災訓練" in page
    page = _page(client, "/notices/?q=せいそう")  # no match in kana: the kanji is stored
    assert "2件" not in page
    page = _page(client, "/notices/?q=清掃")
    assert "関の清掃" in page and "加太の清掃" in page and "防災訓練" not in page


def test_bad_filters_and_long_queries_get_a_message_not_an_error(
    town: Town, client: Client
) -> None:
    town.notice(title="お知らせ1")
    page = _page(client, "/notices/?category=nope&district=zz&page=abc")
    assert "お知らせ1" in page
    page = _page(client, "/notices/?q=" + "あ" * 300)
    assert "100文字以内" in page
    english = Client(HTTP_HOST="testserver", HTTP_ACCEPT_LANGUAGE="en")
    english.cookies["django_language"] = "en"
    assert "at most 100 characters" in _page(english, "/notices/?q=" + "a" * 300)


def test_a_notice_page_renders_its_text_safely(town: Town, client: Client) -> None:
    notice = town.notice(
        title="<b>タイトル</b>",
        body="# 見出し\n\n**太字** と [リンク](javascript:alert(1)) と <script>alert(1)</script>",
    )
    page = _page(client, f"/notices/{notice.pk}/")
    assert "&lt;b&gt;タイトル&lt;/b&gt;" in page
    assert "<h2>見出し</h2>" in page and "<strong>太字</strong>" in page
    assert "<script>alert(1)</script>" not in page and 'href="javascript:' not in page


def test_drafts_other_cities_and_unknown_ids_are_not_found(
    town: Town, client: Client, other_city: object, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "suzuka.example.jp"]
    draft = town.notice(approve=False)
    assert client.get(f"/notices/{draft.pk}/").status_code == 404
    published = town.notice()
    suzuka = Client(HTTP_HOST="suzuka.example.jp")
    assert suzuka.get(f"/notices/{published.pk}/").status_code == 404
    assert client.get("/notices/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_ended_notices_are_in_the_archive_and_still_readable(town: Town, client: Client) -> None:
    ended = town.notice(title="終わった募集", expire_at=timezone.now() + dt.timedelta(seconds=1))
    town.notice(title="いまの募集")
    import time

    time.sleep(1.1)
    assert "終わった募集" not in _page(client, "/notices/")
    assert "終わった募集" in _page(client, "/notices/archive/")
    assert "掲載は終了しました" in _page(client, f"/notices/{ended.pk}/")


def test_the_list_query_count_does_not_grow_with_the_notices(
    town: Town, client: Client, django_assert_max_num_queries: object
) -> None:
    for n in range(25):
        town.notice(title=f"お知らせ{n}", districts=[town.seki] if n % 2 else [])
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        _page(client, "/notices/")
