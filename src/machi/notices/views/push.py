"""Web Push from the notice pages: the service worker, and the two addresses the page's
script posts a browser's push subscription to (JSON, with the CSRF token in the
``X-CSRFToken`` header). Bad input is a 400 with a message the page shows, never a 500.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from machi.core.ratelimit import NOTICE_SUBSCRIPTIONS
from machi.core.tenant_request import MunicipalRequest
from machi.notices import selectors
from machi.notices.services import push

MAX_BODY = 8192


@lru_cache(maxsize=1)
def _service_worker_source() -> str:
    return render_to_string(
        "notices/sw.js",
        {"icon": static("notices/icon-192.png"), "notices": reverse("notices:list")},
    )


@require_GET
def service_worker(request: MunicipalRequest) -> HttpResponse:
    """The service worker, from the site's root so that it may control /notices/."""
    response = HttpResponse(_service_worker_source(), content_type="text/javascript")
    # Browsers check for a new worker at most daily anyway; no-cache makes it prompt.
    response["Cache-Control"] = "no-cache"
    return response


# (token in the User-Agent, name), the first that matches: Edge and Opera also say Chrome,
# Chrome also says Safari.
_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("Linux", "Linux"),
)


def browser_name(user_agent: str) -> str:
    """A name the resident recognises their device by ("Chrome on Android"), not the
    whole User-Agent: collect the minimum."""
    browser = next((name for token, name in _BROWSERS if token in user_agent), "")
    system = next((name for token, name in _SYSTEMS if token in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"ok": False, "message": message}, status=status)


def _document(request: MunicipalRequest) -> dict[str, Any]:
    if len(request.body) > MAX_BODY:
        raise ValidationError(_("The request is too large."))
    try:
        document = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError(_("The browser sent something that is not JSON. Try again.")) from exc
    if not isinstance(document, dict):
        raise ValidationError(_("The browser sent no push subscription. Try again."))
    return document


def _codes(document: dict[str, Any], name: str) -> set[str]:
    value = document.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Choose categories and districts from the lists."))
    return set(value)


@require_POST
def subscribe(request: MunicipalRequest) -> JsonResponse:
    if not NOTICE_SUBSCRIPTIONS.allow(request):
        return _error(_("Too many requests from your connection. Try again later."), 429)
    municipality = request.municipality
    try:
        document = _document(request)
        wanted_categories = _codes(document, "categories")
        wanted_districts = _codes(document, "districts")
        categories = [
            c
            for c in selectors.categories(municipality=municipality)
            if c.code in wanted_categories
        ]
        districts = [
            d for d in selectors.districts(municipality=municipality) if d.code in wanted_districts
        ]
        push.push_subscribe(
            municipality=municipality,
            subscription=document.get("subscription"),  # type: ignore[arg-type]
            categories=categories,
            districts=districts,
            portal_url=request.build_absolute_uri("/"),
            language=(get_language() or "ja")[:2],
            label=browser_name(request.headers.get("User-Agent", "")),
            user=request.user if request.user.is_authenticated else None,
        )
    except ValidationError as exc:
        return _error(exc.messages[0])
    return JsonResponse(
        {"ok": True, "message": _("Notices will now come to this device.")}, status=201
    )


@require_POST
def unsubscribe(request: MunicipalRequest) -> JsonResponse:
    try:
        document = _document(request)
        push.push_unsubscribe(
            municipality=request.municipality,
            endpoint=document.get("endpoint"),
            auth=document.get("auth"),
            user=request.user if request.user.is_authenticated else None,
        )
    except ValidationError as exc:
        return _error(exc.messages[0])
    return JsonResponse({"ok": True, "message": _("Notices no longer come to this device.")})
