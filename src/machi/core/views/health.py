"""Health checks for the load balancer and the orchestrator (``/healthz``, ``/readyz``)."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database and the cache both answer."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {exc.__class__.__name__}"
    # The production cache falls back to process memory: ask Redis itself.
    health = getattr(cache, "health", None)
    if callable(health):
        checks["cache"] = health()
    else:
        try:
            cache.set("machi:readyz", "1", 5)
            checks["cache"] = "ok" if cache.get("machi:readyz") == "1" else "error: no round trip"
        except Exception as exc:
            checks["cache"] = f"error: {exc.__class__.__name__}"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
