"""On English pages the assistant shows what staff wrote in Japanese (FAQ entries, menus,
synonyms) and what residents asked as it was written, marked lang="ja" for screen readers;
Japanese pages stay as they were."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from machi.assistant.services.faq import faq_import_csv
from machi.assistant.services.scenarios import scenarios_import
from machi.core.models import Municipality, User
from machi.testing.applications import Catalog
from machi.testing.fixtures import make_staff
from machi.testing.marks import unmarked_japanese

pytestmark = pytest.mark.django_db

FAQ = """id,category,question,answer,keywords,procedure
mynumber-lost,マイナンバーカード,マイナンバーカードをなくしたときは？,コールセンターで一時停止し、市民課で再交付を申請してください。,,certificate
sodai,ごみ,粗大ごみを出したい,粗大ごみは申込制です。オンラインで申し込めます。,,gomi
"""

MENUS = """
- code: gomi
  title: ごみの出し方
  definition:
    format: machi-scenario/1
    start: item
    nodes:
      item:
        text: 何を出しますか？
        options:
          - {label: 大きいもの, next: sodai}
          - {label: 家電, answer: お店に引き取りを頼んでください。}
          - {label: 収集日, faq: sodai}
      sodai:
        text: 粗大ごみは申込制です。
        options:
          - {label: 申し込む, url: /procedures/gomi/}
          - {label: 戻る, next: item}
"""


@pytest.fixture
def faq(catalog: Catalog, city: Municipality) -> Municipality:
    faq_import_csv(actor=None, municipality=city, content=FAQ.encode())
    scenarios_import(municipality=city, text=MENUS)
    return city


@pytest.fixture
def clerk(faq: Municipality, catalog: Catalog) -> User:
    return make_staff(faq, "faq@example.jp", department=catalog.kankyo)


def _client(language: str, user: User | None = None) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    if user is not None:
        client.force_login(user)
    return client


def _page(client: Client, url: str, data: dict[str, Any] | None = None) -> str:
    response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_menus_show_their_japanese_text_marked_on_english_pages(faq: Municipality) -> None:
    client = _client("en")
    listing = _page(client, "/assistant/menus/")
    assert unmarked_japanese(listing, within="body") == []
    # The resident clicks the menu, then an option, as the links lead.
    assert 'href="/assistant/menus/gomi/" lang="ja">ごみの出し方</a>' in listing
    start = _page(client, "/assistant/menus/gomi/")
    assert unmarked_japanese(start, within="body") == []
    assert '<h1 lang="ja">ごみの出し方</h1>' in start
    assert '<summary lang="ja">家電</summary><p lang="ja">お店に' in start
    assert '<p lang="ja">粗大ごみは申込制です。オンラインで申し込めます。</p>' in start
    assert 'href="/assistant/menus/gomi/sodai/" lang="ja">大きいもの</a>' in start
    sodai = _page(client, "/assistant/menus/gomi/sodai/")
    assert unmarked_japanese(sodai, within="body") == []
    assert 'href="/procedures/gomi/" lang="ja">申し込む</a>' in sodai


def test_japanese_menu_pages_carry_no_marks(faq: Municipality) -> None:
    start = _page(_client("ja"), "/assistant/menus/gomi/")
    assert 'lang="ja"' not in start[start.index("<main") :]
    assert "<details><summary>家電</summary>" in start


def test_an_english_chat_reply_marks_the_answer_and_names_the_procedure_in_english(
    faq: Municipality,
) -> None:
    client = _client("en")
    page = _page(client, "/assistant/", {"q": "粗大ごみを出したい"})
    assert unmarked_japanese(page, within="body") == []
    assert '<span lang="ja">粗大ごみを出したい</span></p>' in page  # the resident's question
    assert '<p lang="ja">粗大ごみは申込制です。オンラインで申し込めます。</p>' in page
    # The procedure has an English title: the link reads in English.
    assert "Apply online: Large waste collection</a>" in page or (
        "How to apply: Large waste collection</a>" in page
    )
    # Without an English title, the Japanese one is marked inside the English link text.
    other = _page(client, "/assistant/", {"q": "マイナンバーカードをなくしたときは？"})
    assert unmarked_japanese(other, within="body") == []
    assert ': <span lang="ja">住民票の写しの交付請求</span></a>' in other


def test_the_chat_widget_example_is_marked_on_english_pages(faq: Municipality) -> None:
    english = _page(_client("en"), "/procedures/")
    widget = english[english.index('<aside class="chat-widget"') :]
    assert unmarked_japanese(widget, within="aside") == []
    assert 'for example “<span lang="ja">マイナンバーカードをなくした</span>”.' in widget
    japanese = _page(_client("ja"), "/procedures/")
    assert "話すように書いてください。例：「マイナンバーカードをなくした」" in japanese


def test_staff_faq_pages_mark_what_staff_wrote_on_english_pages(
    faq: Municipality, clerk: User
) -> None:
    Client().post("/assistant/", {"q": "パスポートの申請はどこ？"})  # unanswered: listed
    client = _client("en", clerk)
    listing = _page(client, "/staff/assistant/faq/")
    assert unmarked_japanese(listing) == []
    assert '<td lang="ja">マイナンバーカード</td>' in listing
    # The clerk opens an entry from the list, as the link leads.
    edit_url = listing.split('<a href="/staff/assistant/faq/', 1)[1].split('"', 1)[0]
    form = _page(client, f"/staff/assistant/faq/{edit_url}")
    assert unmarked_japanese(form) == []
    assert 'required lang="ja">' in form  # the answer's textarea
    assert '<option value="gomi" lang' not in form  # English title: no mark
    assert "Large waste collection</option>" in form
    assert 'lang="ja">住民票の写しの交付請求</option>' in form
    preview = _page(
        client,
        f"/staff/assistant/faq/{edit_url}",
        {
            "action": "preview",
            "category": "ごみ",
            "question": "粗大ごみを出したい",
            "answer": "粗大ごみは申込制です。",
            "samples": "粗大ごみを出したい\nマイナンバーカードをなくした",
        },
    )
    assert unmarked_japanese(preview) == []
    for url in ("/staff/assistant/faq/new/", "/staff/assistant/synonyms/", "/staff/assistant/"):
        assert unmarked_japanese(_page(client, url)) == [], url
    dashboard = _page(client, "/staff/assistant/")
    assert '<span lang="ja">パスポートの申請はどこ?</span>' in dashboard  # as logged (NFKC)


def test_japanese_staff_faq_pages_carry_no_marks(faq: Municipality, clerk: User) -> None:
    client = _client("ja", clerk)
    for url in ("/staff/assistant/faq/", "/staff/assistant/synonyms/", "/staff/assistant/"):
        page = _page(client, url)
        assert 'lang="ja"' not in page[page.index("<main") :], url
