"""Catalog search in Japanese: the words residents type find the procedure they mean, in
their own municipality only, and an edit in the admin is found on the next search."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from machi.core.japanese.tokens import READING_MARK, search_tokens
from machi.core.models import Municipality
from machi.procedures.models import Procedure
from machi.procedures.selectors import procedure_search
from machi.procedures.services.catalog import procedure_save
from machi.testing.applications import CATALOG, Catalog, import_catalog
from machi.testing.factories import DepartmentFactory

# -- tokens (no database) ----------------------------------------------------------------


def test_spelling_variants_of_hikkoshi_share_a_token() -> None:
    variants = [set(search_tokens(word)) for word in ("引越し", "引っ越し", "引越")]
    shared = set.intersection(*variants)
    assert "引っ越し" in shared


def test_hiragana_shares_the_reading_token_with_the_kanji() -> None:
    reading = f"{READING_MARK}ヒッコシ"
    assert reading in search_tokens("ひっこし")
    assert reading in search_tokens("引っ越し")


def test_sodaigomi_in_hiragana_and_katakana_meet_the_kanji() -> None:
    kanji = set(search_tokens("粗大ごみ"))
    assert {f"{READING_MARK}ソダイ", f"{READING_MARK}ゴミ"} <= kanji
    assert kanji & set(search_tokens("そだいごみ")) >= {"粗大", "ごみ"}
    assert f"{READING_MARK}ゴミ" in set(search_tokens("粗大ゴミ"))


def test_particles_and_auxiliaries_are_dropped() -> None:
    tokens = search_tokens("住民票の写しを請求します。")
    assert {"住民票", "写し", "請求"} <= set(tokens)
    for particle in ("の", "を", "ます", "する", "。"):
        assert particle not in tokens
    assert search_tokens("が を に は") == []


def test_zenkaku_hankaku_and_case_are_normalised() -> None:
    assert "マイナンバー" in search_tokens("ﾏｲﾅﾝﾊﾞｰ")
    assert search_tokens("ＰＤＦ") == search_tokens("pdf")


def test_empty_and_very_long_texts() -> None:
    assert search_tokens("") == []
    assert search_tokens("   \n  ") == []
    long_text = "住民票の写しを請求します。" * 1000  # more than Sudachi takes at once
    tokens = search_tokens(long_text)
    assert tokens.count("写し") == tokens.count("請求") == 1000
    # the text is read in pieces of 4000 characters: only a word cut there can be lost
    assert tokens.count("住民票") >= 998


# -- searching the catalog ---------------------------------------------------------------

OTHER_CODE = "242071"


def codes(procedures: list[Procedure]) -> list[str]:
    return [p.code for p in procedures]


def search(city: Municipality, query: str) -> list[str]:
    return codes(procedure_search(municipality=city, query=query))


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["引越し", "引っ越し", "ひっこし", "転居", "転出届", "転出"])
def test_moving_out_is_found_by_the_words_residents_use(catalog: Catalog, query: str) -> None:
    found = search(catalog.city, query)
    assert found[:1] == ["moving-out"], found


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["粗大ごみ", "そだいごみ", "粗大ゴミ", "家具"])
def test_sodaigomi_is_found_in_any_script(catalog: Catalog, query: str) -> None:
    found = search(catalog.city, query)
    assert found[:1] == ["gomi"], found


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["住民票", "住民票の写しがほしい", "じゅうみんひょう"])
def test_juminhyo_finds_the_certificate(catalog: Catalog, query: str) -> None:
    found = search(catalog.city, query)
    assert found[:1] == ["certificate"], found


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["パスポート", "xyzzy", "", "   "])
def test_words_in_no_procedure_find_nothing(catalog: Catalog, query: str) -> None:
    assert search(catalog.city, query) == []


@pytest.mark.django_db
def test_search_page_lists_the_results_with_links(catalog: Catalog) -> None:
    response = Client().get("/procedures/", {"q": "引っ越し"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/procedures/moving-out/"' in html
    assert "転出届" in html
    assert 'value="引っ越し"' in html  # the query stays in the box


@pytest.mark.django_db
def test_search_page_says_when_nothing_matched(catalog: Catalog) -> None:
    response = Client().get("/procedures/", {"q": "パスポート"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "No procedure matched." in html
    assert "procedure-list__item" not in html


@pytest.mark.django_db
def test_search_page_without_a_query_shows_no_results_section(catalog: Catalog) -> None:
    response = Client().get("/procedures/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="results-title"' not in html
    assert "No procedure matched." not in html


def save(catalog: Catalog, procedure: Procedure, **values: Any) -> Procedure:
    return procedure_save(
        actor=None,
        municipality=catalog.city,
        code=procedure.code,
        category=procedure.category,
        department=procedure.department,
        values=values,
    )


@pytest.mark.django_db
def test_unpublished_procedures_never_appear(catalog: Catalog) -> None:
    assert search(catalog.city, "住民票") == ["certificate"]  # the index now holds it
    save(catalog, catalog.certificate, is_published=False)
    assert search(catalog.city, "住民票") == []
    assert search(catalog.city, "写し") == []
    page = Client().get("/procedures/", {"q": "住民票"}).content.decode()
    assert "/procedures/certificate/" not in page
    save(catalog, catalog.certificate, is_published=True)
    assert search(catalog.city, "住民票") == ["certificate"]


@pytest.mark.django_db
def test_a_procedure_created_unpublished_is_not_found(catalog: Catalog) -> None:
    procedure_save(
        actor=None,
        municipality=catalog.city,
        code="secret",
        category=catalog.gomi.category,
        department=catalog.kankyo,
        values={"title": "非公開の粗大ごみ手続", "summary": "準備中", "is_published": False},
    )
    assert "secret" not in search(catalog.city, "粗大ごみ")
    assert search(catalog.city, "非公開") == []


@pytest.mark.django_db
def test_an_edited_title_is_searchable_on_the_next_call(catalog: Catalog) -> None:
    assert search(catalog.city, "家電") == []
    save(catalog, catalog.gomi, title="粗大ごみ・家電の収集申込")
    assert search(catalog.city, "家電") == ["gomi"]
    save(catalog, catalog.gomi, title="大型ごみ収集の申込", keywords="")
    assert search(catalog.city, "家電") == []
    assert search(catalog.city, "大型") == ["gomi"]


@pytest.mark.django_db
def test_an_edited_title_shows_on_the_search_page(catalog: Catalog) -> None:
    client = Client()
    assert "procedure-list__item" not in client.get("/procedures/", {"q": "家電"}).content.decode()
    save(catalog, catalog.gomi, title="粗大ごみ・家電の収集申込")
    html = client.get("/procedures/", {"q": "家電"}).content.decode()
    assert re.search(r'href="/procedures/gomi/">粗大ごみ・家電の収集申込<', html)


@pytest.fixture
def other_catalog(catalog: Catalog, other_city: Municipality) -> Municipality:
    """The same catalog for 鈴鹿市, where 粗大ごみ is collected door to door."""
    DepartmentFactory(municipality=other_city, code="210", name="市民課")
    DepartmentFactory(municipality=other_city, code="620", name="廃棄物対策課")
    text = CATALOG.replace('municipality: "242101"', f'municipality: "{OTHER_CODE}"')
    text = text.replace("粗大ごみ収集の申込", "粗大ごみ戸別収集の申込")
    assert text != CATALOG
    import_catalog(text)
    return other_city


@pytest.mark.django_db
def test_another_municipalitys_procedures_never_appear(
    catalog: Catalog, other_catalog: Municipality
) -> None:
    mine = procedure_search(municipality=catalog.city, query="粗大ごみ")
    theirs = procedure_search(municipality=other_catalog, query="粗大ごみ")
    assert mine and theirs
    assert {p.municipality_id for p in mine} == {catalog.city.pk}
    assert {p.municipality_id for p in theirs} == {other_catalog.pk}
    assert mine[0].title == "粗大ごみ収集の申込"
    assert theirs[0].title == "粗大ごみ戸別収集の申込"
    door_to_door = procedure_search(municipality=catalog.city, query="戸別収集")
    assert all("戸別" not in p.title for p in door_to_door)  # 収集 alone finds our own
    assert procedure_search(municipality=other_catalog, query="戸別収集")[0].title == (
        "粗大ごみ戸別収集の申込"
    )
    for query in ("引越し", "住民票", "粗大ごみ", "収集"):
        for procedure in procedure_search(municipality=catalog.city, query=query):
            assert procedure.municipality_id == catalog.city.pk


@pytest.mark.django_db
def test_an_edit_in_another_municipality_does_not_leak(
    catalog: Catalog, other_catalog: Municipality
) -> None:
    search(catalog.city, "粗大ごみ")  # both indexes are built
    search(other_catalog, "粗大ごみ")
    theirs = Procedure.objects.get(municipality=other_catalog, code="gomi")
    procedure_save(
        actor=None,
        municipality=other_catalog,
        code="gomi",
        category=theirs.category,
        department=theirs.department,
        values={"title": "粗大ごみ・家電の戸別収集"},
    )
    assert search(other_catalog, "家電") == ["gomi"]
    assert search(catalog.city, "家電") == []


@pytest.mark.django_db
def test_search_page_of_each_host_shows_its_own_catalog(
    catalog: Catalog, other_catalog: Municipality, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    kameyama = Client().get("/procedures/", {"q": "粗大ごみ"}, HTTP_HOST="localhost")
    suzuka = Client().get("/procedures/", {"q": "粗大ごみ"}, HTTP_HOST="suzuka.example.jp")
    assert "粗大ごみ収集の申込" in kameyama.content.decode()
    assert "戸別収集" not in kameyama.content.decode()
    assert "粗大ごみ戸別収集の申込" in suzuka.content.decode()
    assert "粗大ごみ収集の申込" not in suzuka.content.decode()


@pytest.mark.django_db
def test_a_renamed_category_is_searchable_on_the_next_call(catalog: Catalog) -> None:
    from machi.procedures.services.catalog import category_upsert

    assert search(catalog.city, "リサイクル") == []
    category_upsert(actor=None, municipality=catalog.city, code="living", name="ごみ・リサイクル")
    assert "gomi" in search(catalog.city, "リサイクル")
