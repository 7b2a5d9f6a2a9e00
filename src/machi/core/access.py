"""View guards for the back office: staff of this municipality, with TOTP enrolled."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from machi.core.models import User
from machi.core.permissions import is_staff_of


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def staff_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Residents and other municipalities' staff get 403; staff without TOTP enrol first."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        assert isinstance(user, User)
        if not is_staff_of(user, request.municipality):  # type: ignore[attr-defined]
            raise PermissionDenied(_("This page is for staff of this municipality only."))
        if not has_totp(user):
            messages.info(
                request,
                _(
                    "Staff must set up two-step verification (an authenticator app) "
                    "before using the back office."
                ),
            )
            return redirect("mfa_activate_totp")
        return view(request, *args, **kwargs)

    return wrapper
