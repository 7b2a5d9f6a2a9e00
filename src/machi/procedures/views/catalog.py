"""The procedure catalog: search, categories and each procedure's page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language

from machi.core.identity_provider import card_sign_in
from machi.core.tenant_request import MunicipalRequest
from machi.procedures import selectors
from machi.procedures.access import user_of
from machi.procedures.models import IDENTITY_RANK
from machi.procedures.services.drafts import identity_of

MAX_QUERY_LENGTH = 100


def catalog(request: MunicipalRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = (
        selectors.procedure_search(municipality=request.municipality, query=query) if query else []
    )
    context = {
        "query": query,
        "results": results,
        "searched": bool(query),
        "categories": selectors.category_list(municipality=request.municipality),
        "life_events": selectors.life_event_list(municipality=request.municipality),
        "language": get_language() or "ja",
    }
    return render(request, "procedures/catalog.html", context)


def category(request: MunicipalRequest, code: str) -> HttpResponse:
    chosen = selectors.category_get(municipality=request.municipality, code=code)
    procedures = selectors.published_procedures(municipality=request.municipality).filter(
        category=chosen
    )
    return render(
        request,
        "procedures/category.html",
        {"category": chosen, "procedures": procedures, "language": get_language() or "ja"},
    )


def detail(request: MunicipalRequest, code: str) -> HttpResponse:
    procedure = selectors.procedure_get(municipality=request.municipality, code=code)
    user = user_of(request)
    have = identity_of(user)
    here = reverse("procedures:detail", kwargs={"code": code})
    identity_ok = IDENTITY_RANK[have] >= IDENTITY_RANK[procedure.identity_level]
    card = card_sign_in()
    context = {
        "procedure": procedure,
        "language": get_language() or "ja",
        # A resident verified earlier may still apply when card sign-in is switched off.
        "online": procedure.can_apply_online
        and (identity_ok or selectors.offered_online(procedure)),
        "identity_ok": identity_ok,
        "is_staff_user": bool(user and not user.is_resident),
        "signed_in": user is not None,
        "login_url": f"{reverse('account_login')}?next={here}",
        "card_sign_in": card,
        "card_url": card.login_url(here) if card else "",
    }
    return render(request, "procedures/detail.html", context)
