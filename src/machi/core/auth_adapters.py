"""django-allauth adapters: sign-up makes residents of the request's municipality."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.http import HttpRequest
from django.urls import reverse

from machi.core.models import OIDC_PLACEHOLDER_EMAIL_DOMAIN, User
from machi.core.services.accounts import resident_account_save, resident_verified_claims_update


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        if commit:
            resident_account_save(user=user, municipality=request.municipality)  # type: ignore[attr-defined]
        return user

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        user = request.user
        if isinstance(user, User) and user.is_municipal_staff:
            return reverse("core:staff_home")
        return super().get_login_redirect_url(request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return True

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> Any:
        user = sociallogin.user
        if not user.email:
            # Identity providers such as デジタル認証アプリ need not share an e-mail
            # address; the account still needs a unique, non-deliverable login key.
            user.email = f"{sociallogin.account.uid}{OIDC_PLACEHOLDER_EMAIL_DOMAIN}"
        user.set_unusable_password()
        resident_account_save(user=user, municipality=request.municipality)  # type: ignore[attr-defined]
        sociallogin.save(request)
        self._record_claims(sociallogin)
        return user

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        # Returning residents: refresh their verified attributes on every login.
        if sociallogin.is_existing:
            self._record_claims(sociallogin)

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: Any) -> Any:
        user = super().populate_user(request, sociallogin, data)
        user.full_name = data.get("name") or ""
        return user

    @staticmethod
    def _record_claims(sociallogin: SocialLogin) -> None:
        extra = sociallogin.account.extra_data or {}
        claims = extra.get("userinfo") or extra.get("id_token") or extra
        resident_verified_claims_update(user=sociallogin.user, claims=claims)
