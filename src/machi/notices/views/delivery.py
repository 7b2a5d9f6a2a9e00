"""Staff view of the delivery engine: what each notice sent on each channel, the other
mails of the platform (receipts, status mails, account mails) with their status, and the
messages that failed for good (the dead-letter list), with a way to send one again."""

from __future__ import annotations

import uuid

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from machi.core.access import staff_required
from machi.core.models import User
from machi.core.permissions import has_role
from machi.core.tenant_request import MunicipalRequest
from machi.notices import selectors
from machi.notices.models import Message
from machi.notices.permissions import WRITER_ROLES, can_manage_webhooks
from machi.notices.services.messages import message_retry


def _user(request: MunicipalRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not has_role(user, request.municipality, WRITER_ROLES):
        raise PermissionDenied(_("This page is for staff who write notices."))
    return user


@staff_required
def delivery(request: MunicipalRequest) -> HttpResponse:
    user = _user(request)
    failed = [
        # A notice's message shows its subject; another mail only its kind (a receipt's
        # subject names the application).
        (
            m,
            selectors.masked(m.recipient),
            m.subject if m.notice_id else selectors.kind_label(m.kind),
        )
        for m in selectors.failed_messages(municipality=request.municipality)
    ]
    return render(
        request,
        "notices/staff_delivery.html",
        {
            "rows": selectors.delivery_by_notice(municipality=request.municipality),
            "failed": failed,
            "sees_webhooks": can_manage_webhooks(user, request.municipality),
            "platform_mails": selectors.platform_mails(municipality=request.municipality),
        },
    )


@staff_required
@require_POST
def retry(request: MunicipalRequest, message_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    message = get_object_or_404(Message, pk=message_id, municipality=request.municipality)
    try:
        message_retry(actor=user, municipality=request.municipality, message=message)
    except ValidationError as exc:
        flash.error(request, exc.messages[0])
    else:
        flash.success(request, _("The message will be sent again."))
    return redirect("notices:staff_delivery")
