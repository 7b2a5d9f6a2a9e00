"""Residents log in through an OpenID Connect provider (デジタル認証アプリ-compatible).

End to end, without mocking HTTP: django-allauth talks to a real provider (Authlib on
127.0.0.1, see ``machi.testing.oidc_provider``) for discovery, the code exchange with
PKCE, the ID token and userinfo.
"""

from __future__ import annotations

import base64
import hashlib
import re
import runpy
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from authlib.oidc.discovery import OpenIDProviderMetadata
from django.conf import settings
from django.contrib import auth
from django.test import Client
from django.urls import reverse
from joserfc import jwt
from joserfc.jwk import KeySet

from machi.config import settings as settings_module
from machi.core.models import AuditEntry, Municipality, User
from machi.testing.oidc_provider import (
    HANAKO,
    TIMEOUT,
    back_to_site,
    callback_path,
    log_in,
    login_url,
    provider_login,
    start_login,
)

if TYPE_CHECKING:
    from machi.testing.oidc_provider import OIDCTestProvider


def residents_with_sub(sub: str) -> list[User]:
    accounts = SocialAccount.objects.filter(provider=settings.OIDC_PROVIDER_ID, uid=sub)
    return [account.user for account in accounts.select_related("user")]  # type: ignore[misc]


# -- the relying party: Django test client ---------------------------------------------


def test_login_creates_a_verified_resident(
    client: Client, city: Municipality, oidc_provider: OIDCTestProvider
) -> None:
    claims = oidc_provider.users[HANAKO]

    authorize_url = start_login(client, oidc_provider)
    query = parse_qs(urlsplit(authorize_url).query)
    assert query["client_id"] == [oidc_provider.client_id]
    assert query["response_type"] == ["code"]
    assert query["redirect_uri"] == [f"http://testserver{callback_path()}"]
    assert set(query["scope"][0].split()) == {"openid", "name", "address", "birthdate", "gender"}
    assert query["code_challenge_method"] == ["S256"]

    location = provider_login(authorize_url)
    returned = parse_qs(urlsplit(location).query)
    assert returned["state"] == query["state"]
    assert returned["code"]

    response = back_to_site(client, location)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:mypage")

    [user] = residents_with_sub(claims["sub"])
    assert user.kind == "resident"
    assert user.municipality == city
    assert user.identity_level == "verified"
    assert user.full_name == "亀山 花子"
    assert user.verified_claims == {
        "name": "亀山 花子",
        "address": "三重県亀山市本丸町577",
        "birthdate": "1990-04-01",
        "gender": "female",
    }
    assert user.email == f"{claims['sub']}@oidc.invalid"
    assert not user.has_usable_password()

    session_user = auth.get_user(client)
    assert session_user.is_authenticated
    assert session_user.pk == user.pk

    page = client.get(reverse("core:mypage"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "亀山 花子" in text
    assert "三重県亀山市本丸町577" in text
    assert text.count('class="verified-badge"') == 4

    entry = AuditEntry.objects.get(action="resident.identity_verified", target_id=str(user.pk))
    assert entry.actor_id == user.pk
    assert entry.municipality_id == city.pk
    assert entry.data == {"claims": ["address", "birthdate", "gender", "name"]}


def test_optional_kana_claim_is_kept(
    client: Client, city: Municipality, oidc_provider: OIDCTestProvider
) -> None:
    response = log_in(client, oidc_provider, login="ichiro")
    assert response.status_code == 302

    [user] = residents_with_sub(oidc_provider.users["ichiro"]["sub"])
    assert user.verified_claims["name_kana"] == "セキ イチロウ"
    assert user.full_name == "関 一郎"


def test_second_login_reuses_the_account_and_refreshes_claims(
    client: Client, city: Municipality, oidc_provider: OIDCTestProvider
) -> None:
    assert log_in(client, oidc_provider).status_code == 302
    [first] = residents_with_sub(oidc_provider.users[HANAKO]["sub"])
    client.logout()

    # The resident moved house; the provider now reports the new address.
    oidc_provider.users[HANAKO]["address"] = "三重県亀山市若山町7-1"
    second_client = Client()
    assert log_in(second_client, oidc_provider).status_code == 302

    [again] = residents_with_sub(oidc_provider.users[HANAKO]["sub"])
    assert again.pk == first.pk
    assert User.objects.filter(kind="resident").count() == 1
    assert again.verified_claims["address"] == "三重県亀山市若山町7-1"
    assert auth.get_user(second_client).pk == first.pk
    entries = AuditEntry.objects.filter(
        action="resident.identity_verified", target_id=str(first.pk)
    )
    assert entries.count() == 2


def test_cancel_at_the_provider_creates_no_account(
    client: Client, city: Municipality, oidc_provider: OIDCTestProvider
) -> None:
    location = provider_login(start_login(client, oidc_provider), decision="cancel")
    assert parse_qs(urlsplit(location).query)["error"] == ["access_denied"]

    response = back_to_site(client, location)
    assert response.status_code == 302
    assert response["Location"] == reverse("socialaccount_login_cancelled")
    page = client.get(response["Location"])
    assert page.status_code == 200

    assert not User.objects.filter(kind="resident").exists()
    assert not SocialAccount.objects.exists()
    assert not auth.get_user(client).is_authenticated


@pytest.mark.parametrize("fault", ["forged_code", "wrong_secret", "provider_error"])
def test_failed_exchange_shows_the_error_page(
    client: Client,
    city: Municipality,
    oidc_provider: OIDCTestProvider,
    fault: str,
) -> None:
    authorize_url = start_login(client, oidc_provider)
    location = provider_login(authorize_url)
    parts = urlsplit(location)
    query = parse_qs(parts.query)
    if fault == "forged_code":
        query["code"] = ["not-a-code-the-provider-issued"]
    elif fault == "wrong_secret":
        # This test's own copy, installed (and later undone) by the oidc_provider fixture.
        settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["secret"] = "wrong"
    else:
        query = {"state": query["state"], "error": ["server_error"]}

    response = client.get(f"{parts.path}?{urlencode(query, doseq=True)}")

    assert response.status_code == 401
    assert "socialaccount/authentication_error.html" in [t.name for t in response.templates]
    assert not User.objects.filter(kind="resident").exists()
    assert not auth.get_user(client).is_authenticated


def test_callback_without_our_state_is_refused(
    client: Client, city: Municipality, oidc_provider: OIDCTestProvider
) -> None:
    # A code obtained in someone else's browser session must not log this one in.
    location = provider_login(start_login(Client(), oidc_provider))
    response = back_to_site(client, location)
    assert response.status_code == 401
    assert not User.objects.filter(kind="resident").exists()


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Production wiring: MACHI_OIDC_* build the app, and the CSP lets forms reach it."""
    for name in ("MACHI_OIDC_PROVIDER_ID", "MACHI_OIDC_SCOPES", "MACHI_OIDC_TOKEN_AUTH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MACHI_OIDC_ISSUER", "https://idp.example.jp")
    monkeypatch.setenv("MACHI_OIDC_CLIENT_ID", "machi-kameyama")
    monkeypatch.setenv("MACHI_OIDC_CLIENT_SECRET", "s3cret")
    assert settings_module.__file__
    values = runpy.run_path(settings_module.__file__)

    [app] = values["SOCIALACCOUNT_PROVIDERS"]["openid_connect"]["APPS"]
    assert app["provider_id"] == "digital-auth"
    assert (app["client_id"], app["secret"]) == ("machi-kameyama", "s3cret")
    assert app["settings"] == {
        "server_url": "https://idp.example.jp",
        "scope": ["openid", "name", "address", "birthdate", "gender"],
        "token_auth_method": "client_secret_post",
        "oauth_pkce_enabled": True,
    }
    # Chrome applies form-action to the redirect that follows allauth's "Continue" form.
    form_action = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["form-action"]
    assert "https://idp.example.jp" in form_action


# -- the provider itself: what allauth relies on ------------------------------------------


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize(provider: OIDCTestProvider, challenge: str, **extra: str) -> str:
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": "http://127.0.0.1:9/callback",
        "scope": "openid name address birthdate gender",
        "state": "s1",
        "nonce": "n-" + secrets.token_hex(4),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **extra,
    }
    location = provider_login(f"{provider.authorization_endpoint}?{urlencode(params)}")
    return parse_qs(urlsplit(location).query)["code"][0]


def exchange(provider: OIDCTestProvider, code: str, verifier: str, **extra: str) -> Any:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": "http://127.0.0.1:9/callback",
        "client_id": provider.client_id,
        "client_secret": provider.client_secret,
        "code_verifier": verifier,
        **extra,
    }
    return requests.post(provider.token_endpoint, data=data, timeout=TIMEOUT)


def test_provider_discovery(oidc_provider: OIDCTestProvider) -> None:
    url = f"{oidc_provider.issuer}/.well-known/openid-configuration"
    config = requests.get(url, timeout=TIMEOUT).json()
    OpenIDProviderMetadata(config).validate()  # the written-out document, checked by Authlib
    assert config["issuer"] == oidc_provider.issuer
    assert {"name", "address", "birthdate", "gender"} <= set(config["scopes_supported"])
    assert config["response_types_supported"] == ["code"]
    assert config["code_challenge_methods_supported"] == ["S256"]
    assert config["id_token_signing_alg_values_supported"] == ["RS256"]
    assert {"client_secret_post", "client_secret_basic"} <= set(
        config["token_endpoint_auth_methods_supported"]
    )
    jwks = requests.get(config["jwks_uri"], timeout=TIMEOUT).json()
    assert [key["kty"] for key in jwks["keys"]] == ["RSA"]
    assert "d" not in jwks["keys"][0]


def test_provider_id_token_is_signed_and_bound(oidc_provider: OIDCTestProvider) -> None:
    verifier, challenge = pkce_pair()
    code = authorize(oidc_provider, challenge, nonce="nonce-123")
    response = exchange(oidc_provider, code, verifier)
    assert response.status_code == 200, response.text
    tokens = response.json()

    keys = KeySet.import_key_set(requests.get(f"{oidc_provider.issuer}/jwks", timeout=10).json())
    id_token = jwt.decode(tokens["id_token"], keys, algorithms=["RS256"])
    assert id_token.header["alg"] == "RS256"
    claims = id_token.claims
    assert claims["iss"] == oidc_provider.issuer
    assert claims["aud"] == oidc_provider.client_id
    assert claims["nonce"] == "nonce-123"
    assert claims["sub"] == oidc_provider.users[HANAKO]["sub"]

    userinfo = requests.get(
        f"{oidc_provider.issuer}/userinfo",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=TIMEOUT,
    )
    assert userinfo.json() == {
        key: oidc_provider.users[HANAKO][key]
        for key in ("sub", "name", "address", "birthdate", "gender")
    }
    # Only the granted scopes are disclosed.
    code = authorize(oidc_provider, challenge, scope="openid birthdate")
    narrow = exchange(oidc_provider, code, verifier).json()
    userinfo = requests.get(
        f"{oidc_provider.issuer}/userinfo",
        headers={"Authorization": f"Bearer {narrow['access_token']}"},
        timeout=TIMEOUT,
    )
    assert set(userinfo.json()) == {"sub", "birthdate"}


def test_provider_client_secret_basic(oidc_provider: OIDCTestProvider) -> None:
    verifier, challenge = pkce_pair()
    code = authorize(oidc_provider, challenge)
    response = requests.post(
        oidc_provider.token_endpoint,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "http://127.0.0.1:9/callback",
            "code_verifier": verifier,
        },
        auth=(oidc_provider.client_id, oidc_provider.client_secret),
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"code_verifier": "x" * 50}, "invalid_grant"),
        ({"redirect_uri": "http://127.0.0.1:9/other"}, "invalid_grant"),
        ({"client_secret": "wrong"}, "invalid_client"),
    ],
)
def test_provider_rejects_bad_token_requests(
    oidc_provider: OIDCTestProvider, change: dict[str, str], error: str
) -> None:
    verifier, challenge = pkce_pair()
    code = authorize(oidc_provider, challenge)
    response = exchange(oidc_provider, code, verifier, **change)
    assert response.status_code in (400, 401)
    assert response.json()["error"] == error


def test_provider_codes_are_single_use(oidc_provider: OIDCTestProvider) -> None:
    verifier, challenge = pkce_pair()
    code = authorize(oidc_provider, challenge)
    assert exchange(oidc_provider, code, verifier).status_code == 200
    replay = exchange(oidc_provider, code, verifier)
    assert replay.json()["error"] == "invalid_grant"


def test_provider_requires_pkce_and_a_known_redirect(oidc_provider: OIDCTestProvider) -> None:
    params = {
        "response_type": "code",
        "client_id": oidc_provider.client_id,
        "redirect_uri": "http://127.0.0.1:9/callback",
        "scope": "openid",
        "state": "s1",
    }
    url = oidc_provider.authorization_endpoint
    no_pkce = requests.get(f"{url}?{urlencode(params)}", allow_redirects=False, timeout=10)
    assert no_pkce.status_code == 302
    assert parse_qs(urlsplit(no_pkce.headers["Location"]).query)["error"] == ["invalid_request"]

    elsewhere = {**params, "redirect_uri": "https://attacker.example/cb"}
    refused = requests.get(f"{url}?{urlencode(elsewhere)}", allow_redirects=False, timeout=10)
    assert refused.status_code == 400  # an unknown redirect URI is never redirected to


# -- a real browser ----------------------------------------------------------------------


def browser_login(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_role("link", name="デジタル認証アプリ (test)").click()
    page.wait_for_url(f"**{login_url()}*")
    page.get_by_role("button", name=re.compile("続ける|Continue")).click()
    page.wait_for_url(re.compile(r"^http://127\.0\.0\.1:\d+/authorize\?"))
    page.get_by_label("利用者").select_option(HANAKO)
    page.get_by_role("button", name="同意して続ける").click()
    page.wait_for_url(f"{base_url}{reverse('core:mypage')}")


@pytest.mark.browser
def test_browser_login(
    live_server: Any,
    transactional_db: Any,
    city: Municipality,
    oidc_provider: OIDCTestProvider,
    new_page: Any,
) -> None:
    page = new_page()
    browser_login(page, live_server.url)

    assert page.get_by_text("亀山 花子").first.is_visible()
    assert page.locator(".verified-badge").count() == 4
    [user] = residents_with_sub(oidc_provider.users[HANAKO]["sub"])
    assert user.municipality == city
    assert user.identity_level == "verified"


@pytest.mark.browser
def test_browser_login_with_csp_enforced(
    live_server: Any,
    transactional_db: Any,
    city: Municipality,
    oidc_provider: OIDCTestProvider,
    browser: Any,
) -> None:
    """Chrome checks form-action on the redirect to the provider; the issuer is allowed."""
    context = browser.new_context(locale="ja-JP", bypass_csp=False)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        browser_login(page, live_server.url)
        assert page.get_by_text("亀山 花子").first.is_visible()
    finally:
        context.close()
