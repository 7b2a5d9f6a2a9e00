"""The Django admin for machi: TOTP required, and each platform administrator sees only
their own municipality (a deployment superuser sees every tenant)."""

from __future__ import annotations

from typing import Any

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from machi.core.access import has_totp
from machi.core.models import User


class MachiAdminSite(admin.AdminSite):
    site_header = "machi"
    site_title = "machi"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(super().has_permission(request) and isinstance(user, User) and has_totp(user))

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        user = request.user
        if isinstance(user, User) and user.is_staff and not has_totp(user):
            return redirect("mfa_activate_totp")
        return secure_admin_login(super().login)(request, extra_context)
