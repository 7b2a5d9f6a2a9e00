"""The catalog and its datasets as DCAT-AP 3.0 RDF (JSON-LD, Turtle, RDF/XML, N3).

Harvesters (data.go.jp, the EU data portal, other CKAN sites running ckanext-dcat) read
these documents, so they follow what ckanext-dcat's ``euro_dcat_ap_3`` profile emits:

- the catalog is ``dcat:Catalog`` at the portal's address, published by the municipality;
- each dataset is ``dcat:Dataset`` at its public page, with Japanese literals tagged
  ``@ja`` (English ones ``@en`` when staff gave them);
- each published resource is ``dcat:Distribution`` at its resource page, with the file's
  download address, size, SHA-256 checksum, licence and table schema;
- a catalog document holds at most :data:`PAGE_SIZE` datasets and describes the paging as
  a Hydra ``PagedCollection`` (``hydra:nextPage`` …, literals as in ckanext-dcat).

Only published datasets and published versions are described. Every address is absolute
(``base_url`` + the portal's own routes), so a harvested copy links back here.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from machi.core.japanese.normalize import nfkc
from machi.core.models import Department, Municipality
from machi.opendata import search, selectors
from machi.opendata.licenses import BY_ID, FREQUENCY_URIS
from machi.opendata.models import Dataset, DatasetGroup, Resource, ResourceVersion

PAGE_SIZE: Final = 100

VCARD: Final = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX: Final = Namespace("http://spdx.org/rdf/terms#")
HYDRA: Final = Namespace("http://www.w3.org/ns/hydra/core#")
CNT: Final = Namespace("http://www.w3.org/2011/content#")
ADMS: Final = Namespace("http://www.w3.org/ns/adms#")

EU_LANGUAGE: Final = "http://publications.europa.eu/resource/authority/language/"
EU_FILE_TYPE: Final = "http://publications.europa.eu/resource/authority/file-type/"
IANA_MEDIA_TYPE: Final = "https://www.iana.org/assignments/media-types/"

#: Prefixes used in Turtle and as the JSON-LD context.
PREFIXES: Final = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "vcard": VCARD,
    "skos": SKOS,
    "spdx": SPDX,
    "hydra": HYDRA,
    "cnt": CNT,
    "adms": ADMS,
    "xsd": XSD,
}

#: Our format names → the EU file-type vocabulary that DCAT-AP asks for in dct:format.
FILE_TYPES: Final = {
    "CSV": "CSV",
    "TSV": "TSV",
    "JSON": "JSON",
    "GEOJSON": "GEOJSON",
    "XLSX": "XLSX",
    "XLS": "XLS",
    "PDF": "PDF",
    "ZIP": "ZIP",
    "XML": "XML",
    "TTL": "RDF_TURTLE",
    "HTML": "HTML",
    "TXT": "TXT",
}
MEDIA_TYPES: Final = {
    "CSV": "text/csv",
    "TSV": "text/tab-separated-values",
    "JSON": "application/json",
    "GEOJSON": "application/geo+json",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "XLS": "application/vnd.ms-excel",
    "PDF": "application/pdf",
    "ZIP": "application/zip",
    "XML": "application/xml",
    "TTL": "text/turtle",
}


@dataclass(frozen=True)
class Serialization:
    """How one ``.<fmt>`` address is written: rdflib's format name and the content type."""

    rdflib_format: str
    content_type: str


SERIALIZATIONS: Final = {
    "jsonld": Serialization("json-ld", "application/ld+json"),
    "ttl": Serialization("turtle", "text/turtle; charset=utf-8"),
    "rdf": Serialization("pretty-xml", "application/rdf+xml"),
    "xml": Serialization("pretty-xml", "application/rdf+xml"),
    "n3": Serialization("n3", "text/n3; charset=utf-8"),
}


class CatalogParameterError(ValueError):
    """A catalog parameter (``page``, ``modified_since``, ``q``, ``fq``) cannot be used."""

    def __init__(self, parameter: str, detail: str = "") -> None:
        super().__init__(parameter, detail)
        self.parameter = parameter
        self.detail = detail


def serialize(graph: Graph, fmt: str) -> bytes:
    """The graph in one of :data:`SERIALIZATIONS` (UTF-8, Japanese kept as characters)."""
    kind = SERIALIZATIONS[fmt]
    if kind.rdflib_format == "json-ld":
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        return graph.serialize(format="json-ld", context=context, indent=2, encoding="utf-8")
    return graph.serialize(format=kind.rdflib_format, encoding="utf-8")


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


# --- Addresses ---------------------------------------------------------------------------


class Addresses:
    """Absolute URIs of the portal's pages for one site (``https://host``)."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")

    def url(self, path: str, **query: str) -> str:
        address = self.base + path
        params = {k: v for k, v in query.items() if v}
        return f"{address}?{urlencode(params)}" if params else address

    def portal(self) -> str:
        return self.url(reverse("opendata:search"))

    def catalog_document(self, fmt: str, **query: str) -> str:
        return self.url(reverse("opendata:dcat_catalog", kwargs={"fmt": fmt}), **query)

    def dataset(self, dataset: Dataset) -> str:
        return self.url(reverse("opendata:dataset", kwargs={"name": dataset.name}))

    def resource(self, dataset: Dataset, resource: Resource) -> str:
        return self.url(
            reverse("opendata:resource", kwargs={"name": dataset.name, "resource_id": resource.pk})
        )

    def download(self, dataset: Dataset, resource: Resource) -> str:
        return self.url(
            reverse("opendata:download", kwargs={"name": dataset.name, "resource_id": resource.pk})
        )

    def publisher(self, department: Department) -> str:
        return self.url(
            reverse("opendata:search"), organization=selectors.organization_name(department)
        )

    def group(self, group: DatasetGroup) -> str:
        return self.url(reverse("opendata:search"), groups=group.name)

    def themes(self) -> str:
        return self.portal() + "#groups"

    def municipality(self) -> str:
        return self.portal() + "#publisher"


# --- Literals ----------------------------------------------------------------------------


def _ja(text: str) -> Literal:
    return Literal(text, lang="ja")


def _datetime(value: dt.datetime) -> Literal:
    """Japan time with its offset (``2025-04-01T09:00:00+09:00``)."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return Literal(local.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def _date(value: dt.date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def telephone_uri(text: str) -> URIRef | None:
    """``0595-82-1111`` → ``tel:+81-595-82-1111`` (RFC 3966); None if it is no Japanese number."""
    value = nfkc(text).strip()
    if not re.fullmatch(r"[0-9()\- ]{6,}", value):
        return None
    parts = [p for p in re.split(r"[()\- ]+", value) if p]
    if not parts or not parts[0].startswith("0"):
        return None
    parts[0] = parts[0][1:]
    return URIRef("tel:+81-" + "-".join(p for p in parts if p))


# --- Pieces ------------------------------------------------------------------------------


def _add_municipality(graph: Graph, municipality: Municipality, urls: Addresses) -> URIRef:
    agent = URIRef(urls.municipality())
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, RDF.type, FOAF.Organization))
    graph.add((agent, FOAF.name, _ja(str(municipality))))
    if municipality.name_en:
        graph.add((agent, FOAF.name, Literal(municipality.name_en, lang="en")))
    graph.add((agent, DCTERMS.identifier, Literal(municipality.code)))
    return agent


def _add_spatial(graph: Graph, municipality: Municipality, label: str) -> BNode:
    location = BNode()
    graph.add((location, RDF.type, DCTERMS.Location))
    graph.add((location, SKOS.prefLabel, _ja(label)))
    # 全国地方公共団体コード of the municipality the data covers.
    graph.add((location, DCTERMS.identifier, Literal(municipality.code)))
    graph.add((location, SKOS.notation, Literal(municipality.code)))
    return location


def _add_publisher(graph: Graph, department: Department, urls: Addresses) -> URIRef:
    agent = URIRef(urls.publisher(department))
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, RDF.type, FOAF.Organization))
    graph.add((agent, FOAF.name, _ja(str(department))))
    if department.name_en:
        graph.add((agent, FOAF.name, Literal(department.name_en, lang="en")))
    graph.add((agent, DCTERMS.identifier, Literal(selectors.organization_name(department))))
    return agent


def _add_theme(graph: Graph, group: DatasetGroup, urls: Addresses) -> URIRef:
    concept = URIRef(urls.group(group))
    graph.add((concept, RDF.type, SKOS.Concept))
    graph.add((concept, SKOS.prefLabel, _ja(group.title)))
    if group.title_en:
        graph.add((concept, SKOS.prefLabel, Literal(group.title_en, lang="en")))
    graph.add((concept, SKOS.inScheme, URIRef(urls.themes())))
    return concept


def _add_contact(graph: Graph, dataset: Dataset) -> BNode:
    contact = BNode()
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, VCARD.fn, _ja(dataset.contact_name or str(dataset.department))))
    if dataset.contact_email:
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{dataset.contact_email}")))
    if dataset.contact_phone:
        phone = telephone_uri(dataset.contact_phone)
        graph.add((contact, VCARD.hasTelephone, phone or Literal(dataset.contact_phone)))
    return contact


def _add_license(graph: Graph, license_id: str) -> URIRef | None:
    found = BY_ID.get(license_id)
    if found is None:
        return None
    document = URIRef(found.url)
    graph.add((document, RDF.type, DCTERMS.LicenseDocument))
    graph.add((document, DCTERMS.title, _ja(found.title)))
    graph.add((document, DCTERMS.title, Literal(found.title_en, lang="en")))
    return document


def _add_schema(graph: Graph, schema_name: str) -> BNode:
    """The 自治体標準オープンデータセット table schema a file follows, as a dct:Standard."""
    from machi.opendata.table_schemas import UnknownSchemaError, load_schema

    standard = BNode()
    graph.add((standard, RDF.type, DCTERMS.Standard))
    graph.add((standard, DCTERMS.identifier, Literal(schema_name)))
    try:
        schema = load_schema(schema_name)
    except UnknownSchemaError:
        return standard
    graph.add((standard, DCTERMS.title, _ja(schema.title)))
    if schema.title_en:
        graph.add((standard, DCTERMS.title, Literal(schema.title_en, lang="en")))
    for source in schema.descriptor.get("x-source", ()):
        graph.add((standard, RDFS.seeAlso, URIRef(str(source))))
    return standard


def _add_distribution(
    graph: Graph,
    dataset: Dataset,
    resource: Resource,
    version: ResourceVersion | None,
    urls: Addresses,
) -> URIRef:
    node = URIRef(urls.resource(dataset, resource))
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, _ja(resource.name)))
    if resource.description:
        graph.add((node, DCTERMS.description, _ja(resource.description)))
    if version is not None:
        download = URIRef(urls.download(dataset, resource))
        graph.add((node, DCAT.accessURL, node))
        graph.add((node, DCAT.downloadURL, download))
        graph.add((node, DCAT.byteSize, Literal(version.size, datatype=XSD.nonNegativeInteger)))
        checksum = BNode()
        graph.add((node, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        graph.add((checksum, SPDX.checksumValue, Literal(version.sha256, datatype=XSD.hexBinary)))
        if version.encoding:
            graph.add((node, CNT.characterEncoding, Literal(version.encoding)))
        if version.published_at:
            graph.add((node, DCTERMS.modified, _datetime(version.published_at)))
        media_type = version.media_type
    else:
        graph.add((node, DCAT.accessURL, URIRef(resource.url)))
        media_type = ""
        graph.add((node, DCTERMS.modified, _datetime(resource.modified_at)))
    graph.add((node, DCTERMS.issued, _datetime(resource.created_at)))
    file_format = resource.format.upper()
    if file_format in FILE_TYPES:
        graph.add((node, DCTERMS.format, URIRef(EU_FILE_TYPE + FILE_TYPES[file_format])))
    elif resource.format:
        graph.add((node, DCTERMS.format, Literal(resource.format)))
    media_type = MEDIA_TYPES.get(file_format) or (
        media_type if media_type and media_type != "application/octet-stream" else ""
    )
    if media_type:
        graph.add((node, DCAT.mediaType, URIRef(IANA_MEDIA_TYPE + media_type)))
    license_document = _add_license(graph, dataset.license_id)
    if license_document is not None:
        graph.add((node, DCTERMS.license, license_document))
    if resource.schema_name:
        graph.add((node, DCTERMS.conformsTo, _add_schema(graph, resource.schema_name)))
    return node


def add_dataset(graph: Graph, dataset: Dataset, urls: Addresses) -> URIRef:
    """Describe one dataset (with its distributions) in ``graph``; returns its URI."""
    node = URIRef(urls.dataset(dataset))
    municipality = dataset.municipality
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(str(dataset.id))))
    graph.add((node, ADMS.identifier, Literal(dataset.name)))
    graph.add((node, DCTERMS.title, _ja(dataset.title)))
    if dataset.title_en:
        graph.add((node, DCTERMS.title, Literal(dataset.title_en, lang="en")))
    # DCAT-AP makes a description mandatory; the title stands in until staff write one.
    graph.add((node, DCTERMS.description, _ja(dataset.notes or dataset.title)))
    for tag in dataset.tags:
        graph.add((node, DCAT.keyword, _ja(tag)))
    for group in dataset.groups.all():
        graph.add((node, DCAT.theme, _add_theme(graph, group, urls)))
    graph.add((node, DCTERMS.publisher, _add_publisher(graph, dataset.department, urls)))
    graph.add((node, DCAT.contactPoint, _add_contact(graph, dataset)))
    frequency = FREQUENCY_URIS.get(dataset.frequency)
    if frequency:
        graph.add((node, DCTERMS.accrualPeriodicity, URIRef(frequency)))
        graph.add((URIRef(frequency), RDF.type, DCTERMS.Frequency))
    spatial = _add_spatial(graph, municipality, dataset.spatial or str(municipality))
    graph.add((node, DCTERMS.spatial, spatial))
    if dataset.temporal_start or dataset.temporal_end:
        period = BNode()
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if dataset.temporal_start:
            graph.add((period, DCAT.startDate, _date(dataset.temporal_start)))
        if dataset.temporal_end:
            graph.add((period, DCAT.endDate, _date(dataset.temporal_end)))
        graph.add((node, DCTERMS.temporal, period))
    graph.add((node, DCTERMS.issued, _datetime(dataset.created_at)))
    graph.add((node, DCTERMS.modified, _datetime(dataset.modified_at)))
    graph.add((node, DCAT.landingPage, node))
    graph.add((node, DCTERMS.language, URIRef(EU_LANGUAGE + "JPN")))
    for resource in dataset.resources.all():
        version = selectors.current_version(resource)
        if version is None and not resource.url:
            continue  # nothing public yet
        graph.add(
            (node, DCAT.distribution, _add_distribution(graph, dataset, resource, version, urls))
        )
    return node


def dataset_graph(dataset: Dataset, base_url: str) -> Graph:
    """One published dataset as DCAT-AP 3 (``/opendata/dataset/<name>.<fmt>``)."""
    graph = new_graph()
    add_dataset(graph, dataset, Addresses(base_url))
    return graph


# --- The catalog -------------------------------------------------------------------------


def parse_page(raw: str | None) -> int:
    if raw is None or raw == "":
        return 1
    value = nfkc(raw).strip()
    if not re.fullmatch(r"[0-9]{1,9}", value) or int(value) < 1:
        raise CatalogParameterError("page")
    return int(value)


def parse_modified_since(raw: str | None) -> dt.datetime | None:
    """ISO 8601 date or date-time; a naive value is taken as Japan time."""
    if not raw:
        return None
    try:
        value = dt.datetime.fromisoformat(nfkc(raw).strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise CatalogParameterError("modified_since") from exc
    if value.tzinfo is None:
        value = timezone.make_aware(value)
    return value


@dataclass(frozen=True)
class CatalogPage:
    ids: list[str]
    total: int
    page: int
    last_page: int


def catalog_page(
    municipality: Municipality,
    *,
    page: int = 1,
    modified_since: dt.datetime | None = None,
    q: str = "",
    fq: str = "",
) -> CatalogPage:
    """The ids of the datasets on one catalog page, newest change first."""
    index = selectors.catalog_index(municipality)
    try:
        found = index.search(
            q=q, fq=fq, sort="metadata_modified desc", rows=len(index.datasets) or 1
        )
    except (search.SearchQueryError, search.SearchParameterError) as exc:
        raise CatalogParameterError("q" if not fq else "fq", str(exc)) from exc
    ids = found.ids
    if modified_since is not None:
        modified = {doc.id: doc.metadata_modified for doc in index.datasets}
        ids = [i for i in ids if modified[i] >= modified_since]
    total = len(ids)
    last_page = max(1, math.ceil(total / PAGE_SIZE))
    if page > last_page:
        raise CatalogParameterError("page", str(last_page))
    start = (page - 1) * PAGE_SIZE
    return CatalogPage(ids[start : start + PAGE_SIZE], total, page, last_page)


def _add_paging(
    graph: Graph, result: CatalogPage, urls: Addresses, fmt: str, query: dict[str, str]
) -> None:
    def page_url(number: int) -> str:
        return urls.catalog_document(fmt, **query, page=str(number))

    node = URIRef(page_url(result.page))
    graph.add((node, RDF.type, HYDRA.PagedCollection))
    graph.add((node, HYDRA.totalItems, Literal(result.total, datatype=XSD.integer)))
    graph.add((node, HYDRA.itemsPerPage, Literal(PAGE_SIZE, datatype=XSD.integer)))
    graph.add((node, HYDRA.firstPage, Literal(page_url(1))))
    graph.add((node, HYDRA.lastPage, Literal(page_url(result.last_page))))
    if result.page > 1:
        graph.add((node, HYDRA.previousPage, Literal(page_url(result.page - 1))))
    if result.page < result.last_page:
        graph.add((node, HYDRA.nextPage, Literal(page_url(result.page + 1))))


def catalog_graph(
    municipality: Municipality,
    *,
    base_url: str,
    fmt: str = "ttl",
    page: int = 1,
    modified_since: dt.datetime | None = None,
    q: str = "",
    fq: str = "",
) -> Graph:
    """The municipality's catalog, one page of :data:`PAGE_SIZE` datasets.

    Raises :class:`CatalogParameterError` for a page past the end or a query that cannot
    be parsed.
    """
    urls = Addresses(base_url)
    result = catalog_page(municipality, page=page, modified_since=modified_since, q=q, fq=fq)
    graph = new_graph()
    catalog = URIRef(urls.portal())
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, _ja(f"{municipality.name}オープンデータカタログ")))
    english_name = municipality.name_en or municipality.name
    graph.add((catalog, DCTERMS.title, Literal(f"{english_name} Open Data Catalog", lang="en")))
    graph.add(
        (
            catalog,
            DCTERMS.description,
            _ja(
                f"{municipality}が公開するオープンデータの一覧です。"
                "機械判読可能な形式で、利用規約とともに提供しています。"
            ),
        )
    )
    graph.add(
        (
            catalog,
            DCTERMS.description,
            Literal(
                f"Open data published by {english_name}, machine-readable and licensed.",
                lang="en",
            ),
        )
    )
    graph.add((catalog, DCTERMS.publisher, _add_municipality(graph, municipality, urls)))
    graph.add((catalog, DCTERMS.language, URIRef(EU_LANGUAGE + "JPN")))
    graph.add((catalog, DCTERMS.language, URIRef(EU_LANGUAGE + "ENG")))
    graph.add((catalog, FOAF.homepage, catalog))
    graph.add((catalog, DCTERMS.spatial, _add_spatial(graph, municipality, str(municipality))))
    themes = URIRef(urls.themes())
    graph.add((catalog, DCAT.themeTaxonomy, themes))
    graph.add((themes, RDF.type, SKOS.ConceptScheme))
    graph.add((themes, DCTERMS.title, _ja(f"{municipality.name}オープンデータの分類")))
    newest = _newest_change(municipality)
    if newest is not None:
        graph.add((catalog, DCTERMS.modified, _datetime(newest)))
    for dataset in _datasets(municipality, result.ids):
        graph.add((catalog, DCAT.dataset, add_dataset(graph, dataset, urls)))
    query = {"q": q, "fq": fq}
    if modified_since is not None:
        query["modified_since"] = modified_since.isoformat()
    _add_paging(graph, result, urls, fmt, query)
    return graph


def _datasets(municipality: Municipality, ids: list[str]) -> Iterable[Dataset]:
    datasets = selectors.datasets_by_ids(municipality, ids)
    for dataset in datasets:
        dataset.municipality = municipality
    return datasets


def _newest_change(municipality: Municipality) -> dt.datetime | None:
    index = selectors.catalog_index(municipality)
    stamps = [doc.metadata_modified for doc in index.datasets if doc.state == "active"]
    return max(stamps) if stamps else None
