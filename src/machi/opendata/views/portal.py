"""Public pages of the open data portal: search, dataset, resource (preview, map, history)
and downloads. No sign-in; only published datasets of the request's municipality."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from machi.core.localized import localized
from machi.core.tenant_request import MunicipalRequest
from machi.opendata import preview, selectors
from machi.opendata.licenses import BY_ID, FREQUENCIES, license_title
from machi.opendata.models import Dataset, Resource, ResourceVersion, VersionStatus
from machi.opendata.report_display import encoding_label
from machi.opendata.search import FACET_FIELDS, SearchParameterError, SearchQueryError

RESULTS_PER_PAGE = 20
FACET_ITEMS_SHOWN = 10
MAX_PAGE = 500
FACET_TITLES = {
    "organization": gettext_lazy("Publisher"),
    "groups": gettext_lazy("Group"),
    "tags": gettext_lazy("Tag"),
    "res_format": gettext_lazy("Format"),
    "license_id": gettext_lazy("Licence"),
}
SORTS = {
    "": ("score desc, metadata_modified desc", gettext_lazy("Best match")),
    "modified": ("metadata_modified desc", gettext_lazy("Recently updated")),
    "title": ("title_string asc", gettext_lazy("By title")),
}


# --- search -------------------------------------------------------------------------------


@dataclass
class FacetItem:
    value: str
    label: str
    count: int
    active: bool
    url: str


def _filters(request: MunicipalRequest) -> dict[str, list[str]]:
    """The facet values picked (``?groups=bousai&tags=防災``), each value at most once."""
    picked: dict[str, list[str]] = {}
    for name in FACET_FIELDS:
        values: list[str] = []
        for raw in request.GET.getlist(name)[:10]:
            value = raw.replace('"', "").strip()[:100]
            if value and value not in values:
                values.append(value)
        if values:
            picked[name] = values
    return picked


def filter_query(filters: dict[str, list[str]]) -> str:
    """The CKAN ``fq`` for the picked facets: every value must match (AND)."""
    return " ".join(f'{name}:"{value}"' for name, values in filters.items() for value in values)


def _query_string(q: str, filters: dict[str, list[str]], sort: str, page: int = 1) -> str:
    params: list[tuple[str, str]] = [("q", q)] if q else []
    for name, values in filters.items():
        params += [(name, value) for value in values]
    if sort:
        params.append(("sort", sort))
    if page > 1:
        params.append(("page", str(page)))
    return urlencode(params)


def _toggled(filters: dict[str, list[str]], name: str, value: str) -> dict[str, list[str]]:
    values = list(filters.get(name, []))
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    changed = {k: v for k, v in filters.items() if k != name}
    if values:
        changed[name] = values
    return {k: changed[k] for k in FACET_FIELDS if k in changed}


def _facet_labels(
    request: MunicipalRequest,
    facets: dict[str, list[tuple[str, int]]],
    filters: dict[str, list[str]],
    language: str,
) -> dict[str, dict[str, str]]:
    """Labels of the facet values on the page: those counted and those picked."""
    return {
        name: selectors.facet_labels(
            request.municipality,
            name,
            {value for value, _count in facets.get(name, [])} | set(filters.get(name, [])),
            language,
        )
        for name in FACET_FIELDS
    }


def _page_number(text: str | None) -> int:
    try:
        return max(1, min(MAX_PAGE, int(text or 1)))
    except ValueError:
        return 1


def search(request: MunicipalRequest) -> HttpResponse:
    language = get_language() or "ja"
    q = request.GET.get("q", "").strip()[:200]
    filters = _filters(request)
    sort = request.GET.get("sort", "")
    if sort not in SORTS:
        sort = ""
    page = _page_number(request.GET.get("page"))
    fq = filter_query(filters)
    error = ""
    try:
        result = selectors.catalog_index(request.municipality).search(
            q=q,
            fq=fq,
            sort=SORTS[sort][0],
            start=(page - 1) * RESULTS_PER_PAGE,
            rows=RESULTS_PER_PAGE,
            facet_fields=FACET_FIELDS,
        )
    except (SearchQueryError, SearchParameterError):
        error = _(
            "The search words could not be understood. Remove characters such as : ( ) and "
            "try again."
        )
        result = None
    labels = _facet_labels(request, result.facets if result else {}, filters, language)
    facets = []
    if result is not None:
        for name in FACET_FIELDS:
            items = [
                FacetItem(
                    value=value,
                    label=labels.get(name, {}).get(value, value),
                    count=count,
                    active=value in filters.get(name, []),
                    url="?" + _query_string(q, _toggled(filters, name, value), sort),
                )
                for value, count in result.facets.get(name, [])
            ]
            if items:
                shown = items[:FACET_ITEMS_SHOWN] + [
                    i for i in items[FACET_ITEMS_SHOWN:] if i.active
                ]
                more = [i for i in items[FACET_ITEMS_SHOWN:] if not i.active]
                facets.append(
                    {"name": name, "title": FACET_TITLES[name], "items": shown, "more": more}
                )
    active = [
        {
            "title": FACET_TITLES[name],
            "label": labels.get(name, {}).get(value, value),
            "url": "?" + _query_string(q, _toggled(filters, name, value), sort),
        }
        for name, values in filters.items()
        for value in values
    ]
    count = result.count if result else 0
    pages = max(1, -(-count // RESULTS_PER_PAGE))
    datasets = selectors.datasets_by_ids(request.municipality, result.ids) if result else []
    api_params = [("q", q)] if q else []
    api_params += [("fq", fq)] if fq else []
    api_params += [("rows", str(RESULTS_PER_PAGE))]
    if page > 1:
        api_params.append(("start", str((page - 1) * RESULTS_PER_PAGE)))
    if sort:
        api_params.append(("sort", SORTS[sort][0]))
    context = {
        "q": q,
        "filters": filters,
        "sort": sort,
        "sorts": [(key, label) for key, (_value, label) in SORTS.items()],
        "error": error,
        "count": count,
        "page": page,
        "pages": pages,
        "previous_url": "?" + _query_string(q, filters, sort, page - 1) if page > 1 else "",
        "next_url": "?" + _query_string(q, filters, sort, page + 1) if page < pages else "",
        "results": [_result_row(d, language) for d in datasets],
        "facets": facets,
        "active_filters": active,
        "api_url": "/api/3/action/package_search?" + urlencode(api_params),
        "first_result": (page - 1) * RESULTS_PER_PAGE + 1,
    }
    return render(request, "opendata/search.html", context, status=400 if error else 200)


def _result_row(dataset: Dataset, language: str) -> dict[str, Any]:
    formats = sorted({r.format.upper() for r in dataset.resources.all() if r.format})
    return {
        "dataset": dataset,
        "title": localized(dataset, "title", language),
        "formats": formats,
        "publisher": dataset.department,
    }


# --- dataset ------------------------------------------------------------------------------


def _dataset_or_404(request: MunicipalRequest, name: str) -> Dataset:
    dataset = selectors.dataset_find(request.municipality, name)
    if dataset is None or dataset.name != name:
        raise Http404(_("No published dataset has this name."))
    return dataset


def _resource_row(resource: Resource, dataset: Dataset) -> dict[str, Any]:
    version = selectors.current_version(resource)
    return {
        "resource": resource,
        "version": version,
        "format": resource.format or (_format_of(version.filename) if version else ""),
        "encoding": encoding_label(version.encoding, version.has_bom) if version else "",
        "modified": version.published_at if version else resource.modified_at,
        "download_url": reverse("opendata:download", args=[dataset.name, resource.pk])
        if version
        else resource.url,
        "page_url": reverse("opendata:resource", args=[dataset.name, resource.pk]),
    }


def _format_of(filename: str) -> str:
    return PurePath(filename).suffix.lstrip(".").upper()


def dataset(request: MunicipalRequest, name: str) -> HttpResponse:
    found = _dataset_or_404(request, name)
    language = get_language() or "ja"
    licence = BY_ID.get(found.license_id)
    context = {
        "dataset": found,
        "title": localized(found, "title", language),
        "groups": [(g, localized(g, "title", language)) for g in found.groups.all()],
        "licence": licence,
        "licence_title": license_title(found.license_id, language),
        "frequency": dict(FREQUENCIES).get(found.frequency, found.frequency),
        "resources": [_resource_row(r, found) for r in found.resources.all()],
        "jsonld_url": reverse("opendata:dcat_dataset", args=[found.name, "jsonld"]),
        "ttl_url": reverse("opendata:dcat_dataset", args=[found.name, "ttl"]),
        "api_url": "/api/3/action/package_show?" + urlencode({"id": found.name}),
    }
    return render(request, "opendata/dataset.html", context)


# --- resource -----------------------------------------------------------------------------


def _resource_or_404(request: MunicipalRequest, name: str, resource_id: Any) -> Resource:
    resource = selectors.resource_find(request.municipality, str(resource_id))
    if resource is None or resource.dataset.name != name:
        raise Http404(_("This dataset has no such resource."))
    return resource


def resource(request: MunicipalRequest, name: str, resource_id: Any) -> HttpResponse:
    found = _resource_or_404(request, name, resource_id)
    dataset = found.dataset
    language = get_language() or "ja"
    version = selectors.current_version(found)
    table = preview.table_preview(version)
    points = preview.map_points(version) if table is not None else []
    history = [
        {
            "version": v,
            "download_url": reverse(
                "opendata:download_version", args=[dataset.name, found.pk, v.number]
            ),
        }
        for v in selectors.resource_history(found)
    ]
    map_data = {
        "tiles": settings.MACHI_MAP_TILE_URL,
        "attribution": settings.MACHI_MAP_ATTRIBUTION,
        "icons": static("vendor/leaflet/images/"),
        "label": _("Marker"),
        "points": points,
    }
    context = {
        "dataset": dataset,
        "dataset_title": localized(dataset, "title", language),
        "resource": found,
        "row": _resource_row(found, dataset),
        "version": version,
        "table": table,
        "points": points,
        "map_data": map_data,
        "history": history,
        "datastore_url": "/api/3/action/datastore_search?"
        + urlencode({"resource_id": str(found.pk), "limit": 5})
        if table is not None
        else "",
        "resource_api_url": "/api/3/action/resource_show?" + urlencode({"id": str(found.pk)}),
    }
    return render(request, "opendata/resource.html", context)


# --- downloads ----------------------------------------------------------------------------


def content_type(version: ResourceVersion) -> str:
    media_type = version.media_type or "application/octet-stream"
    if media_type.startswith("text/") and version.encoding:
        if encoding_label(version.encoding, False).startswith("Shift_JIS"):
            return f"{media_type}; charset=Windows-31J"
        if version.encoding.lower().startswith("utf"):
            return f"{media_type}; charset=utf-8"
    return media_type


def attachment_header(filename: str, fallback: str) -> str:
    """``Content-Disposition`` with an ASCII ``filename`` and the real one as RFC 5987
    ``filename*`` (browsers use the latter, so 指定避難所.csv keeps its name)."""
    ascii_name = "".join(c for c in fallback if c.isascii() and c.isprintable() and c not in '"\\')
    header = f'attachment; filename="{ascii_name or "download"}"'
    if filename != ascii_name:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def download(request: MunicipalRequest, name: str, resource_id: Any, number: int = 0) -> Any:
    found = _resource_or_404(request, name, resource_id)
    if number:
        version = found.versions.filter(number=number, status=VersionStatus.PUBLISHED).first()
    else:
        version = selectors.current_version(found)
    if version is None or not version.file:
        raise Http404(_("This version of the file is not published."))
    try:
        handle = version.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("This version of the file is not published.")) from None
    suffix = PurePath(version.filename).suffix
    response = FileResponse(handle, content_type=content_type(version))
    response["Content-Disposition"] = attachment_header(
        version.filename, f"{found.dataset.name}-v{version.number}{suffix}"
    )
    return response
