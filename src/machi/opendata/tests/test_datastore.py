"""``datastore_search`` over a published table, as an API client sees it (HTTP through
Django's test client; the live-server ckanapi run is in test_ckan_api.py)."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import polars as pl
import pytest
from django.test import Client

from machi.opendata.ckan import datastore
from machi.opendata.models import Resource
from machi.opendata.services.resources import version_publish_now
from machi.opendata.tests.conftest import (
    HINANJO_HEADER,
    HINANJO_ROWS,
    OpenCatalog,
    hinanjo_csv,
    publish_file,
)

PATH = "/api/3/action/datastore_search"


def search(client: Client, **params: Any) -> tuple[int, Any]:
    """POST the parameters as JSON, as ckanapi does; return the status and the body."""
    response = client.post(PATH, json.dumps(params), content_type="application/json")
    return response.status_code, response.json()


def ok(client: Client, **params: Any) -> dict[str, Any]:
    status, body = search(client, **params)
    assert status == 200, body
    assert body["success"] is True
    return body["result"]  # type: ignore[no-any-return]


def error(client: Client, status: int, **params: Any) -> dict[str, Any]:
    got, body = search(client, **params)
    assert got == status, body
    assert body["success"] is False
    return body["error"]  # type: ignore[no-any-return]


@pytest.fixture
def rid(catalog: OpenCatalog) -> str:
    return str(catalog.resources["csv"].pk)


@pytest.fixture
def aed(catalog: OpenCatalog) -> Resource:
    """A second table with Latin letters in it, for case-insensitive text search."""
    rows = [
        "番号,設置場所,機種,備考",
        "1,亀山市役所,AED-3100,１階ロビー",
        "2,関支所,aed-2150,",
        "3,亀山駅,CardiacSave,改札横",
        "4,西野公園体育館,AED-3100,事務室",
    ]
    return publish_file(
        catalog.datasets["aed"],
        "AED設置箇所（CSV）",
        "aed.csv",
        ("\r\n".join(rows) + "\r\n").encode(),
    )


def test_whole_table_with_defaults(client: Client, rid: str) -> None:
    result = ok(client, resource_id=rid)
    assert result["resource_id"] == rid
    assert result["total"] == len(HINANJO_ROWS) == 12
    assert result["total_was_estimated"] is False
    assert (result["limit"], result["offset"], result["filters"]) == (100, 0, {})
    assert result["fields"] == [{"id": "_id", "type": "int"}] + [
        {"id": name, "type": "text"} for name in HINANJO_HEADER
    ]
    assert [r["_id"] for r in result["records"]] == list(range(1, 13))
    assert result["records"][8] == dict(
        zip(("_id", *HINANJO_HEADER), (9, *HINANJO_ROWS[8]), strict=True)
    )
    assert result["_links"] == {
        "start": f"{PATH}?resource_id={rid}",
        "next": f"{PATH}?resource_id={rid}&offset=100",
    }


def test_filters(client: Client, rid: str) -> None:
    seki = ok(client, resource_id=rid, filters={"地区": "関"})
    assert seki["total"] == 4
    assert {r["施設名"] for r in seki["records"]} == {
        "関小学校",
        "加太小学校",
        "関中学校",
        "関文化交流センター",
    }
    assert seki["filters"] == {"地区": "関"}
    either = ok(client, resource_id=rid, filters={"番号": ["001", "012", "999"]})
    assert [r["_id"] for r in either["records"]] == [1, 12]
    both = ok(client, resource_id=rid, filters={"地区": "関", "収容人数": 300})
    assert [r["施設名"] for r in both["records"]] == ["関文化交流センター"]
    as_text = ok(client, resource_id=rid, filters=json.dumps({"地区": "亀山"}))
    assert as_text["total"] == 8
    assert ok(client, resource_id=rid, filters={"地区": "鈴鹿"})["records"] == []


def test_text_search(client: Client, rid: str, aed: Resource) -> None:
    found = ok(client, resource_id=rid, q="中学校")
    assert [r["施設名"] for r in found["records"]] == ["亀山中学校", "関中学校"]
    assert found["q"] == "中学校"
    assert ok(client, resource_id=rid, q="関町")["total"] == 3  # any column: 所在地
    assert ok(client, resource_id=rid, q={"施設名": "関"})["total"] == 3
    assert ok(client, resource_id=rid, q={"施設名": "関", "所在地": "新所"})["total"] == 1
    assert ok(client, resource_id=rid, q="(.*)")["total"] == 0  # literal, not a pattern
    machines = ok(client, resource_id=str(aed.pk), q="aed")
    assert [r["設置場所"] for r in machines["records"]] == [
        "亀山市役所",
        "関支所",
        "西野公園体育館",
    ]
    assert ok(client, resource_id=str(aed.pk), q="CARDIAC")["total"] == 1


def test_fields_sort_limit_and_offset(client: Client, rid: str) -> None:
    picked = ok(client, resource_id=rid, fields="施設名, 収容人数", limit=2)
    assert picked["fields"] == [
        {"id": "施設名", "type": "text"},
        {"id": "収容人数", "type": "text"},
    ]
    assert picked["records"] == [
        {"施設名": "亀山東小学校", "収容人数": "400"},
        {"施設名": "亀山西小学校", "収容人数": "350"},
    ]
    as_list = ok(client, resource_id=rid, fields=["_id", "施設名"], limit=1, offset=11)
    assert as_list["records"] == [{"_id": 12, "施設名": "関文化交流センター"}]
    ordered = ok(client, resource_id=rid, sort="地区 desc, 番号 asc", fields="番号", limit=5)
    assert [r["番号"] for r in ordered["records"]] == ["009", "010", "011", "012", "001"]
    assert ordered["sort"] == "地区 desc, 番号 asc"
    listed = ok(client, resource_id=rid, sort=["収容人数 desc"], fields="施設名", limit=1)
    assert listed["records"] == [{"施設名": "亀山中学校"}]  # "600", the largest as text
    page = ok(client, resource_id=rid, limit=5, offset=10)
    assert [r["_id"] for r in page["records"]] == [11, 12]
    assert page["total"] == 12
    assert page["_links"]["next"] == f"{PATH}?resource_id={rid}&limit=5&offset=15"
    assert page["_links"]["prev"] == f"{PATH}?resource_id={rid}&limit=5&offset=5"
    assert ok(client, resource_id=rid, offset=50)["records"] == []
    assert ok(client, resource_id=rid, limit=0)["records"] == []


def test_filters_combine_with_text_search_sort_distinct_and_blanks(
    client: Client, rid: str, aed: Resource
) -> None:
    both = ok(client, resource_id=rid, filters={"地区": "関"}, q="中学校")
    assert [r["施設名"] for r in both["records"]] == ["関中学校"]
    largest = ok(
        client,
        resource_id=rid,
        filters={"地区": ["関", "亀山"]},
        sort="収容人数 desc",
        fields="施設名",
        limit=2,
    )
    assert largest["records"] == [{"施設名": "亀山中学校"}, {"施設名": "関中学校"}]
    assert largest["total"] == 12
    areas = ok(client, resource_id=rid, fields="地区", distinct=True, sort="地区 asc")
    assert areas["records"] == [{"地区": "亀山"}, {"地区": "関"}]
    assert areas["total"] == 2
    blank = ok(client, resource_id=str(aed.pk), filters={"備考": None}, fields="設置場所")
    assert blank["records"] == [{"設置場所": "関支所"}]
    assert ok(client, resource_id=str(aed.pk), filters={"番号": 3})["records"][0]["機種"] == (
        "CardiacSave"
    )


def test_total_can_be_left_out(client: Client, rid: str) -> None:
    result = ok(client, resource_id=rid, include_total=False, limit=1)
    assert "total" not in result
    assert len(result["records"]) == 1


def test_records_as_lists_and_csv(client: Client, rid: str) -> None:
    lists = ok(client, resource_id=rid, records_format="lists", fields="_id,施設名", limit=2)
    assert lists["records"] == [[1, "亀山東小学校"], [2, "亀山西小学校"]]
    csv = ok(client, resource_id=rid, records_format="csv", fields="番号,施設名", limit=2)
    assert csv["records"] == "001,亀山東小学校\n002,亀山西小学校\n"
    tsv = ok(client, resource_id=rid, records_format="tsv", fields="番号,地区", limit=1)
    assert tsv["records"] == "001\t亀山\n"


def test_limit_above_the_maximum_is_capped_as_in_ckan(client: Client, rid: str) -> None:
    result = ok(client, resource_id=rid, limit=10**9)
    assert result["limit"] == 32000
    assert len(result["records"]) == 12


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"filters": {"色": "青"}}, "filters", 'field "色" not in table'),
        ({"sort": "色 desc"}, "sort", 'field "色" not in table'),
        ({"fields": "施設名,色"}, "fields", 'field "色" not in table'),
        ({"q": {"色": "青"}}, "q", 'field "色" not in table'),
        ({"filters": "not json"}, "filters", "Could not parse as valid JSON"),
        ({"filters": ["地区"]}, "filters", "Not a json object"),
        ({"limit": -1}, "limit", "Must be a natural number"),
        ({"limit": "many"}, "limit", "Invalid integer"),
        ({"offset": -5}, "offset", "Must be a natural number"),
        ({"records_format": "xml"}, "records_format", "Value must be one of"),
        ({"colour": "blue"}, "__junk", "The input field ['colour'] was not expected."),
    ],
)
def test_bad_parameters_are_validation_errors(
    client: Client, rid: str, params: dict[str, Any], field: str, message: str
) -> None:
    found = error(client, 409, resource_id=rid, **params)
    assert found["__type"] == "Validation Error"
    assert message in found[field][0]


def test_resources_without_a_table_are_not_found(client: Client, catalog: OpenCatalog) -> None:
    for key in (str(catalog.resources["pdf"].pk), str(catalog.resources["link"].pk), "x"):
        found = error(client, 404, resource_id=key)
        assert found == {
            "__type": "Not Found Error",
            "message": f'Not found: Resource "{key}" was not found.',
        }
    assert error(client, 409) == {"__type": "Validation Error", "resource_id": ["Missing value"]}


def test_get_with_query_parameters(client: Client, rid: str) -> None:
    response = client.get(
        PATH,
        {
            "resource_id": rid,
            "filters": json.dumps({"地区": "関"}),
            "sort": "番号 desc",
            "limit": 1,
        },
    )
    assert response.status_code == 200
    result = response.json()["result"]
    assert result["total"] == 4
    assert result["records"][0]["番号"] == "012"
    follow = client.get(result["_links"]["next"]).json()["result"]
    assert follow["records"][0]["番号"] == "011"


def test_a_new_version_replaces_the_table_and_the_cache_keeps_loaded_ones(
    client: Client, catalog: OpenCatalog, rid: str
) -> None:
    resource = catalog.resources["csv"]
    ok(client, resource_id=rid)
    loaded = datastore.tables.get(resource.versions.get(number=1))
    assert datastore.tables.get(resource.versions.get(number=1)) is loaded
    grown = hinanjo_csv() + "013,亀山市役所,亀山,三重県亀山市本丸町577,100\r\n".encode()
    version_publish_now(actor=None, resource=resource, filename="hinanjo.csv", content=grown)
    result = ok(client, resource_id=rid, filters={"番号": "013"})
    assert result["records"][0]["施設名"] == "亀山市役所"
    assert ok(client, resource_id=rid)["total"] == 13


def test_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The least recently used table leaves first."""
    loads: list[str] = []

    def load(version: Any) -> pl.DataFrame:
        loads.append(version.pk)
        return pl.DataFrame({"a": [version.pk]})

    monkeypatch.setattr(datastore, "load_table", load)
    cache = datastore.TableCache(max_tables=2)
    first, second, third = (SimpleNamespace(pk=key) for key in "abc")
    for version in (first, second, first, third, first, second):
        cache.get(version)  # type: ignore[arg-type]
    assert loads == ["a", "b", "c", "b"]  # b was dropped for c, a stayed in use
