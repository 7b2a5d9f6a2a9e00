"""マイページ's お知らせの受け取り: a signed-in resident changes the topics of their own
subscriptions on every channel, stops and starts them, and starts one by e-mail.

The list itself is a section of core's マイページ (``MACHI_MYPAGE_SECTIONS``,
``selectors.mypage_section``); these are the pages and buttons behind it. Anyone else's
subscription answers 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from machi.core import selectors as core_selectors
from machi.core.models import User
from machi.core.ratelimit import NOTICE_SUBSCRIPTIONS
from machi.core.tenant_request import MunicipalRequest
from machi.notices import selectors
from machi.notices.models import Subscription
from machi.notices.services import subscriptions

OTHER = "other"  # the e-mail start page's choice for an address typed in


def _resident(request: MunicipalRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not user.is_resident:
        raise PermissionDenied(_("This page is for residents' accounts."))
    return user


def _back() -> HttpResponse:
    response = redirect("core:mypage")
    response["Location"] += "#notice-subscriptions"
    return response


def _topics(request: MunicipalRequest) -> tuple[list[Any], list[Any], dict[str, list[str]]]:
    """The categories and districts ticked; a code that is not this city's is an error
    (a changed or stale page), not silently dropped."""
    municipality = request.municipality
    categories = {c.code: c for c in selectors.categories(municipality=municipality)}
    districts = {d.code: d for d in selectors.districts(municipality=municipality)}
    wanted_c, wanted_d = request.POST.getlist("categories"), request.POST.getlist("districts")
    errors: dict[str, list[str]] = {}
    if any(code not in categories for code in wanted_c) or any(
        code not in districts for code in wanted_d
    ):
        errors["categories"] = [_("Choose categories and districts from the list.")]
    return (
        [categories[c] for c in wanted_c if c in categories],
        [districts[d] for d in wanted_d if d in districts],
        errors,
    )


def _language() -> str:
    return (get_language() or "ja")[:2]


def _topic_options(request: MunicipalRequest) -> dict[str, Any]:
    return {
        "categories": list(selectors.categories(municipality=request.municipality)),
        "districts": list(selectors.districts(municipality=request.municipality)),
    }


@login_required
def topics(request: MunicipalRequest, subscription_id: uuid.UUID) -> HttpResponse:
    user = _resident(request)
    subscription = selectors.owned_subscription(
        user=user, municipality=request.municipality, subscription_id=subscription_id
    )
    if subscription is None:
        raise Http404
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {
        "categories": {c.code for c in subscription.categories.all()},
        "districts": {d.code for d in subscription.districts.all()},
    }
    status = 200
    if request.method == "POST":
        chosen_c, chosen_d, errors = _topics(request)
        values = {
            "categories": set(request.POST.getlist("categories")),
            "districts": set(request.POST.getlist("districts")),
        }
        if not errors:
            try:
                subscriptions.subscription_topics_update(
                    actor=user,
                    municipality=request.municipality,
                    subscription_id=subscription_id,
                    categories=chosen_c,
                    districts=chosen_d,
                )
            except Subscription.DoesNotExist as exc:
                raise Http404 from exc
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                messages.success(request, _("What you receive was changed."))
                return _back()
        status = 400
    return render(
        request,
        "notices/mypage_topics.html",
        {
            "subscription": subscription,
            "channel_name": selectors.channel_name(subscription.channel),
            "address": selectors.shown_address(subscription),
            "values": values,
            "errors": errors,
            **_topic_options(request),
        },
        status=status,
    )


@login_required
@require_POST
def stop(request: MunicipalRequest, subscription_id: uuid.UUID) -> HttpResponse:
    user = _resident(request)
    try:
        subscriptions.subscription_stop(
            actor=user, municipality=request.municipality, subscription_id=subscription_id
        )
    except Subscription.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("You no longer receive notices there."))
    return _back()


@login_required
@require_POST
def resume(request: MunicipalRequest, subscription_id: uuid.UUID) -> HttpResponse:
    user = _resident(request)
    try:
        subscription = subscriptions.subscription_resume(
            actor=user,
            municipality=request.municipality,
            subscription_id=subscription_id,
            portal_url=request.build_absolute_uri("/"),
            language=_language(),
        )
    except Subscription.DoesNotExist as exc:
        raise Http404 from exc
    if subscription.active:
        messages.success(request, _("You receive notices there again."))
    else:
        messages.success(
            request,
            _(
                "We sent a confirmation message to %(address)s. Notices arrive again once "
                "you follow its link."
            )
            % {"address": selectors.masked(subscription.address)},
        )
    return _back()


@login_required
def email_start(request: MunicipalRequest) -> HttpResponse:
    """Start receiving by e-mail: at a verified address of the account at once, at
    another after the usual confirmation message."""
    user = _resident(request)
    verified = core_selectors.verified_emails_of(user=user)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {
        "address": verified[0] if verified else OTHER,
        "email": "",
        "categories": set(),
        "districts": set(),
    }
    status = 200
    if request.method == "POST":
        chosen_c, chosen_d, errors = _topics(request)
        values = {
            "address": request.POST.get("address", OTHER if not verified else ""),
            "email": request.POST.get("email", "")[:254],
            "categories": set(request.POST.getlist("categories")),
            "districts": set(request.POST.getlist("districts")),
        }
        email = values["address"] if values["address"] in verified else values["email"]
        if values["address"] not in verified and values["address"] != OTHER:
            errors["address"] = [_("Choose the address to receive notices at.")]
        status = 400
        if errors:
            pass  # shown with the form
        elif email.strip().lower() not in verified and not NOTICE_SUBSCRIPTIONS.allow(request):
            errors = {"email": [_("Too many requests from your connection. Try again later.")]}
            status = 429
        else:
            try:
                subscription = subscriptions.email_subscription_start(
                    actor=user,
                    municipality=request.municipality,
                    email=email,
                    categories=chosen_c,
                    districts=chosen_d,
                    portal_url=request.build_absolute_uri("/"),
                    language=_language(),
                )
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                if subscription.active:
                    messages.success(
                        request, _("Notices now arrive at %(address)s.") % {"address": email}
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "We sent a confirmation message to %(address)s. Notices arrive "
                            "once you follow its link."
                        )
                        % {"address": email},
                    )
                return _back()
    return render(
        request,
        "notices/mypage_email.html",
        {
            "verified": verified,
            "other": OTHER,
            "values": values,
            "errors": errors,
            **_topic_options(request),
        },
        status=status,
    )
