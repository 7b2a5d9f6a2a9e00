"""HTML views of the portal shell: parse, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from machi.core import selectors
from machi.core.access import staff_required
from machi.core.forms import ProfileForm
from machi.core.japanese.phone import format_phone
from machi.core.japanese.postal import format_postal_code
from machi.core.models import User
from machi.core.permissions import FAQ_ROLES, has_role
from machi.core.services.notifications import staff_notifications_read
from machi.core.services.residents import (
    READ_ROLES,
    resident_list_view,
    resident_profile_update,
    resident_record_view,
)
from machi.core.tenant_request import MunicipalRequest


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@login_required
def mypage(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if user.is_municipal_staff:
        return redirect("core:staff_home")
    profile = selectors.resident_profile_of(user=user)
    return render(request, "core/mypage.html", {"account": user, "profile": profile})


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    """The resident's own details, used to fill in forms for them (ワンスオンリー)."""
    user = request.user
    assert isinstance(user, User)
    if not user.is_resident:
        raise PermissionDenied
    profile = selectors.resident_profile_of(user=user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                resident_profile_update(user=user, changes=dict(form.cleaned_data))
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Your details were saved."))
                return redirect("core:mypage")
        return render(request, "core/profile_edit.html", {"form": form}, status=400)
    initial = {
        "postal_code": format_postal_code(profile.postal_code)[1:]
        if profile and profile.postal_code
        else "",
        "address": profile.address if profile else "",
        "phone": format_phone(profile.phone) if profile and profile.phone else "",
        "birthdate": profile.birthdate.isoformat() if profile and profile.birthdate else "",
    }
    return render(request, "core/profile_edit.html", {"form": ProfileForm(initial=initial)})


@staff_required
def staff_home(request: MunicipalRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    roles = selectors.staff_roles_of(user=user, municipality=request.municipality)
    can_read_residents = user.is_superuser or has_role(user, request.municipality, READ_ROLES)
    unread = selectors.unread_notification_count(user=user)
    return render(
        request,
        "core/staff_home.html",
        {
            "roles": roles,
            "can_read_residents": can_read_residents,
            "can_manage_faq": has_role(user, request.municipality, FAQ_ROLES),
            "unread_notifications": unread,
        },
    )


@staff_required
def staff_resident_search(request: MunicipalRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    query = request.GET.get("q", "")
    # Committee advisers and other plan-only accounts never see residents (403); every
    # list shown is in the audit log.
    residents = resident_list_view(
        staff=user, municipality=request.municipality, query=query, purpose="resident_search"
    )
    return render(
        request, "core/staff_resident_search.html", {"query": query, "residents": residents}
    )


@staff_required
def staff_resident_detail(request: MunicipalRequest, resident_id: str) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    resident = resident_record_view(
        staff=user,
        municipality=request.municipality,
        resident_id=resident_id,
    )
    return render(request, "core/staff_resident_detail.html", {"resident": resident})


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


@staff_required
def staff_notifications(request: MunicipalRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST":
        staff_notifications_read(user=user)
        return redirect("core:staff_notifications")
    items = selectors.staff_notifications(user=user)
    return render(request, "core/staff_notifications.html", {"items": items})
