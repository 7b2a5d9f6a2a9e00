"""On English pages, what staff and residents wrote in Japanese (catalog texts, form labels
from the definitions, answers, department names) is marked lang="ja" for screen readers,
and our own interface text is English; Japanese pages stay as they were."""

from __future__ import annotations

import pytest
from django.test import Client

from machi.procedures.models import Submission
from machi.testing.applications import Catalog, fill_gomi, start, submit
from machi.testing.marks import unmarked_japanese

pytestmark = pytest.mark.django_db


def _client(language: str) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    return client


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_catalog_category_and_procedure_pages_mark_japanese_content(catalog: Catalog) -> None:
    catalog.certificate.eligibility = "本人または同じ世帯の方"
    catalog.certificate.what_to_bring = ["本人確認書類"]
    catalog.certificate.counter_info = "市民課（市役所本庁舎1階）"
    catalog.certificate.deadline = "随時"
    catalog.certificate.save()
    catalog.gomi.category.description = "粗大ごみ、犬の登録など"
    catalog.gomi.category.save()
    client = _client("en")
    for url in (
        "/procedures/",
        "/procedures/categories/living/",
        "/procedures/categories/certificates/",
        "/procedures/certificate/",
        "/procedures/moving-out/",
        "/procedures/gomi/",
    ):
        assert unmarked_japanese(_page(client, url)) == [], url
    detail = _page(client, "/procedures/certificate/")
    assert '<dd lang="ja">随時</dd>' in detail
    assert '<li lang="ja">本人確認書類</li>' in detail
    catalog_page = _page(client, "/procedures/")
    assert 'For example <span lang="ja">引っ越し</span>' in catalog_page
    assert '<p lang="ja">粗大ごみ、犬の登録など</p>' in catalog_page


def test_japanese_pages_carry_no_marks(catalog: Catalog) -> None:
    client = _client("ja")
    for url in ("/procedures/", "/procedures/categories/living/", "/procedures/certificate/"):
        assert 'lang="ja"' not in _main(_page(client, url)), url


def test_form_steps_answers_and_status_mark_japanese_content(catalog: Catalog) -> None:
    """The test catalog's form has no English labels: they show in Japanese, marked."""
    client = _client("en")
    base = start(client, "gomi")
    fill_gomi(client, base)
    for step in ("items", "where"):
        # The title joins the step and the procedure ("品目 - Large waste collection") and
        # cannot carry a mark; the page shows both, marked.
        page = _page(client, f"{base}/steps/{step}/")
        assert unmarked_japanese(page, title=False) == [], step
    assert '<h1><span lang="ja">収集場所</span></h1>' in page
    assert '<span lang="ja">住所</span> <span class="form-field__required">' in page
    check = _page(client, f"{base}/check/")
    assert unmarked_japanese(check) == []
    assert '<span lang="ja">三重県亀山市本丸町577</span>' in check
    assert submit(client, base).status_code == 302
    submission = Submission.objects.get()
    status = _page(client, f"/applications/{submission.pk}/")
    assert unmarked_japanese(status) == []
    # A date reads in English with its 和暦 in brackets: only the 和暦 is Japanese.
    day = submission.answers["day"]
    assert f'{day} (<span lang="ja">令和' in status


def test_my_applications_mark_dates_and_titles(catalog: Catalog) -> None:
    from machi.testing.applications import make_resident, signed_in

    resident = make_resident(catalog.city)
    client = signed_in(resident)
    client.cookies["django_language"] = "en"
    base = start(client, "gomi")
    fill_gomi(client, base)
    assert submit(client, base).status_code == 302
    start(client, "photo")
    mine = _page(client, "/applications/")
    assert unmarked_japanese(mine) == []
    assert '<td><span lang="ja">写真つきの届出</span></td>' in mine
