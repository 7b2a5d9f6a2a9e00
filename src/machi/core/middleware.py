"""Resolves the tenant (自治体) of each request from its host name."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
            return render(request, "core/no_municipality.html", status=503)
        return self.get_response(request)
