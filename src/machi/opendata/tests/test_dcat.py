"""DCAT-AP 3 documents, read back with rdflib the way a harvester reads them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pytest
from django.test import Client
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS

from machi.core.models import Department, Municipality
from machi.opendata import dcat
from machi.opendata.models import Dataset, DatasetState
from machi.opendata.services.catalog import dataset_set_state
from machi.testing.factories import (
    DatasetFactory,
    DatasetGroupFactory,
    DepartmentFactory,
    ResourceFactory,
    ResourceVersionFactory,
)

# Plain namespaces: pytest's collection pokes module attributes, which rdflib's strict
# DCAT and XSD namespaces answer with a warning.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
VCARD = dcat.VCARD
SPDX = dcat.SPDX
HYDRA = dcat.HYDRA
SITE = "http://testserver"
CONTENT = json.dumps(
    [{"名称": "亀山市役所", "緯度": 34.8553, "経度": 136.4519}], ensure_ascii=False
).encode()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def bousai(city: Municipality) -> Department:
    return DepartmentFactory(
        municipality=city, code="400", name="防災安全課", name_en="Disaster Prevention Division"
    )


def publish(
    municipality: Municipality,
    department: Department,
    name: str,
    title: str,
    *,
    state: str = DatasetState.ACTIVE,
    **fields: Any,
) -> Dataset:
    return DatasetFactory(
        municipality=municipality,
        name=name,
        title=title,
        department=department,
        state=state,
        **fields,
    )


@pytest.fixture
def hinanjo(city: Municipality, bousai: Department) -> Dataset:
    group = DatasetGroupFactory(municipality=city, name="bousai", title="防災", title_en="Disaster")
    dataset = publish(
        city,
        bousai,
        "hinanjo",
        "指定緊急避難場所一覧",
        groups=[group],
        title_en="Designated emergency evacuation sites",
        notes="市が指定した緊急避難場所です。",
        tags=["防災", "避難所"],
        license_id="pdl-1.0",
        frequency="annual",
        contact_name="防災安全課 防災グループ",
        contact_email="bousai@city.kameyama.example.jp",
        contact_phone="0595-84-5000",
        spatial="三重県亀山市全域",
        temporal_start=dt.date(2024, 4, 1),
        temporal_end=dt.date(2025, 3, 31),
    )
    resource = ResourceFactory(dataset=dataset, name="避難場所 JSON", format="JSON")
    ResourceVersionFactory(resource=resource, filename="hinanjo.json", content=CONTENT)
    ResourceFactory(
        dataset=dataset,
        name="防災マップ（外部サイト）",
        url="https://map.example.jp/kameyama/bousai",
        format="HTML",
    )
    # A resource with nothing published yet is not described.
    ResourceFactory(dataset=dataset, name="準備中", format="CSV")
    return dataset


def fetch(client: Client, path: str, fmt: str, **headers: Any) -> Graph:
    response = client.get(path, **headers)
    assert response.status_code == 200, response.content
    rdflib_format = {"jsonld": "json-ld", "ttl": "turtle", "rdf": "xml", "n3": "n3"}[fmt]
    return Graph().parse(data=response.content, format=rdflib_format)


def dataset_uri(name: str) -> URIRef:
    return URIRef(f"{SITE}/opendata/dataset/{name}/")


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_dataset_has_what_a_harvester_reads(client: Client, hinanjo: Dataset, fmt: str) -> None:
    graph = fetch(client, f"/opendata/dataset/hinanjo.{fmt}", fmt)
    node = dataset_uri("hinanjo")
    assert (node, RDF.type, DCAT.Dataset) in graph
    assert graph.value(node, DCTERMS.identifier) == Literal(str(hinanjo.id))
    titles = set(graph.objects(node, DCTERMS.title))
    assert Literal("指定緊急避難場所一覧", lang="ja") in titles
    assert Literal("Designated emergency evacuation sites", lang="en") in titles
    assert graph.value(node, DCTERMS.description) == Literal(
        "市が指定した緊急避難場所です。", lang="ja"
    )
    assert set(graph.objects(node, DCAT.keyword)) == {
        Literal("防災", lang="ja"),
        Literal("避難所", lang="ja"),
    }
    assert graph.value(node, DCAT.landingPage) == node
    # Theme: the group as a SKOS concept.
    theme = graph.value(node, DCAT.theme)
    assert (theme, RDF.type, SKOS.Concept) in graph
    assert Literal("防災", lang="ja") in set(graph.objects(theme, SKOS.prefLabel))
    # Publisher: the department.
    publisher = graph.value(node, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert Literal("防災安全課", lang="ja") in set(graph.objects(publisher, FOAF.name))
    # Contact point.
    contact = graph.value(node, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in graph
    assert graph.value(contact, VCARD.fn) == Literal("防災安全課 防災グループ", lang="ja")
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:bousai@city.kameyama.example.jp")
    assert graph.value(contact, VCARD.hasTelephone) == URIRef("tel:+81-595-84-5000")
    # Frequency, coverage and dates.
    assert graph.value(node, DCTERMS.accrualPeriodicity) == URIRef(
        "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
    )
    spatial = graph.value(node, DCTERMS.spatial)
    assert (spatial, RDF.type, DCTERMS.Location) in graph
    assert graph.value(spatial, SKOS.prefLabel) == Literal("三重県亀山市全域", lang="ja")
    assert graph.value(spatial, DCTERMS.identifier) == Literal("242101")
    period = graph.value(node, DCTERMS.temporal)
    assert graph.value(period, DCAT.startDate) == Literal("2024-04-01", datatype=XSD.date)
    assert graph.value(period, DCAT.endDate) == Literal("2025-03-31", datatype=XSD.date)
    issued = graph.value(node, DCTERMS.issued)
    assert issued is not None and issued.datatype == XSD.dateTime
    assert graph.value(node, DCTERMS.modified).datatype == XSD.dateTime  # type: ignore[union-attr]


@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "rdf", "n3"])
def test_distributions_carry_download_licence_size_and_checksum(
    client: Client, hinanjo: Dataset, fmt: str
) -> None:
    graph = fetch(client, f"/opendata/dataset/hinanjo.{fmt}", fmt)
    node = dataset_uri("hinanjo")
    distributions = list(graph.objects(node, DCAT.distribution))
    assert len(distributions) == 2  # the unpublished resource is left out
    by_title = {str(graph.value(d, DCTERMS.title)): d for d in distributions}
    assert set(by_title) == {"避難場所 JSON", "防災マップ（外部サイト）"}

    uploaded = by_title["避難場所 JSON"]
    resource = hinanjo.resources.get(name="避難場所 JSON")
    assert (uploaded, RDF.type, DCAT.Distribution) in graph
    assert graph.value(uploaded, DCAT.downloadURL) == URIRef(
        f"{SITE}/opendata/dataset/hinanjo/resource/{resource.id}/download/"
    )
    assert graph.value(uploaded, DCAT.accessURL) is not None
    assert graph.value(uploaded, DCTERMS.license) == URIRef(
        "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0"
    )
    assert graph.value(uploaded, DCTERMS.format) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/JSON"
    )
    assert graph.value(uploaded, DCAT.mediaType) == URIRef(
        "https://www.iana.org/assignments/media-types/application/json"
    )
    size = graph.value(uploaded, DCAT.byteSize)
    assert size == Literal(len(CONTENT), datatype=XSD.nonNegativeInteger)
    checksum = graph.value(uploaded, SPDX.checksum)
    assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    assert str(graph.value(checksum, SPDX.checksumValue)) == hashlib.sha256(CONTENT).hexdigest()
    assert graph.value(uploaded, DCTERMS.modified).datatype == XSD.dateTime  # type: ignore[union-attr]

    linked = by_title["防災マップ（外部サイト）"]
    assert graph.value(linked, DCAT.accessURL) == URIRef("https://map.example.jp/kameyama/bousai")
    assert graph.value(linked, DCAT.downloadURL) is None


def test_a_table_names_its_schema_and_encoding(client: Client, hinanjo: Dataset) -> None:
    table = (
        "全国地方公共団体コード,ID,地方公共団体名,データ名称,データ概要,データ形式,分類,"
        "更新頻度,URL,API対応有無,ライセンス,登録日,最終更新日,備考\r\n"
        "242101,hinanjo,三重県亀山市,指定緊急避難場所一覧,,CSV,防災,毎年,,有,CC BY 4.0,"
        "2024-04-01,2024-04-01,\r\n"
    ).encode("utf-8-sig")
    resource = ResourceFactory(
        dataset=hinanjo, name="一覧 CSV", format="CSV", schema_name="open-data-list"
    )
    ResourceVersionFactory(resource=resource, filename="list.csv", content=table)
    graph = fetch(client, "/opendata/dataset/hinanjo.ttl", "ttl")
    node = URIRef(f"{SITE}/opendata/dataset/hinanjo/resource/{resource.id}/")
    assert (dataset_uri("hinanjo"), DCAT.distribution, node) in graph
    standard = graph.value(node, DCTERMS.conformsTo)
    assert (standard, RDF.type, DCTERMS.Standard) in graph
    assert graph.value(standard, DCTERMS.identifier) == Literal("open-data-list")
    assert Literal("オープンデータ一覧", lang="ja") in set(graph.objects(standard, DCTERMS.title))
    assert str(graph.value(node, dcat.CNT.characterEncoding)).startswith("utf-8")
    assert graph.value(node, DCAT.mediaType) == URIRef(
        "https://www.iana.org/assignments/media-types/text/csv"
    )


def test_content_types(client: Client, hinanjo: Dataset) -> None:
    expected = {
        "jsonld": "application/ld+json",
        "ttl": "text/turtle; charset=utf-8",
        "rdf": "application/rdf+xml",
        "xml": "application/rdf+xml",
        "n3": "text/n3; charset=utf-8",
    }
    for fmt, content_type in expected.items():
        for path in (f"/opendata/dataset/hinanjo.{fmt}", f"/opendata/catalog.{fmt}"):
            response = client.get(path)
            assert response.status_code == 200
            assert response["Content-Type"] == content_type


def test_json_ld_and_turtle_describe_the_same_graph(client: Client, hinanjo: Dataset) -> None:
    for path in ("/opendata/dataset/hinanjo", "/opendata/catalog"):
        from_jsonld = fetch(client, f"{path}.jsonld", "jsonld")
        from_turtle = fetch(client, f"{path}.ttl", "ttl")
        if path.endswith("catalog"):
            # The paging links name their own format; the rest must be identical.
            for graph in (from_jsonld, from_turtle):
                for page in list(graph.subjects(RDF.type, HYDRA.PagedCollection)):
                    graph.remove((page, None, None))
        assert isomorphic(from_jsonld, from_turtle)
        # And JSON-LD → Turtle → JSON-LD loses nothing.
        again = Graph().parse(data=from_jsonld.serialize(format="turtle"), format="turtle")
        assert isomorphic(from_jsonld, again)
        back = Graph().parse(data=again.serialize(format="json-ld"), format="json-ld")
        assert isomorphic(again, back)


def test_japanese_text_is_written_as_characters(client: Client, hinanjo: Dataset) -> None:
    for fmt in ("jsonld", "ttl"):
        body = client.get(f"/opendata/dataset/hinanjo.{fmt}").content.decode("utf-8")
        assert "指定緊急避難場所一覧" in body
        assert "\\u" not in body


def test_unknown_format_draft_and_other_tenant_are_not_found(
    client: Client,
    settings: Any,
    city: Municipality,
    other_city: Municipality,
    bousai: Department,
) -> None:
    settings.ALLOWED_HOSTS = ["testserver", "suzuka.example.jp"]
    publish(city, bousai, "koukai", "公開中")
    publish(city, bousai, "shitagaki", "下書き", state=DatasetState.DRAFT)
    withdrawn = publish(city, bousai, "teishi", "公開停止")
    dataset_set_state(actor=None, dataset=withdrawn, state=DatasetState.DELETED)
    assert client.get("/opendata/dataset/koukai.ttl").status_code == 200
    assert client.get("/opendata/dataset/koukai.csv").status_code == 404
    assert client.get("/opendata/catalog.html").status_code == 404
    assert client.get("/opendata/dataset/shitagaki.ttl").status_code == 404
    assert client.get("/opendata/dataset/teishi.jsonld").status_code == 404
    assert client.get("/opendata/dataset/nai.jsonld").status_code == 404
    # 鈴鹿市 is served on its own host and cannot see 亀山市's dataset.
    other = client.get("/opendata/dataset/koukai.ttl", HTTP_HOST="suzuka.example.jp")
    assert other.status_code == 404
    catalog = fetch(client, "/opendata/catalog.ttl", "ttl", HTTP_HOST="suzuka.example.jp")
    assert list(catalog.subjects(RDF.type, DCAT.Dataset)) == []


def test_catalog_describes_the_municipality_and_lists_only_published(
    client: Client, city: Municipality, hinanjo: Dataset, bousai: Department
) -> None:
    publish(city, bousai, "shitagaki", "下書き", state=DatasetState.DRAFT)
    graph = fetch(client, "/opendata/catalog.ttl", "ttl")
    catalog = URIRef(f"{SITE}/opendata/")
    assert (catalog, RDF.type, DCAT.Catalog) in graph
    assert Literal("亀山市オープンデータカタログ", lang="ja") in set(
        graph.objects(catalog, DCTERMS.title)
    )
    assert graph.value(catalog, DCTERMS.description) is not None
    assert graph.value(catalog, FOAF.homepage) == catalog
    assert URIRef("http://publications.europa.eu/resource/authority/language/JPN") in set(
        graph.objects(catalog, DCTERMS.language)
    )
    publisher = graph.value(catalog, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert graph.value(publisher, FOAF.name, any=True) is not None
    assert Literal("三重県亀山市", lang="ja") in set(graph.objects(publisher, FOAF.name))
    assert graph.value(publisher, DCTERMS.identifier) == Literal("242101")
    assert list(graph.objects(catalog, DCAT.dataset)) == [dataset_uri("hinanjo")]
    modified = graph.value(catalog, DCTERMS.modified)
    assert modified is not None and modified.datatype == XSD.dateTime


def test_catalog_pages_like_ckanext_dcat(
    client: Client, city: Municipality, bousai: Department, monkeypatch: Any
) -> None:
    for number in range(5):
        publish(city, bousai, f"data-{number}", f"データ{number}", tags=["統計"])
    monkeypatch.setattr(dcat, "PAGE_SIZE", 2)
    first = fetch(client, "/opendata/catalog.ttl", "ttl")
    page = URIRef(f"{SITE}/opendata/catalog.ttl?page=1")
    assert (page, RDF.type, HYDRA.PagedCollection) in first
    assert first.value(page, HYDRA.totalItems).toPython() == 5  # type: ignore[union-attr]
    assert first.value(page, HYDRA.itemsPerPage).toPython() == 2  # type: ignore[union-attr]
    assert str(first.value(page, HYDRA.nextPage)) == f"{SITE}/opendata/catalog.ttl?page=2"
    assert str(first.value(page, HYDRA.lastPage)) == f"{SITE}/opendata/catalog.ttl?page=3"
    assert first.value(page, HYDRA.previousPage) is None

    # Follow nextPage to the end, as the ckanext-dcat harvester does.
    seen: list[str] = []
    url: str | None = f"{SITE}/opendata/catalog.ttl?page=1"
    while url:
        graph = fetch(client, url.removeprefix(SITE), "ttl")
        seen += [str(d) for d in graph.subjects(RDF.type, DCAT.Dataset)]
        node = next(iter(graph.subjects(RDF.type, HYDRA.PagedCollection)))
        following = graph.value(node, HYDRA.nextPage)
        url = str(following) if following else None
    assert len(seen) == len(set(seen)) == 5
    last = fetch(client, "/opendata/catalog.ttl?page=3", "ttl")
    node = URIRef(f"{SITE}/opendata/catalog.ttl?page=3")
    assert str(last.value(node, HYDRA.previousPage)) == f"{SITE}/opendata/catalog.ttl?page=2"


def test_catalog_page_size_is_one_hundred(
    client: Client, city: Municipality, bousai: Department
) -> None:
    for number in range(101):
        publish(city, bousai, f"d{number:03d}", f"データ{number}")
    graph = fetch(client, "/opendata/catalog.jsonld", "jsonld")
    assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) == 100
    page = URIRef(f"{SITE}/opendata/catalog.jsonld?page=1")
    assert graph.value(page, HYDRA.itemsPerPage).toPython() == 100  # type: ignore[union-attr]
    assert str(graph.value(page, HYDRA.nextPage)) == f"{SITE}/opendata/catalog.jsonld?page=2"
    second = fetch(client, "/opendata/catalog.jsonld?page=2", "jsonld")
    assert len(set(second.subjects(RDF.type, DCAT.Dataset))) == 1


def test_catalog_filters_keep_their_parameters_in_the_paging_links(
    client: Client, city: Municipality, bousai: Department, hinanjo: Dataset
) -> None:
    publish(city, bousai, "toukei", "人口統計", tags=["統計"])
    graph = fetch(client, "/opendata/catalog.ttl?q=避難", "ttl")
    assert set(graph.subjects(RDF.type, DCAT.Dataset)) == {dataset_uri("hinanjo")}
    graph = fetch(client, "/opendata/catalog.ttl?fq=tags:統計", "ttl")
    assert set(graph.subjects(RDF.type, DCAT.Dataset)) == {dataset_uri("toukei")}
    node = next(iter(graph.subjects(RDF.type, HYDRA.PagedCollection)))
    assert "fq=tags%3A" in str(graph.value(node, HYDRA.firstPage))


def test_modified_since_leaves_out_older_datasets(
    client: Client, city: Municipality, bousai: Department
) -> None:
    old = publish(city, bousai, "furui", "古いデータ")
    Dataset.objects.filter(pk=old.pk).update(modified_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    publish(city, bousai, "atarashii", "新しいデータ")
    graph = fetch(client, "/opendata/catalog.ttl?modified_since=2024-01-01", "ttl")
    assert set(graph.subjects(RDF.type, DCAT.Dataset)) == {dataset_uri("atarashii")}
    graph = fetch(client, "/opendata/catalog.ttl?modified_since=2019-12-31T00:00:00%2B09:00", "ttl")
    assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) == 2


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("page=abc", "page must be a whole number"),
        ("page=0", "page must be a whole number"),
        ("page=-1", "page must be a whole number"),
        ("page=" + "9" * 5000, "page must be a whole number"),
        ("page=9", "There is no such page: the catalog has 1 page(s)."),
        ("modified_since=yesterday", "modified_since must be an ISO 8601 date"),
        ("fq=unknown:1", "cannot be understood"),
        ("fq=tags:(", "cannot be understood"),
    ],
)
def test_bad_parameters_get_a_clear_400(
    client: Client, hinanjo: Dataset, query: str, fragment: str
) -> None:
    response = client.get(f"/opendata/catalog.ttl?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert fragment in response.content.decode()


def test_full_width_page_number_is_read_as_the_number(client: Client, hinanjo: Dataset) -> None:
    graph = fetch(client, "/opendata/catalog.ttl?page=１", "ttl")
    assert set(graph.subjects(RDF.type, DCAT.Dataset)) == {dataset_uri("hinanjo")}


def test_only_get_and_head(client: Client, hinanjo: Dataset) -> None:
    assert client.post("/opendata/catalog.ttl").status_code == 405
    assert client.head("/opendata/dataset/hinanjo.ttl").status_code == 200
