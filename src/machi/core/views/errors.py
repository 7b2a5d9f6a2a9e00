"""Error answers Django gives outside any view (``handler400/403/404/500`` in
``machi.config.urls``): JSON in the API error body for ``/api/`` paths, the site's pages
for everything else. A database that does not answer is an outage, not a fault: every
page then says 503 "temporarily unavailable" (docs/operations.md)."""

from __future__ import annotations

import sys
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from machi.core.api import error_response
from machi.core.json_input import bilingual

API_PREFIX = "/api/"
DATABASE_RETRY_AFTER_SECONDS = 120


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request: HttpRequest, exception: Any) -> HttpResponse:
    if _is_api(request):
        message = _("The request cannot be read (too large, too many fields or malformed).")
        return error_response(400, "bad_request", bilingual(message))
    from django.shortcuts import render

    return render(
        request,
        "core/bad_request.html",
        {"problem": _("The request cannot be read. Go back and send it again.")},
        status=400,
    )


def permission_denied(request: HttpRequest, exception: Any) -> HttpResponse:
    if _is_api(request):
        return error_response(
            403, "permission_denied", bilingual(_("You do not have permission to do this."))
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Any) -> HttpResponse:
    if _is_api(request):
        message = _("There is no API at this address. See /api/schema/ for the API paths.")
        return error_response(404, "not_found", bilingual(message))
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _database_down():
        return _database_unavailable(request)
    if _is_api(request):
        message = _("Something went wrong on our side. Try again later.")
        return error_response(500, "server_error", bilingual(message))
    return defaults.server_error(request)


def _database_down() -> bool:
    """The failure was the database not answering, not a bad query: it is down."""
    exc = sys.exc_info()[1]
    return isinstance(exc, (OperationalError, InterfaceError))


def _database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: an outage, not a fault of the page. Rendered without a
    request context: the context processors would ask the database again."""
    if _is_api(request):
        message = _("The service is temporarily unavailable. Try again in a few minutes.")
        response: HttpResponse = error_response(503, "unavailable", bilingual(message))
    else:
        response = HttpResponse(loader.get_template("503_database.html").render(), status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    return response
