"""Public portal pages: search with facets, dataset page, resource page with preview, map
data and history, downloads; drafts, withdrawn datasets and other municipalities are 404.

The test catalog is built through the real services (``portal``); the other page tests
(staff, browser) import it from here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client

from machi.core.models import Department, Municipality
from machi.opendata.models import Dataset, DatasetState, Resource, ResourceVersion
from machi.opendata.services.resources import (
    version_publish_now,
    version_upload,
)
from machi.testing.factories import (
    DatasetFactory,
    DatasetGroupFactory,
    DepartmentFactory,
    ResourceFactory,
    ResourceVersionFactory,
)

pytestmark = pytest.mark.django_db

SHELTERS_V1 = (
    "名称,所在地_連結表記,緯度,経度\n"
    "亀山市役所,三重県亀山市本丸町577,34.85563,136.45153\n"
    "亀山市文化会館,三重県亀山市若山町7-42,34.85132,136.44802\n"
).encode()
SHELTERS_V2 = SHELTERS_V1 + "関町民会館,三重県亀山市関町木崎919-1,34.85021,136.39243\n".encode()
AED_CP932 = "名称,設置場所\n㈱亀山①髙橋商店,1階入口\n".encode("cp932")
# An AED list in the current standard layout with mistakes people make: a time without its
# leading zero, half-width kana, an empty required cell, full-width digits, a wrong check
# digit, a repeated ID and a latitude outside Japan.
AED_WITH_ERRORS = (
    "全国地方公共団体コード,ID,地方公共団体名,名称,名称_カナ,所在地_連結表記,設置位置,"
    "緯度,経度,開始時間,終了時間,電話番号\n"
    "242101,AED001,三重県亀山市,亀山市役所,カメヤマシヤクショ,三重県亀山市本丸町577,"
    "1階正面玄関,34.85563,136.45153,8:30,17:15,0595-82-1111\n"
    "242101,AED002,三重県亀山市,亀山市文化会館,ｶﾒﾔﾏｼﾌﾞﾝｶｶｲｶﾝ,三重県亀山市若山町7-42,,"
    "３４．８５１３２,136.44802,９:００,22:00,0595-82-7111\n"
    "242102,AED002,三重県亀山市,関支所,セキシショ,三重県亀山市関町木崎919-1,玄関,"
    "99.1,136.39243,08:30,17:15,0595-96-1212\n"
).encode()


@dataclass
class Portal:
    city: Municipality
    bousai: Department
    kenko: Department
    shelters: Dataset
    shelter_csv: Resource
    aed: Dataset
    aed_csv: Resource
    draft: Dataset
    withdrawn: Dataset


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def build_portal(city: Municipality) -> Portal:
    """Two published datasets (one with a map and two versions, one in CP932), a draft and a
    withdrawn one, in 亀山市; made by the services like staff would."""
    somu = DepartmentFactory(municipality=city, code="100", name="総務部")
    bousai = DepartmentFactory(municipality=city, code="110", name="防災安全課", parent=somu)
    kenko = DepartmentFactory(municipality=city, code="310", name="健康づくり課")
    disaster = DatasetGroupFactory(
        municipality=city, name="bousai", title="防災", title_en="Disaster"
    )
    health = DatasetGroupFactory(
        municipality=city, name="kenko", title="健康・福祉", title_en="Health"
    )
    shelters = DatasetFactory(
        municipality=city,
        name="hinanjo",
        title="指定避難所一覧",
        title_en="Designated shelters",
        department=bousai,
        groups=[disaster],
        state=DatasetState.ACTIVE,
        notes="市が指定した避難所の名称、所在地と位置です。",
        tags=["防災", "避難所"],
        license_id="cc-by-4.0",
        frequency="annual",
        contact_name="防災安全課",
        contact_email="bousai@city.kameyama.example.jp",
        contact_phone="0595-84-5000",
        spatial="亀山市全域",
    )
    shelter_csv = ResourceFactory(dataset=shelters, name="指定避難所一覧（CSV）", format="CSV")
    ResourceVersionFactory(resource=shelter_csv, filename="指定避難所一覧.csv", content=SHELTERS_V1)
    ResourceVersionFactory(
        resource=shelter_csv,
        filename="指定避難所一覧.csv",
        content=SHELTERS_V2,
        change_note="関町民会館を追加",
    )
    aed = DatasetFactory(
        municipality=city,
        name="aed",
        title="AED設置箇所一覧",
        department=kenko,
        groups=[health],
        state=DatasetState.ACTIVE,
        tags=["AED", "医療"],
        license_id="pdl-1.0",
    )
    aed_csv = ResourceFactory(dataset=aed, name="AED設置箇所", format="CSV")
    ResourceVersionFactory(resource=aed_csv, filename="aed.csv", content=AED_CP932)
    draft = DatasetFactory(
        municipality=city, name="shitagaki", title="避難所の下書き", department=bousai
    )
    withdrawn = DatasetFactory(
        municipality=city,
        name="kyu-hinanjo",
        title="旧避難所一覧",
        department=bousai,
        state=DatasetState.DELETED,
    )
    return Portal(city, bousai, kenko, shelters, shelter_csv, aed, aed_csv, draft, withdrawn)


@pytest.fixture
def portal(city: Municipality) -> Portal:
    return build_portal(city)


def english() -> Client:
    """A visitor whose browser asks for English (to read machi's own wording)."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def _results(page: str) -> list[str]:
    block = page.split('id="od-results"')[1].split("</ol>")[0]
    return re.findall(
        r'class="procedure-list__title" href="[^"]+"(?: lang="ja")?>([^<]+)</a>', block
    )


# --- search -------------------------------------------------------------------------------


def test_search_finds_japanese_partial_words_and_only_published_datasets(
    portal: Portal,
) -> None:
    response = Client().get("/opendata/", {"q": "避難所"})
    page = response.content.decode()
    assert response.status_code == 200
    assert _results(page) == ["指定避難所一覧"]  # not the draft 避難所の下書き, not 旧避難所一覧
    assert "AED設置箇所一覧" not in page.split('id="od-results"')[1]
    everything = Client().get("/opendata/").content.decode()
    assert sorted(_results(everything)) == ["AED設置箇所一覧", "指定避難所一覧"]


def test_search_shows_count_organisation_formats_and_the_same_search_in_the_api(
    portal: Portal,
) -> None:
    page = english().get("/opendata/", {"q": "避難所"}).content.decode()
    assert "1 dataset found" in page
    item = page.split('id="od-results"')[1].split("</li>")[0]
    assert "総務部 防災安全課" in item
    assert '<span class="od-format">CSV</span>' in item
    assert "市が指定した避難所" in item
    api = re.search(r'href="(/api/3/action/package_search\?[^"]+)"', page)
    assert api is not None
    assert "q=%E9%81%BF%E9%9B%A3%E6%89%80" in api[1] and "rows=20" in api[1]


def test_facets_show_names_with_counts_and_narrow_the_results(portal: Portal) -> None:
    page = Client().get("/opendata/").content.decode()
    organisations = page.split('id="od-facet-list-organization"')[1].split("</ul>")[0]
    assert "総務部 防災安全課" in organisations and "健康づくり課" in organisations
    assert "(1)" in organisations
    groups = page.split('id="od-facet-list-groups"')[1].split("</ul>")[0]
    assert "防災" in groups and "健康・福祉" in groups
    licences = page.split('id="od-facet-list-license_id"')[1].split("</ul>")[0]
    assert "クリエイティブ・コモンズ 表示 4.0 国際" in licences
    assert "公共データ利用規約（第1.0版）" in licences
    link = re.search(r'href="(\?[^"]*organization=310[^"]*)"', organisations)
    assert link is not None
    narrowed = Client().get("/opendata/" + link[1].replace("&amp;", "&")).content.decode()
    assert _results(narrowed) == ["AED設置箇所一覧"]
    # The picked value is marked, and picking it again removes the condition.
    active = narrowed.split('id="od-facet-list-organization"')[1].split("</ul>")[0]
    assert 'aria-current="true"' in active
    remove = re.search(r'<a class="od-chip" href="([^"]*)"', narrowed)
    assert remove is not None
    again = Client().get("/opendata/" + remove[1].replace("&amp;", "&")).content.decode()
    assert len(_results(again)) == 2
    # The API link carries the same filter.
    assert "fq=organization%3A%22310%22" in narrowed


def test_facets_combine_with_words(portal: Portal) -> None:
    page = Client().get("/opendata/", {"q": "一覧", "tags": "AED"}).content.decode()
    assert _results(page) == ["AED設置箇所一覧"]
    page = Client().get("/opendata/", {"q": "避難所", "groups": "kenko"}).content.decode()
    assert _results(page) == []


def test_a_query_the_search_cannot_read_is_a_clear_400(portal: Portal) -> None:
    response = english().get("/opendata/", {"q": "http://example.jp"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page and "could not be understood" in page


def test_paging_twenty_per_page(portal: Portal) -> None:
    for n in range(25):
        DatasetFactory(
            municipality=portal.city,
            name=f"toukei-{n:02d}",
            title=f"統計表{n:02d}",
            department=portal.kenko,
            state=DatasetState.ACTIVE,
        )
    first = english().get("/opendata/", {"q": "統計"}).content.decode()
    assert "25 datasets found" in first and len(_results(first)) == 20
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = english().get("/opendata/", {"q": "統計", "page": "2"}).content.decode()
    assert len(_results(second)) == 5
    assert "start=20" in second
    assert english().get("/opendata/", {"page": "abc"}).status_code == 200


def test_search_works_in_english(portal: Portal) -> None:
    page = english().get("/opendata/").content.decode()
    assert "Designated shelters" in page  # the English title when there is one
    groups = page.split('id="od-facet-list-groups"')[1].split("</ul>")[0]
    assert "Disaster" in groups
    licences = page.split('id="od-facet-list-license_id"')[1].split("</ul>")[0]
    assert "Creative Commons Attribution 4.0 International" in licences


# --- dataset ------------------------------------------------------------------------------


def test_dataset_page_shows_the_description_resources_and_machine_links(portal: Portal) -> None:
    response = english().get("/opendata/dataset/hinanjo/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Designated shelters</h1>" in page
    assert "市が指定した避難所の名称" in page
    assert 'href="/opendata/?tags=%E9%98%B2%E7%81%BD"' in page  # tag 防災 links to the search
    assert "?groups=bousai" in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in page
    assert "yearly" in page and "亀山市全域" in page
    assert "mailto:bousai@city.kameyama.example.jp" in page and "tel:0595-84-5000" in page
    table = page.split('id="od-resources"')[1].split("</table>")[0]
    assert "指定避難所一覧（CSV）" in table and "CSV" in table and "UTF-8" in table
    resource_url = f"/opendata/dataset/hinanjo/resource/{portal.shelter_csv.pk}/"
    assert f'href="{resource_url}"' in table
    assert f'href="{resource_url}download/"' in table
    assert (
        '<link rel="alternate" type="application/ld+json" '
        'href="/opendata/dataset/hinanjo.jsonld"' in page
    )
    assert 'rel="alternate" type="text/turtle" href="/opendata/dataset/hinanjo.ttl"' in page
    assert "/api/3/action/package_show?id=hinanjo" in page


def test_dataset_page_shows_the_cp932_encoding(portal: Portal) -> None:
    page = Client().get("/opendata/dataset/aed/").content.decode()
    assert "Shift_JIS (CP932)" in page
    assert "公共データ利用規約（第1.0版）" in page


@pytest.mark.parametrize("name", ["shitagaki", "kyu-hinanjo", "nai", "Bad Name"])
def test_drafts_withdrawn_and_unknown_datasets_are_404(portal: Portal, name: str) -> None:
    assert Client().get(f"/opendata/dataset/{name}/").status_code == 404


def test_another_municipality_sees_only_its_own_catalog(
    portal: Portal, other_city: Municipality, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "suzuka.example.jp"]
    suzuka = DepartmentFactory(municipality=other_city, code="110", name="防災危機管理課")
    DatasetFactory(
        municipality=other_city,
        name="suzuka-hinanjo",
        title="鈴鹿市避難所一覧",
        department=suzuka,
        state=DatasetState.ACTIVE,
    )
    there = Client(HTTP_HOST="suzuka.example.jp")
    assert _results(there.get("/opendata/", {"q": "避難所"}).content.decode()) == [
        "鈴鹿市避難所一覧"
    ]
    assert there.get("/opendata/dataset/hinanjo/").status_code == 404
    resource_page = f"/opendata/dataset/hinanjo/resource/{portal.shelter_csv.pk}/"
    assert there.get(resource_page).status_code == 404
    assert there.get(resource_page + "download/").status_code == 404
    here = Client()
    assert "鈴鹿市避難所一覧" not in here.get("/opendata/").content.decode()
    assert here.get("/opendata/dataset/suzuka-hinanjo/").status_code == 404


# --- resource -----------------------------------------------------------------------------


def test_resource_page_previews_the_table_accessibly(portal: Portal) -> None:
    url = f"/opendata/dataset/hinanjo/resource/{portal.shelter_csv.pk}/"
    page = english().get(url).content.decode()
    region = re.search(r'<div class="table-scroll od-preview"[^>]*>', page)
    assert region is not None
    assert 'role="region"' in region[0] and 'tabindex="0"' in region[0]
    assert 'aria-labelledby="od-preview-caption"' in region[0]
    table = page.split('id="od-preview"')[1].split("</table>")[0]
    assert '<caption id="od-preview-caption">' in table
    assert [h for h in re.findall(r'<th scope="col" lang="ja">([^<]+)</th>', table)] == [
        "名称",
        "所在地_連結表記",
        "緯度",
        "経度",
    ]
    assert table.count("<tr>") == 4  # header and three rows
    assert "関町民会館" in table
    assert "3 rows in all" in page


def test_resource_page_passes_map_points_as_json_without_inline_script(portal: Portal) -> None:
    url = f"/opendata/dataset/hinanjo/resource/{portal.shelter_csv.pk}/"
    page = Client().get(url).content.decode()
    data = re.search(r'<script id="od-map-data" type="application/json">(.*?)</script>', page)
    assert data is not None
    payload = json.loads(data[1])
    assert payload["tiles"] == "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"
    assert "地理院タイル" in payload["attribution"]
    assert {p["name"] for p in payload["points"]} == {"亀山市役所", "亀山市文化会館", "関町民会館"}
    assert payload["points"][0] == {"lat": 34.85563, "lon": 136.45153, "name": "亀山市役所"}
    assert 'id="od-map"' in page and "vendor/leaflet/leaflet.js" in page
    assert "opendata/map.js" in page
    # Every script is a file (the CSP allows no inline script); the JSON is data.
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs, _ in scripts)
    # The tile host may be loaded as images.
    csp = Client().get(url).headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://cyberjapandata.gsi.go.jp" in csp


def test_a_table_without_coordinates_has_no_map(portal: Portal) -> None:
    url = f"/opendata/dataset/aed/resource/{portal.aed_csv.pk}/"
    page = Client().get(url).content.decode()
    assert "㈱亀山①髙橋商店" in page  # CP932 decoded right, 機種依存文字 kept
    assert 'id="od-map"' not in page and "leaflet" not in page


def test_resource_page_lists_the_version_history_and_api_examples(portal: Portal) -> None:
    base = f"/opendata/dataset/hinanjo/resource/{portal.shelter_csv.pk}/"
    page = english().get(base).content.decode()
    history = page.split('id="od-history"')[1].split("</table>")[0]
    assert history.index(f"{base}v2/download/") < history.index(f"{base}v1/download/")
    assert "関町民会館を追加" in history
    assert "current" in history
    assert f"/api/3/action/datastore_search?resource_id={portal.shelter_csv.pk}" in page
    assert f"/api/3/action/resource_show?id={portal.shelter_csv.pk}" in page


def test_resource_of_another_dataset_or_unknown_is_404(portal: Portal) -> None:
    client = Client()
    assert client.get(f"/opendata/dataset/aed/resource/{portal.shelter_csv.pk}/").status_code == (
        404
    )
    unknown = "00000000-0000-4000-8000-000000000000"
    assert client.get(f"/opendata/dataset/hinanjo/resource/{unknown}/").status_code == 404
    draft_csv = ResourceFactory(dataset=portal.draft, name="下書き", format="CSV")
    assert client.get(f"/opendata/dataset/shitagaki/resource/{draft_csv.pk}/").status_code == 404


# --- downloads ----------------------------------------------------------------------------


def test_download_serves_the_current_file_with_its_name(portal: Portal) -> None:
    base = f"/opendata/dataset/hinanjo/resource/{portal.shelter_csv.pk}/"
    response = Client().get(base + "download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SHELTERS_V2
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="hinanjo-v2.csv"')
    star = re.search(r"filename\*=UTF-8''(\S+)", disposition)
    assert star is not None and unquote(star[1]) == "指定避難所一覧.csv"
    assert response["Content-Length"] == str(len(SHELTERS_V2))


def test_download_of_an_older_version_and_of_cp932(portal: Portal) -> None:
    base = f"/opendata/dataset/hinanjo/resource/{portal.shelter_csv.pk}/"
    old = Client().get(base + "v1/download/")
    assert old.status_code == 200 and b"".join(old.streaming_content) == SHELTERS_V1
    aed = Client().get(f"/opendata/dataset/aed/resource/{portal.aed_csv.pk}/download/")
    assert b"".join(aed.streaming_content) == AED_CP932
    assert aed["Content-Type"] == "text/csv; charset=Windows-31J"


def test_unpublished_versions_are_not_downloadable(
    portal: Portal, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        pending = version_upload(
            actor=None,
            resource=portal.shelter_csv,
            filename="new.csv",
            content=SHELTERS_V1 + "新しい避難所,亀山市,34.9,136.4\n".encode(),
        )
    pending.refresh_from_db()
    assert pending.number == 3 and pending.status == "checked"
    base = f"/opendata/dataset/hinanjo/resource/{portal.shelter_csv.pk}/"
    client = Client()
    assert client.get(base + "v3/download/").status_code == 404
    assert client.get(base + "v9/download/").status_code == 404
    current = client.get(base + "download/")
    assert b"".join(current.streaming_content) == SHELTERS_V2  # still version 2
    assert "新しい避難所" not in client.get(base).content.decode()
    assert ResourceVersion.objects.filter(resource=portal.shelter_csv).count() == 3


def test_home_and_footer_link_to_the_portal(portal: Portal) -> None:
    page = Client().get("/").content.decode()
    assert page.count('href="/opendata/"') >= 2


def test_long_facets_show_ten_and_fold_the_rest(portal: Portal) -> None:
    DatasetFactory(
        municipality=portal.city,
        name="tags",
        title="タグの多いデータ",
        department=portal.kenko,
        state=DatasetState.ACTIVE,
        tags=[f"タグ{n:02d}" for n in range(12)],
    )
    page = Client().get("/opendata/", {"tags": "タグ11"}).content.decode()
    tags = page.split('id="od-facet-list-tags"')[1].split("</section>")[0]
    shown, folded = tags.split("<details")
    assert shown.count("<li>") == 11  # ten, and the picked one from the rest
    assert "タグ11" in shown and 'aria-current="true"' in shown
    assert folded.count("<li>") == 1 and "タグ10" in folded


# --- languages ----------------------------------------------------------------------------


def test_english_pages_mark_what_staff_wrote_as_japanese(portal: Portal) -> None:
    """On English pages the Japanese that staff wrote (titles without an English one,
    descriptions, tags, publishers, the file's columns and rows) carries lang="ja", so
    screen readers read it in Japanese; the search hint's examples too."""
    search = english().get("/opendata/").content.decode()
    assert (
        'for example, <span lang="ja">避難所</span> finds <span lang="ja">指定避難所一覧</span>.'
        in search
    )
    assert 'lang="ja">AED設置箇所一覧</a>' in search  # no English title
    assert ">Designated shelters</a>" in search  # its English title, unmarked
    assert '<p class="procedure-list__summary" lang="ja">市が指定した避難所' in search
    assert 'Publisher: <span lang="ja">総務部 防災安全課</span>' in search
    tags = search.split('id="od-facet-list-tags"')[1].split("</ul>")[0]
    assert '<span lang="ja">防災</span>' in tags
    dataset = english().get("/opendata/dataset/hinanjo/").content.decode()
    assert '<div class="od-notes" lang="ja">' in dataset
    assert '<dd lang="ja">総務部 防災安全課</dd>' in dataset
    assert '<dd lang="ja">亀山市全域</dd>' in dataset
    assert re.search(r'<a class="od-chip" href="[^"]+" lang="ja">防災</a>', dataset)
    resource = english().get(f"/opendata/dataset/hinanjo/resource/{portal.shelter_csv.pk}/")
    page = resource.content.decode()
    assert '<h1 lang="ja">指定避難所一覧（CSV）</h1>' in page
    assert '<tbody lang="ja">' in page
    assert '<td lang="ja">関町民会館を追加</td>' in page  # the change note
    assert "from the latitude (緯度) and longitude (経度) columns" in page


def test_japanese_pages_carry_no_language_marks(portal: Portal) -> None:
    for path in (
        "/opendata/",
        "/opendata/dataset/hinanjo/",
        f"/opendata/dataset/hinanjo/resource/{portal.shelter_csv.pk}/",
    ):
        page = Client().get(path).content.decode()
        main = page.split("<main")[1].split("</main>")[0]
        assert " lang=" not in main, path
    search = Client().get("/opendata/").content.decode()
    assert "例えば「避難所」で「指定避難所一覧」が見つかります。" in search


def test_machis_own_change_note_is_shown_in_the_pages_language(portal: Portal) -> None:
    """Versions machi generates carry its own note; people read it in their language."""
    from machi.opendata.models import GENERATED_CHANGE_NOTE

    version_publish_now(
        actor=None,
        resource=portal.shelter_csv,
        filename="指定避難所一覧.csv",
        content=SHELTERS_V2 + "加太公民館,三重県亀山市加太市場,34.8,136.3\n".encode(),
        change_note=GENERATED_CHANGE_NOTE,
    )
    url = f"/opendata/dataset/hinanjo/resource/{portal.shelter_csv.pk}/"
    history = english().get(url).content.decode().split('id="od-history"')[1]
    assert "<td>updated automatically by machi</td>" in history
    history = Client().get(url).content.decode().split('id="od-history"')[1]
    assert "<td>自動生成による更新</td>" in history
