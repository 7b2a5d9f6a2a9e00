"""django-allauth adapters: sign-up makes residents of the request's municipality.

Failed sign-ins are counted per account *and* client address, so nobody can lock an
account they do not hold; a password reset mails a link to the account's own
municipality's portal, whichever host it was asked on (docs/architecture.md, Identity).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context as allauth_context
from allauth.core.internal.ratelimit import get_ip
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from machi.core.mail import outbox_headers
from machi.core.models import OIDC_PLACEHOLDER_EMAIL_DOMAIN, User
from machi.core.selectors import municipality_portal_host
from machi.core.services.accounts import resident_account_save, resident_verified_claims_update


def _language() -> str:
    return get_language() or "ja"


def _just_signed_in(request: HttpRequest) -> bool:
    """This session signed in with a password within ACCOUNT_REAUTHENTICATION_TIMEOUT, and
    the user had no authenticator then (any they have was enrolled in this session)."""
    user = request.user
    if not user.is_authenticated:
        return False
    records = get_authentication_records(request, user)
    if not records or records[-1].get("method") != "password":
        return False
    signed_in_at = float(records[-1].get("at", 0))
    if time.time() - signed_in_at >= account_settings.REAUTHENTICATION_TIMEOUT:
        return False
    before = dt.datetime.fromtimestamp(signed_in_at, tz=dt.UTC)
    return not Authenticator.objects.filter(user=user, created_at__lt=before).exists()


@dataclass(frozen=True)
class MailSite:
    """Stands in for ``current_site`` in a mail about another host than the request's."""

    domain: str
    name: str


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Shown when ACCOUNT_RATE_LIMITS["login_failed"] refuses a sign-in: say how to get in.
        "too_many_login_attempts": _(
            "Too many wrong passwords were entered for this account from your network, so "
            "signing in from it is paused. Wait 5 minutes and try again, or choose "
            '"Forgot your password?" to reset your password by e-mail and sign in '
            "at once."
        ),
    }

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

    # -- first authenticator --------------------------------------------------------------
    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Not for enrolling the first authenticator right after a password sign-in.

        allauth counts only a password typed again on its reauthenticate page as recent
        (records flagged ``reauthenticated``), never the sign-in itself, so a new member of
        staff sent from sign-in to TOTP enrolment was asked for the password they had just
        typed (and, had it not, again for the recovery codes shown next). Within the
        reauthentication window of a password sign-in, a session whose authenticators were
        all enrolled after that sign-in is not asked again; a session signed in with an
        authenticator enrolled before (any later change to MFA) still is.
        """
        request = allauth_context.request
        if app == "allauth.mfa" and request is not None and _just_signed_in(request):
            return False
        return bool(super().is_reauthentication_required(app=app, **kwargs))

    # -- failed sign-ins ------------------------------------------------------------------
    # allauth counts failures under this key for the ``key`` part of
    # ACCOUNT_RATE_LIMITS["login_failed"], and clears the same key when a password reset
    # succeeds (flows.password_reset.finalize_password_reset). Its default is
    # "<host>:<login>", so wrong passwords from anywhere locked the account everywhere.
    # The account (e-mail addresses are unique in the deployment, ADR 0003) plus the client
    # address as allauth's own "ip" limit sees it (trusted proxies, IPv6 /64) means that
    # failures lock only the address they came from, for that account only.
    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        login = str(credentials.get("email", credentials.get("username", ""))).lower()
        return f"{login}|{get_ip(request)}"

    # -- password reset -------------------------------------------------------------------
    def send_password_reset_mail(self, user: Any, email: str, context: dict[str, Any]) -> None:
        """Link to the account's own municipality's portal; send nothing if it has none.

        The reset page answers the same whatever happens here (allauth prevents account
        enumeration), so this never tells anyone where an account lives.
        """
        request = self.request
        here = getattr(request, "municipality", None)
        home = getattr(user, "municipality", None)
        if home is None or (here is not None and home.pk == here.pk):
            super().send_password_reset_mail(user, email, context)
            return
        host = municipality_portal_host(municipality=home)
        if host is None:
            return
        url = urlsplit(context["password_reset_url"])
        port = split_domain_port(request.get_host())[1]  # a development server's port
        netloc = f"{host}:{port}" if port else host
        context = {
            **context,
            "password_reset_url": urlunsplit(url._replace(netloc=netloc)),
            "current_site": MailSite(domain=netloc, name=home.display_name(_language())),
        }
        self._mail_municipality = home  # the outbox files it under the home municipality
        try:
            super().send_password_reset_mail(user, email, context)
        finally:
            self._mail_municipality = None

    # -- every mail -----------------------------------------------------------------------
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """allauth greets and signs with ``current_site.name`` ("Hello from …!"); without
        django.contrib.sites that is the request's host (``127.0.0.1:8790``). Mails say who
        sends them: the municipality of the portal they were asked on."""
        request = allauth_context.request
        municipality = getattr(request, "municipality", None)
        if municipality is not None and not isinstance(context.get("current_site"), MailSite):
            site = MailSite(domain=request.get_host(), name=municipality.display_name(_language()))
            context = {**context, "current_site": site}
        super().send_mail(template_prefix, email, context)

    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        # The subject's "[site]" prefix names the same site as the body.
        self._mail_site = context.get("current_site")
        # Every mail goes through the outbox of notices (ADR 0019), which files it under
        # the municipality it is sent for, as this kind.
        municipality = getattr(self, "_mail_municipality", None) or getattr(
            allauth_context.request, "municipality", None
        )
        kind = "account." + template_prefix.rsplit("/", 1)[-1]
        headers = {**(headers or {}), **outbox_headers(kind=kind, municipality=municipality)}
        try:
            return super().render_mail(template_prefix, email, context, headers)
        finally:
            self._mail_site = None

    def format_email_subject(self, subject: str) -> str:
        site = getattr(self, "_mail_site", None)
        if isinstance(site, MailSite) and account_settings.EMAIL_SUBJECT_PREFIX is None:
            return f"[{site.name}] {force_str(subject)}"
        return super().format_email_subject(subject)


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
