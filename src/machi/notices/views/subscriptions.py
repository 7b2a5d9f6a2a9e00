"""Subscribing to notices by e-mail, without an account: ask, confirm, unsubscribe.

Links in mail open a page with a button rather than acting on GET: mail scanners
follow links, and must not confirm or cancel anything. The unsubscribe address also
takes RFC 8058's one-click POST from mail programs, which carries no CSRF token: the
signed token in the address is what allows it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from machi.core.models import User
from machi.core.ratelimit import NOTICE_SUBSCRIPTIONS
from machi.core.tenant_request import MunicipalRequest
from machi.notices import selectors
from machi.notices.services import subscriptions


def _picked(request: MunicipalRequest, name: str, options: list[Any]) -> list[Any]:
    wanted = set(request.POST.getlist(name))
    return [o for o in options if o.code in wanted]


def subscribe(request: MunicipalRequest) -> HttpResponse:
    municipality = request.municipality
    categories = list(selectors.categories(municipality=municipality))
    districts = list(selectors.districts(municipality=municipality))
    errors: dict[str, list[str]] = {}
    values = {"email": "", "categories": set(), "districts": set()}
    status = 200
    if request.method == "POST":
        values = {
            "email": request.POST.get("email", "")[:254],
            "categories": set(request.POST.getlist("categories")),
            "districts": set(request.POST.getlist("districts")),
        }
        if not NOTICE_SUBSCRIPTIONS.allow(request):
            errors = {"email": [_("Too many requests from your connection. Try again later.")]}
            status = 429
        else:
            try:
                subscriptions.email_subscription_request(
                    municipality=municipality,
                    email=values["email"],  # type: ignore[arg-type]
                    categories=_picked(request, "categories", categories),
                    districts=_picked(request, "districts", districts),
                    portal_url=request.build_absolute_uri("/"),
                    language=(get_language() or "ja")[:2],
                    # Signed in: the subscription shows on their マイページ.
                    user=request.user if isinstance(request.user, User) else None,
                )
            except ValidationError as exc:
                errors, status = exc.message_dict, 400
            else:
                return render(request, "notices/subscribe_sent.html", {"email": values["email"]})
    return render(
        request,
        "notices/subscribe.html",
        {
            "categories": categories,
            "districts": districts,
            "values": values,
            "errors": errors,
            "line_available": selectors.line_available(municipality=municipality),
        },
        status=status,
    )


def confirm(request: MunicipalRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            subscriptions.subscription_confirm(token=token)
        except ValidationError as exc:
            return render(
                request, "notices/link_problem.html", {"error": exc.messages[0]}, status=400
            )
        return render(request, "notices/subscribed.html")
    return render(request, "notices/confirm.html", {"token": token})


@csrf_exempt
def unsubscribe(request: MunicipalRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            subscription = subscriptions.subscription_cancel(token=token)
        except ValidationError as exc:
            return render(
                request, "notices/link_problem.html", {"error": exc.messages[0]}, status=400
            )
        return render(request, "notices/unsubscribed.html", {"address": subscription.address})
    return render(request, "notices/unsubscribe.html", {"token": token})
