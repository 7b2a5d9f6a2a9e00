"""Staff pages of partner webhooks: the list, registering one (its signing secret shown
once), a webhook's page with its latest messages, replacing the secret, stopping it.

The page that shows a secret is the answer to the POST that made it, marked
``Cache-Control: no-store``: the secret is never stored anywhere it could be shown again.
"""

from __future__ import annotations

import uuid

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from machi.core.access import staff_required
from machi.core.models import User
from machi.core.tenant_request import MunicipalRequest
from machi.notices import selectors
from machi.notices.forms import WebhookForm
from machi.notices.models import Subscription
from machi.notices.permissions import can_manage_webhooks
from machi.notices.services import webhooks
from machi.notices.services.composers.webhook import EVENT


def _user(request: MunicipalRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not can_manage_webhooks(user, request.municipality):
        raise PermissionDenied(_("Partner webhooks are managed by department administrators."))
    return user


def _webhook(request: MunicipalRequest, webhook_id: uuid.UUID) -> Subscription:
    found = selectors.webhook(municipality=request.municipality, webhook_id=webhook_id)
    if found is None:
        raise Http404(_("No such webhook."))
    return found


def _secret_page(
    request: MunicipalRequest, subscription: Subscription, secret: str, *, rotated: bool
) -> HttpResponse:
    response = render(
        request,
        "notices/staff_webhook_secret.html",
        {"webhook": subscription, "secret": secret, "rotated": rotated, "event": EVENT},
    )
    add_never_cache_headers(response)
    return response


@staff_required
def webhook_list(request: MunicipalRequest) -> HttpResponse:
    _user(request)
    return render(
        request,
        "notices/staff_webhooks.html",
        {"webhooks": selectors.webhooks(municipality=request.municipality)},
    )


@staff_required
def webhook_new(request: MunicipalRequest) -> HttpResponse:
    user = _user(request)
    municipality = request.municipality
    categories = selectors.categories(municipality=municipality)
    districts = selectors.districts(municipality=municipality)
    status = 200
    if request.method == "POST":
        form = WebhookForm(request.POST, categories=categories, districts=districts)
        if form.is_valid():
            data = form.cleaned_data
            try:
                subscription, secret = webhooks.webhook_add(
                    actor=user,
                    municipality=municipality,
                    name=data["name"],
                    url=data["url"],
                    categories=data["categories"],
                    districts=data.get("districts") or [],
                    portal_url=request.build_absolute_uri("/"),
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                return _secret_page(request, subscription, secret, rotated=False)
        status = 400
    else:
        form = WebhookForm(categories=categories, districts=districts)
    return render(request, "notices/staff_webhook_form.html", {"form": form}, status=status)


@staff_required
def webhook_detail(request: MunicipalRequest, webhook_id: uuid.UUID) -> HttpResponse:
    _user(request)
    subscription = _webhook(request, webhook_id)
    return render(
        request,
        "notices/staff_webhook.html",
        {
            "webhook": subscription,
            "messages_sent": selectors.webhook_messages(subscription=subscription),
        },
    )


@staff_required
@require_POST
def webhook_rotate(request: MunicipalRequest, webhook_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    subscription = _webhook(request, webhook_id)
    try:
        secret = webhooks.webhook_secret_rotate(
            actor=user, municipality=request.municipality, subscription=subscription
        )
    except ValidationError as exc:
        flash.error(request, exc.messages[0])
        return redirect("notices:staff_webhook", webhook_id=subscription.pk)
    return _secret_page(request, subscription, secret, rotated=True)


@staff_required
@require_POST
def webhook_stop(request: MunicipalRequest, webhook_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    subscription = _webhook(request, webhook_id)
    webhooks.webhook_stop(actor=user, municipality=request.municipality, subscription=subscription)
    flash.success(
        request,
        _("Nothing more is sent to %(name)s.") % {"name": subscription.label},
    )
    return redirect("notices:staff_webhooks")
