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
from collections.abc import Iterator
from typing import Any

import pytest

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
