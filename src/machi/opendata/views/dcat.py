"""DCAT-AP 3 documents: ``/opendata/catalog.<fmt>`` and ``/opendata/dataset/<name>.<fmt>``.

``fmt`` is ``jsonld``, ``ttl``, ``rdf``/``xml`` (RDF/XML) or ``n3``; anything else is 404.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from machi.core.tenant_request import MunicipalRequest
from machi.opendata import dcat, selectors


def _site(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _document(body: bytes, fmt: str) -> HttpResponse:
    response = HttpResponse(body, content_type=dcat.SERIALIZATIONS[fmt].content_type)
    # Open data: any web page may read the metadata.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _bad_request(message: str) -> HttpResponse:
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def _parameter_message(error: dcat.CatalogParameterError) -> str:
    if error.parameter == "page" and error.detail:
        return _("There is no such page: the catalog has %(last)s page(s).") % {
            "last": error.detail
        }
    if error.parameter == "page":
        return _("page must be a whole number of 1 or more, for example page=2.")
    if error.parameter == "modified_since":
        return _(
            "modified_since must be an ISO 8601 date or date and time, "
            "for example 2025-04-01 or 2025-04-01T09:00:00+09:00."
        )
    return _("The search in %(parameter)s cannot be understood: %(detail)s") % {
        "parameter": error.parameter,
        "detail": error.detail,
    }


@require_safe
def catalog(request: MunicipalRequest, fmt: str) -> HttpResponse:
    if fmt not in dcat.SERIALIZATIONS:
        raise Http404
    try:
        graph = dcat.catalog_graph(
            request.municipality,
            base_url=_site(request),
            fmt=fmt,
            page=dcat.parse_page(request.GET.get("page")),
            modified_since=dcat.parse_modified_since(request.GET.get("modified_since")),
            q=request.GET.get("q", ""),
            fq=request.GET.get("fq", ""),
        )
    except dcat.CatalogParameterError as error:
        return _bad_request(_parameter_message(error))
    return _document(dcat.serialize(graph, fmt), fmt)


@require_safe
def dataset(request: MunicipalRequest, name: str, fmt: str) -> HttpResponse:
    if fmt not in dcat.SERIALIZATIONS:
        raise Http404
    found = selectors.dataset_find(request.municipality, name)
    if found is None:
        raise Http404
    graph = dcat.dataset_graph(found, _site(request))
    response = _document(dcat.serialize(graph, fmt), fmt)
    page = dcat.Addresses(_site(request)).dataset(found)
    response["Link"] = f'<{page}>; rel="alternate"; type="text/html"'
    return response
