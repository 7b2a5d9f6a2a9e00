"""The sandbox OpenID Connect provider on loopback, as pytest fixtures.

The provider is ``machi.core.sandbox_idp`` (the one ``make demo`` runs): a real provider
on 127.0.0.1, so the relying party (django-allauth) talks to it over real HTTP. Its login
page at the authorization endpoint lets a test pick a person and press 「同意して続ける」
or 「キャンセル」.

Fixtures: ``oidc_provider_server`` (session; the running server) and ``oidc_provider``
(per test; resets its state and points ``SOCIALACCOUNT_PROVIDERS`` at it).
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from machi.core.sandbox_idp.persons import SANDBOX_PERSONS
from machi.core.sandbox_idp.provider import SandboxProvider

# The names the tests have always used.
OIDCTestProvider = SandboxProvider
DEFAULT_USERS = SANDBOX_PERSONS


def socialapp_settings(
    provider: SandboxProvider,
    *,
    provider_id: str,
    scopes: list[str],
    name: str = "デジタル認証アプリ (test)",
    token_auth_method: str = "client_secret_post",  # noqa: S107 (a method name)
) -> dict[str, Any]:
    """One ``SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]`` entry for ``provider``."""
    return {
        "provider_id": provider_id,
        "name": name,
        "client_id": provider.client_id,
        "secret": provider.client_secret,
        "settings": {
            "server_url": provider.issuer,
            "scope": list(scopes),
            "token_auth_method": token_auth_method,
            "oauth_pkce_enabled": True,
        },
    }


def point_settings_at(provider: SandboxProvider, settings: Any, **app: Any) -> None:
    """Configure Django the way ``settings.py`` does when ``MACHI_OIDC_ISSUER`` is set,
    including the issuer in the CSP ``form-action`` directive."""
    settings.OIDC_ISSUER = provider.issuer
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                socialapp_settings(
                    provider,
                    provider_id=settings.OIDC_PROVIDER_ID,
                    scopes=list(settings.OIDC_SCOPES),
                    **app,
                )
            ]
        }
    }
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    directives = policy["DIRECTIVES"]
    directives["form-action"] = [
        *[src for src in directives.get("form-action", []) if src != provider.issuer],
        provider.issuer,
    ]
    settings.CONTENT_SECURITY_POLICY = policy


@pytest.fixture(scope="session")
def oidc_provider_server() -> Iterator[SandboxProvider]:
    """The provider, started once per test session on 127.0.0.1 and a free port."""
    with SandboxProvider() as provider:
        yield provider


@pytest.fixture
def oidc_provider(oidc_provider_server: SandboxProvider, settings: Any) -> SandboxProvider:
    """A freshly reset provider that Django is configured to log residents in with."""
    provider = oidc_provider_server
    provider.reset()
    point_settings_at(provider, settings)
    return provider


# -- a resident signing in through it with the Django test client --------------------

HANAKO = "hanako"
TIMEOUT = 10


def login_url() -> str:
    return reverse("openid_connect_login", kwargs={"provider_id": django_settings.OIDC_PROVIDER_ID})


def callback_path() -> str:
    return reverse(
        "openid_connect_callback", kwargs={"provider_id": django_settings.OIDC_PROVIDER_ID}
    )


def start_login(client: Client, provider: SandboxProvider) -> str:
    """Ask allauth to start the flow; return the provider's authorization URL."""
    confirm = client.get(login_url())
    assert confirm.status_code == 200
    response = client.post(login_url())
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(provider.authorization_endpoint + "?")
    return location


def provider_login(authorize_url: str, *, login: str = HANAKO, decision: str = "consent") -> str:
    """Submit the provider's login form as the user would; return where it redirects."""
    page = requests.get(authorize_url, timeout=TIMEOUT)
    assert page.status_code == 200, page.text
    assert "同意して続ける" in page.text
    match = re.search(r'<form method="post" action="([^"]+)"', page.text)
    assert match
    response = requests.post(
        urljoin(page.url, html.unescape(match.group(1))),
        data={"login": login, "decision": decision},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def back_to_site(client: Client, location: str) -> Any:
    """Follow the provider's redirect to our callback with the Django test client."""
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}" == "http://testserver"
    assert parts.path == callback_path()
    return client.get(f"{parts.path}?{parts.query}")


def log_in(client: Client, provider: SandboxProvider, login: str = HANAKO) -> Any:
    return back_to_site(client, provider_login(start_login(client, provider), login=login))
