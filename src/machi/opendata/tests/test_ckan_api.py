"""The CKAN-compatible Action API, driven by the real ``ckanapi`` client (and plain HTTP)
against a live server, as a Japanese open data portal's users would call it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from ckanapi import CKANAPIError, NotAuthorized, NotFound, RemoteCKAN, SearchError, SearchQueryError
from ckanapi import ValidationError as CKANValidationError

from machi.opendata.models import Dataset, DatasetState
from machi.opendata.services.catalog import dataset_set_state
from machi.opendata.tests.conftest import HINANJO_HEADER, OpenCatalog, hinanjo_csv, make_dataset

pytestmark = pytest.mark.django_db(transaction=True)

#: The catalog's published datasets, with the オープンデータ一覧 machi generates from them.
PUBLISHED = {
    "hinanjo-ichiran",
    "kinkyu-hinanbasho",
    "aed-ichiran",
    "hoikusho-ichiran",
    "koshu-toilet",
    "opendata-list",
}


@pytest.fixture(params=["post", "get"])
def ckan(
    request: pytest.FixtureRequest, live_server: Any, catalog: OpenCatalog
) -> Iterator[RemoteCKAN]:
    """ckanapi as a client would use it: POST with JSON (its default) or GET only. Its
    keep-alive connection is closed before the live server stops."""
    client = RemoteCKAN(live_server.url, get_only=request.param == "get")
    yield client
    client.close()


def get_mode(ckan: RemoteCKAN) -> bool:
    return bool(ckan.get_only)


def as_param(ckan: RemoteCKAN, value: Any) -> Any:
    """Dicts travel as JSON text in a query string (as with CKAN itself)."""
    return json.dumps(value, ensure_ascii=False) if get_mode(ckan) else value


def call(live_server: Any, path: str, **kwargs: Any) -> requests.Response:
    method = "post" if "json" in kwargs or "data" in kwargs else "get"
    return requests.request(method, f"{live_server.url}{path}", timeout=30, **kwargs)


# --- every action through ckanapi ----------------------------------------------------------


def test_status_show(ckan: RemoteCKAN, live_server: Any) -> None:
    status = ckan.action.status_show()
    assert status["ckan_version"].startswith("2.11")
    assert "亀山市" in status["site_title"]
    assert status["site_url"] == live_server.url
    assert status["locale_default"] == "ja"
    assert "datastore" in status["extensions"]


def test_package_list_names_only_published_datasets(ckan: RemoteCKAN) -> None:
    names = ckan.action.package_list()
    assert names == sorted(PUBLISHED)
    assert ckan.action.package_list(limit=2, offset=1) == sorted(PUBLISHED)[1:3]
    with pytest.raises(CKANValidationError) as error:
        ckan.action.package_list(limit=-1)
    assert error.value.error_dict["limit"] == ["Must be a natural number"]


def test_package_show_gives_what_a_harvester_reads(
    ckan: RemoteCKAN, live_server: Any, catalog: OpenCatalog
) -> None:
    dataset = catalog.datasets["hinanjo"]
    package = ckan.action.package_show(id="hinanjo-ichiran")
    assert ckan.action.package_show(id=str(dataset.pk)) == package
    assert package["id"] == str(dataset.pk)
    assert package["title"] == "指定避難所一覧"
    assert package["type"] == "dataset" and package["state"] == "active"
    assert package["private"] is False
    assert package["license_id"] == "cc-by-4.0"
    assert package["license_title"] == "クリエイティブ・コモンズ 表示 4.0 国際"
    assert package["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert package["isopen"] is True
    assert package["maintainer_email"] == "bousai@city.kameyama.example.jp"
    created = dt.datetime.fromisoformat(package["metadata_created"])
    modified = dt.datetime.fromisoformat(package["metadata_modified"])
    assert created <= modified <= dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert package["organization"]["name"] == "110"
    assert package["organization"]["title"] == "総務部 防災安全課"
    assert package["organization"]["is_organization"] is True
    assert package["owner_org"] == package["organization"]["id"]
    assert [g["name"] for g in package["groups"]] == ["bousai"]
    assert package["groups"][0]["title"] == "防災"
    assert [t["name"] for t in package["tags"]] == ["防災", "避難所"]
    assert package["num_tags"] == 2
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["frequency"] == "annual"
    assert extras["spatial"] == "三重県亀山市"
    assert extras["temporal_start"] == "2024-04-01"
    assert extras["contact_phone"] == "0595-84-5000"
    assert extras["title_en"] == "Designated evacuation shelters"
    assert package["num_resources"] == 3
    csv, pdf, link = package["resources"]
    assert [r["position"] for r in package["resources"]] == [0, 1, 2]
    assert csv["name"] == "指定避難所一覧（CSV）"
    assert csv["format"] == "CSV"
    assert csv["datastore_active"] is True
    assert csv["size"] == len(hinanjo_csv())
    assert csv["hash"] == hashlib.sha256(hinanjo_csv()).hexdigest()
    assert csv["encoding"] == "utf-8"
    assert csv["url"].startswith(f"{live_server.url}/opendata/dataset/hinanjo-ichiran/resource/")
    assert csv["package_id"] == package["id"]
    assert csv["last_modified"] is not None
    assert pdf["format"] == "PDF" and pdf["datastore_active"] is False
    assert link["url"] == "https://www.pref.mie.lg.jp/bousai/"
    assert link["datastore_active"] is False
    download = requests.get(csv["url"], timeout=30)
    assert download.status_code == 200
    assert download.content == hinanjo_csv()


def test_package_show_of_missing_draft_or_withdrawn_dataset_is_not_found(
    ckan: RemoteCKAN, other_catalog: Dataset
) -> None:
    for key in ("no-such-dataset", "hinanjo-shitagaki", "kyu-hinanjo", "suzuka-hinanjo"):
        with pytest.raises(NotFound):
            ckan.action.package_show(id=key)
    with pytest.raises(NotFound):
        ckan.action.package_show(id=str(other_catalog.pk))
    with pytest.raises(CKANValidationError) as error:
        ckan.action.package_show()
    assert error.value.error_dict["id"] == ["Missing value"]


def test_package_search_finds_japanese_partial_words(
    ckan: RemoteCKAN, other_catalog: Dataset
) -> None:
    found = ckan.action.package_search(q="避難所")
    assert found["count"] == 1
    assert [p["name"] for p in found["results"]] == ["hinanjo-ichiran"]
    assert found["results"][0]["title"] == "指定避難所一覧"
    assert found["results"][0]["num_resources"] == 3
    assert {p["name"] for p in ckan.action.package_search(q="避難")["results"]} == {
        "hinanjo-ichiran",
        "kinkyu-hinanbasho",
    }
    assert ckan.action.package_search(q="ＡＥＤ")["results"][0]["name"] == "aed-ichiran"
    everything = ckan.action.package_search()
    assert everything["count"] == len(PUBLISHED)
    assert everything["sort"] == "score desc, metadata_modified desc"
    assert {p["name"] for p in everything["results"]} == PUBLISHED


def test_package_search_facets_count_organisations_and_tags(ckan: RemoteCKAN) -> None:
    found = ckan.action.package_search(**{"facet.field": ["organization", "tags"]})
    organizations = found["search_facets"]["organization"]
    assert organizations["title"] == "organization"
    assert organizations["items"][0] == {
        "count": 2,
        "display_name": "総務部 防災安全課",
        "name": "110",
    }
    assert {i["name"]: i["count"] for i in organizations["items"]} == {
        "110": 2,
        "220": 1,
        "310": 1,
        "410": 1,
        "820": 1,
    }
    tags = {i["name"]: i["count"] for i in found["search_facets"]["tags"]["items"]}
    assert tags["防災"] == 2 and tags["子育て"] == 1
    assert found["facets"]["organization"]["110"] == 2
    limited = ckan.action.package_search(
        q="避難", **{"facet.field": ["groups", "license_id"], "facet.limit": 1}
    )
    assert limited["search_facets"]["groups"]["items"] == [
        {"count": 2, "display_name": "防災", "name": "bousai"}
    ]
    assert len(limited["search_facets"]["license_id"]["items"]) == 1
    assert ckan.action.package_search(q="避難")["search_facets"] == {}


def test_package_search_filters_sorts_and_picks_fields(ckan: RemoteCKAN) -> None:
    by_org = ckan.action.package_search(fq='organization:"110"', sort="name asc")
    assert [p["name"] for p in by_org["results"]] == ["hinanjo-ichiran", "kinkyu-hinanbasho"]
    both = ckan.action.package_search(fq_list=["groups:bousai", "tags:医療"])
    assert [p["name"] for p in both["results"]] == ["aed-ichiran"]
    assert ckan.action.package_search(q="tags:保育")["results"][0]["name"] == "hoikusho-ichiran"
    assert ckan.action.package_search(fq="-groups:bousai")["count"] == 3
    owner = ckan.action.organization_show(id="110")["id"]  # the way CKAN's docs page orgs
    assert ckan.action.package_search(fq=f"owner_org:{owner}", rows=1000)["count"] == 2
    names = ckan.action.package_search(sort="name desc", rows=2)["results"]
    assert [p["name"] for p in names] == sorted(PUBLISHED, reverse=True)[:2]
    picked = ckan.action.package_search(q="避難所", fl=["name", "title"])["results"]
    assert picked == [{"name": "hinanjo-ichiran", "title": "指定避難所一覧"}]
    picked = ckan.action.package_search(q="避難所", fl="name,title")["results"]
    assert picked == [{"name": "hinanjo-ichiran", "title": "指定避難所一覧"}]


def test_package_search_pages_like_ckan(ckan: RemoteCKAN, catalog: OpenCatalog) -> None:
    for n in range(5):  # 11 with the 6 published
        make_dataset(catalog.city, catalog.departments["kanko"], f"kanko-{n}", f"観光統計 {n}")
    everything = ckan.action.package_search()
    assert everything["count"] == 11
    assert len(everything["results"]) == 10
    last = ckan.action.package_search(rows=5, start=10)
    assert len(last["results"]) == 1
    seen: list[str] = []
    while len(seen) < 11:  # the way `ckanapi search datasets` pages
        page = ckan.action.package_search(rows=4, start=len(seen), sort="name asc")
        seen += [p["name"] for p in page["results"]]
    assert seen == sorted(seen) and len(set(seen)) == 11
    assert len(ckan.action.package_search(rows=10**9)["results"]) == 11  # capped, as CKAN
    assert ckan.action.package_search(rows=0)["results"] == []


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"rows": -1}, "rows", "Must be a natural number"),
        ({"rows": "ten"}, "rows", "Invalid integer"),
        ({"start": -1}, "start", "Must be a natural number"),
        ({"start": "1.5"}, "start", "Invalid integer"),
        ({"facet.limit": "all"}, "facet.limit", "Invalid integer"),
        ({"facet.field": "notjson"}, "facet.field", "Could not parse as valid JSON"),
    ],
)
def test_package_search_bad_numbers_are_validation_errors(
    ckan: RemoteCKAN, params: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(CKANValidationError) as error:
        ckan.action.package_search(**params)
    assert error.value.error_dict[field] == [message]
    assert error.value.error_dict["__type"] == "Validation Error"


def test_package_search_query_and_parameter_errors(ckan: RemoteCKAN) -> None:
    for fq in ('tags:("防災"', "unknown_field:x", "{!lucene}tags:防災"):
        with pytest.raises(SearchQueryError):
            ckan.action.package_search(fq=fq)
    with pytest.raises(SearchError) as error:
        ckan.action.package_search(q="避難所", colour="blue")
    assert "colour" in str(error.value)
    for sort in ("metadata_modified", "colour desc", "name sideways"):
        with pytest.raises(SearchError):
            ckan.action.package_search(sort=sort)
    with pytest.raises(SearchError):
        ckan.action.package_search(**{"facet.field": as_param(ckan, ["colour"])})


def test_package_search_never_shows_drafts_withdrawn_or_other_cities(
    ckan: RemoteCKAN, catalog: OpenCatalog, other_catalog: Dataset
) -> None:
    found = ckan.action.package_search(q="避難所", include_drafts=True, include_private=True)
    assert [p["name"] for p in found["results"]] == ["hinanjo-ichiran"]
    assert ckan.action.package_search(fq="state:draft")["count"] == 0
    assert ckan.action.package_search(q="鈴鹿")["count"] == 0
    dataset_set_state(actor=None, dataset=catalog.datasets["kinkyu"], state=DatasetState.DELETED)
    assert "kinkyu-hinanbasho" not in ckan.action.package_list()
    assert ckan.action.package_search(q="避難")["count"] == 1
    dataset_set_state(actor=None, dataset=catalog.datasets["draft"], state=DatasetState.ACTIVE)
    assert ckan.action.package_search(q="避難所")["count"] == 2


def test_organization_list_and_show(ckan: RemoteCKAN) -> None:
    assert sorted(ckan.action.organization_list()) == ["110", "220", "310", "410", "820"]
    assert ckan.action.organization_list(sort="name desc", limit=2) == ["820", "410"]
    records = ckan.action.organization_list(all_fields=True, sort="package_count desc")
    assert records[0]["name"] == "110"
    assert records[0]["title"] == "総務部 防災安全課"
    assert records[0]["package_count"] == 2
    assert records[0]["type"] == "organization"
    assert ckan.action.organization_list(q="子ども") == ["220"]
    organization = ckan.action.organization_show(id="110", include_datasets=True)
    assert organization["title"] == "総務部 防災安全課"
    assert organization["package_count"] == 2
    assert {p["name"] for p in organization["packages"]} == {
        "hinanjo-ichiran",
        "kinkyu-hinanbasho",
    }
    assert "packages" not in ckan.action.organization_show(id=organization["id"])
    for missing in ("999", "100"):  # 総務部 itself publishes nothing
        with pytest.raises(NotFound):
            ckan.action.organization_show(id=missing)
    with pytest.raises(CKANValidationError) as error:
        ckan.action.organization_list(sort="colour")
    assert "sort" in error.value.error_dict


def test_group_list_and_show(ckan: RemoteCKAN) -> None:
    assert ckan.action.group_list(sort="name asc") == [
        "bousai",
        "gyozaisei",
        "kanko",
        "kosodate",
    ]
    records = ckan.action.group_list(all_fields=True, sort="package_count desc")
    assert (records[0]["name"], records[0]["title"], records[0]["package_count"]) == (
        "bousai",
        "防災",
        3,
    )
    group = ckan.action.group_show(id="bousai", include_datasets=True)
    assert group["package_count"] == 3
    assert {p["name"] for p in group["packages"]} == {
        "hinanjo-ichiran",
        "kinkyu-hinanbasho",
        "aed-ichiran",
    }
    assert ckan.action.group_show(id=group["id"])["name"] == "bousai"
    with pytest.raises(NotFound):
        ckan.action.group_show(id="no-such-group")


def test_tag_list_and_license_list(ckan: RemoteCKAN) -> None:
    tags = ckan.action.tag_list()
    assert "避難所" in tags and "保育" in tags
    assert tags == sorted(tags)
    assert ckan.action.tag_list(query="避難") == ["避難場所", "避難所"]
    records = ckan.action.tag_list(query="保育", all_fields=True)
    assert records[0]["name"] == "保育" and records[0]["display_name"] == "保育"
    licenses = {lic["id"]: lic for lic in ckan.action.license_list()}
    assert licenses["pdl-1.0"]["title"] == "公共データ利用規約（第1.0版）"
    assert licenses["cc-by-4.0"]["url"] == "https://creativecommons.org/licenses/by/4.0/"


def test_resource_show(ckan: RemoteCKAN, catalog: OpenCatalog, other_catalog: Dataset) -> None:
    csv = catalog.resources["csv"]
    resource = ckan.action.resource_show(id=str(csv.pk))
    assert resource["id"] == str(csv.pk)
    assert resource["package_id"] == str(catalog.datasets["hinanjo"].pk)
    assert resource["datastore_active"] is True
    assert resource["version"] == 1
    package = ckan.action.package_show(id="hinanjo-ichiran")
    assert resource == package["resources"][0]
    link = ckan.action.resource_show(id=str(catalog.resources["link"].pk))
    assert link["position"] == 2 and link["url_type"] is None
    for missing in ("not-a-uuid", "7a3c2f6e-0000-4000-8000-000000000000"):
        with pytest.raises(NotFound):
            ckan.action.resource_show(id=missing)
    dataset_set_state(actor=None, dataset=catalog.datasets["hinanjo"], state=DatasetState.DRAFT)
    with pytest.raises(NotFound):
        ckan.action.resource_show(id=str(csv.pk))


def test_datastore_search(ckan: RemoteCKAN, catalog: OpenCatalog) -> None:
    resource_id = str(catalog.resources["csv"].pk)
    everything = ckan.action.datastore_search(resource_id=resource_id)
    assert everything["total"] == 12
    assert everything["limit"] == 100
    assert [f["id"] for f in everything["fields"]] == ["_id", *HINANJO_HEADER]
    assert everything["records"][0] == {
        "_id": 1,
        "番号": "001",
        "施設名": "亀山東小学校",
        "地区": "亀山",
        "所在地": "三重県亀山市東町一丁目1-1",
        "収容人数": "400",
    }
    seki = ckan.action.datastore_search(
        resource_id=resource_id, filters=as_param(ckan, {"地区": "関"}), sort="施設名 desc", limit=2
    )
    assert seki["total"] == 4
    assert [r["施設名"] for r in seki["records"]] == ["関文化交流センター", "関小学校"]
    assert [r["_id"] for r in seki["records"]] == [12, 9]
    found = ckan.action.datastore_search(resource_id=resource_id, q="小学校", fields="施設名")
    assert found["total"] == 9
    assert set(found["records"][0]) == {"施設名"}
    with pytest.raises(NotFound):
        ckan.action.datastore_search(resource_id=str(catalog.resources["pdf"].pk))
    with pytest.raises(CKANValidationError) as error:
        ckan.action.datastore_search(resource_id=resource_id, filters=as_param(ckan, {"色": "青"}))
    assert error.value.error_dict["filters"] == ['field "色" not in table']


def test_generated_open_data_list_is_served_like_any_dataset(ckan: RemoteCKAN) -> None:
    """オープンデータ・バイ・デザイン: the list machi keeps current is an ordinary dataset."""
    package = ckan.action.package_show(id="opendata-list")
    assert package["title"] == "オープンデータ一覧"
    assert package["organization"]["name"] == "820"
    listing = next(r for r in package["resources"] if r["datastore_active"])
    found = ckan.action.datastore_search(resource_id=listing["id"], q="指定避難所一覧")
    assert found["total"] == 1


def test_help_show(ckan: RemoteCKAN) -> None:
    assert "Japanese" in ckan.action.help_show(name="package_search")
    with pytest.raises(NotFound):
        ckan.action.help_show(name="no_such_action")


def test_write_actions_are_refused(ckan: RemoteCKAN) -> None:
    if get_mode(ckan):  # CKAN's bare 400 string, which ckanapi cannot map to a type
        with pytest.raises(CKANAPIError, match="Please use POST method"):
            ckan.action.package_create(name="new-dataset")
        return
    with pytest.raises(NotAuthorized):
        ckan.action.package_create(name="new-dataset", title="新しいデータ")
    with pytest.raises(NotAuthorized):
        ckan.action.datastore_create(resource_id="x")


# --- the HTTP contract, checked without a client library -------------------------------------


def test_envelope_status_codes_and_both_paths(live_server: Any, catalog: OpenCatalog) -> None:
    assert call(live_server, "/api/3").json() == {"version": 3}
    response = call(live_server, "/api/3/action/package_search?q=避難所")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"help", "success", "result"}
    assert body["success"] is True
    assert body["help"] == f"{live_server.url}/api/3/action/help_show?name=package_search"
    assert body["result"]["count"] == 1
    other = call(live_server, "/api/action/package_search", json={"q": "避難所"}).json()
    assert other["result"] == body["result"]
    assert call(live_server, "/api/3/action/package_search/?q=避難所").json() == body

    missing = call(live_server, "/api/3/action/package_show?id=nothing")
    assert missing.status_code == 404
    assert missing.json() == {
        "help": f"{live_server.url}/api/3/action/help_show?name=package_show",
        "success": False,
        "error": {"__type": "Not Found Error", "message": "Not found: Dataset not found"},
    }
    invalid = call(live_server, "/api/3/action/package_search?rows=-1")
    assert invalid.status_code == 409
    assert invalid.json()["error"] == {
        "__type": "Validation Error",
        "rows": ["Must be a natural number"],
    }
    bad_fq = call(live_server, "/api/3/action/package_search?fq=tags:(防災")
    assert bad_fq.status_code == 400
    assert bad_fq.json()["error"]["__type"] == "Search Query Error"
    unknown = call(live_server, "/api/3/action/package_search?colour=blue")
    assert unknown.status_code == 409
    assert unknown.json()["error"] == {
        "__type": "Search Error",
        "message": "Search error: (\"Invalid search parameters: ['colour']\",)",
    }
    refused = call(live_server, "/api/action/package_create", json={"name": "x"})
    assert refused.status_code == 403
    assert refused.json()["error"]["__type"] == "Authorization Error"
    assert call(live_server, "/api/2/action/package_list").status_code == 404


def test_bad_requests_get_ckans_bare_400(live_server: Any, catalog: OpenCatalog) -> None:
    unknown = call(live_server, "/api/3/action/no_such_action")
    assert unknown.status_code == 400
    assert unknown.json() == "Bad request: Action name not known: no_such_action"
    create = call(live_server, "/api/3/action/package_create?name=x")
    assert create.status_code == 400
    assert create.json() == (
        "Bad request: JSON Error: Invalid request. Please use POST method for your request"
    )
    broken = call(
        live_server,
        "/api/action/package_search",
        data='{"q": "避難'.encode(),
        headers={"Content-Type": "application/json"},
    )
    assert broken.status_code == 400
    assert broken.json().startswith("Bad request: JSON Error: Error decoding JSON data.")
    listed = call(live_server, "/api/action/package_search", data=b"[1, 2]")
    assert listed.status_code == 400
    assert listed.json().endswith("but it needs to be a dictionary.")
    assert call(live_server, "/api/3/action/package_list", data=b"\xff\xfe{").status_code == 400


def test_get_parameters_as_ckan_reads_them(live_server: Any, catalog: OpenCatalog) -> None:
    path = "/api/3/action/package_search"
    repeated = call(live_server, f"{path}?facet.field=organization&facet.field=tags").json()
    assert set(repeated["result"]["search_facets"]) == {"organization", "tags"}
    as_json = call(live_server, f'{path}?facet.field=["tags"]&facet.limit=-1').json()
    assert set(as_json["result"]["search_facets"]) == {"tags"}
    assert len(as_json["result"]["search_facets"]["tags"]["items"]) == 12
    form = call(live_server, path, data={"q": "避難所", "rows": "1"}).json()
    assert form["result"]["count"] == 1
    json_as_key = call(
        live_server,
        path,
        data={json.dumps({"q": "保育"}): "1"},
    ).json()
    assert json_as_key["result"]["results"][0]["name"] == "hoikusho-ichiran"


def test_jsonp_wraps_successful_get_only(live_server: Any, catalog: OpenCatalog) -> None:
    wrapped = call(live_server, "/api/3/action/package_list?callback=portal.show")
    assert wrapped.status_code == 200
    assert wrapped.headers["Content-Type"].startswith("application/javascript")
    assert wrapped.text.startswith("portal.show(") and wrapped.text.endswith(");")
    inner = json.loads(wrapped.text[len("portal.show(") : -2])
    assert inner["result"] == sorted(PUBLISHED)
    jquery = call(live_server, "/api/3/action/package_list?callback=cb&_=1718000000000")
    assert jquery.status_code == 200
    failed = call(live_server, "/api/3/action/package_show?id=nothing&callback=cb")
    assert failed.status_code == 404 and failed.json()["success"] is False
    posted = call(live_server, "/api/action/package_list?callback=cb", json={})
    assert posted.json()["success"] is True
    hostile = call(live_server, "/api/3/action/package_list?callback=alert(1)//")
    assert hostile.status_code == 400
    assert hostile.headers["Content-Type"].startswith("application/json")


def test_tenant_isolation_by_host(
    live_server: Any, settings: Any, catalog: OpenCatalog, other_catalog: Dataset
) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "suzuka.example.jp"]
    suzuka = {"Host": "suzuka.example.jp"}
    path = "/api/3/action/package_search?q=避難所"
    theirs = call(live_server, path, headers=suzuka).json()["result"]
    assert [p["name"] for p in theirs["results"]] == ["suzuka-hinanjo"]
    ours = call(live_server, path).json()["result"]
    assert [p["name"] for p in ours["results"]] == ["hinanjo-ichiran"]
    csv_id = catalog.resources["csv"].pk
    for action, query in (
        ("package_show", "id=hinanjo-ichiran"),
        ("resource_show", f"id={csv_id}"),
        ("datastore_search", f"resource_id={csv_id}"),
        ("organization_show", "id=220"),
        ("group_show", "id=bousai"),
    ):
        response = call(live_server, f"/api/3/action/{action}?{query}", headers=suzuka)
        assert response.status_code == 404, action
    assert call(live_server, "/api/3/action/tag_list", headers=suzuka).json()["result"] == [
        "避難所",
        "防災",
    ]
