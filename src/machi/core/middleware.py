"""Resolves the tenant (自治体) of each request from its host name; keeps private pages out
of caches."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from machi.core.api import error_response
from machi.core.json_input import bilingual
from machi.core.selectors import municipality_for_host

# Probes must answer even before any municipality exists.
TENANTLESS_PATHS = ("/healthz", "/readyz", "/static/")


class MunicipalityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(TENANTLESS_PATHS):
            request.municipality = None  # type: ignore[attr-defined]
            return self.get_response(request)
        municipality = municipality_for_host(request.get_host())
        request.municipality = municipality  # type: ignore[attr-defined]
        if municipality is None and not request.path.startswith("/admin/"):
            if request.path.startswith("/api/"):
                message = _("No municipality is configured for this address")
                return error_response(503, "no_municipality", bilingual(message))
            return render(request, "core/no_municipality.html", status=503)
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Pages served to someone with a session are never stored by browsers or proxies.

    Signed-in pages and the pages an application link opened (both need the session
    cookie) show personal data: a shared computer's back button or disk cache must not
    show them to the next person. A view that chose its own Cache-Control keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        has_session = settings.SESSION_COOKIE_NAME in request.COOKIES or (
            hasattr(request, "session") and request.session.modified
        )
        if has_session and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
