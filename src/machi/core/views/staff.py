"""The staff home, the resident register (search, record) and staff notifications."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

from machi.core import selectors
from machi.core.access import staff_required
from machi.core.models import User
from machi.core.permissions import FAQ_ROLES, has_role
from machi.core.services.notifications import staff_notifications_read
from machi.core.services.residents import READ_ROLES, resident_list_view, resident_record_view
from machi.core.tenant_request import MunicipalRequest


@staff_required
def staff_home(request: MunicipalRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    roles = selectors.staff_roles_of(user=user, municipality=request.municipality)
    can_read_residents = user.is_superuser or has_role(user, request.municipality, READ_ROLES)
    unread = selectors.unread_notification_count(user=user)
    # What other apps add (``MACHI_STAFF_HOME_CARDS``: core names no app).
    cards = []
    for path in settings.MACHI_STAFF_HOME_CARDS:
        made = import_string(path)(user=user, municipality=request.municipality)
        if made is not None:
            template, context = made
            cards.append(render_to_string(template, context, request=request))
    return render(
        request,
        "core/staff_home.html",
        {
            "roles": roles,
            "can_read_residents": can_read_residents,
            "can_manage_faq": has_role(user, request.municipality, FAQ_ROLES),
            "unread_notifications": unread,
            "cards": cards,
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


@staff_required
def staff_notifications(request: MunicipalRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST":
        staff_notifications_read(user=user)
        return redirect("core:staff_notifications")
    items = selectors.staff_notifications(user=user)
    return render(request, "core/staff_notifications.html", {"items": items})
