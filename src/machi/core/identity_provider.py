"""The residents' card sign-in (OpenID Connect: デジタル認証アプリ, or the demo's sandbox).

Pages offer it, and promise online applications that need it, only when this returns a
provider: a site without one says to apply at the counter instead (ADR 0014).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse


@dataclass(frozen=True)
class CardSignIn:
    provider_id: str
    #: The demo's sandbox (``MACHI_OIDC_SANDBOX``): pages must say it is only a test.
    sandbox: bool

    def login_url(self, next_url: str) -> str:
        """Where the sign-in button posts; the resident comes back to ``next_url``."""
        url = reverse("openid_connect_login", kwargs={"provider_id": self.provider_id})
        return f"{url}?next={quote(next_url, safe='/')}"


def oidc_app() -> dict[str, Any] | None:
    """The ``SOCIALACCOUNT_PROVIDERS`` entry for ``MACHI_OIDC_*``, when the issuer is set."""
    if not settings.OIDC_ISSUER:
        return None
    providers = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {})
    apps = cast(list[dict[str, Any]], providers.get("APPS", []))
    return next((a for a in apps if a.get("provider_id") == settings.OIDC_PROVIDER_ID), None)


def card_sign_in() -> CardSignIn | None:
    """The configured provider, or None when the deployment has none."""
    if oidc_app() is None:
        return None
    return CardSignIn(provider_id=settings.OIDC_PROVIDER_ID, sandbox=settings.OIDC_SANDBOX)
