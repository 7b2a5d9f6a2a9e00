"""/accounts/3rdparty/ (連携している本人確認サービス) reads correctly in Japanese and offers to
connect a provider only when one is configured."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from machi.core.models import Municipality, User
from machi.testing.factories import ResidentFactory
from machi.testing.oidc_provider import log_in

if TYPE_CHECKING:
    from machi.testing.oidc_provider import OIDCTestProvider

pytestmark = pytest.mark.django_db
URL = "/accounts/3rdparty/"


def page_text(client: Client, **headers: Any) -> str:
    response = client.get(URL, **headers)
    assert response.status_code == 200
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def password_resident(city: Municipality) -> Client:
    user = ResidentFactory(
        municipality=city, email="taro@example.jp", full_name="亀山 太郎", full_name_kana=""
    )
    client = Client()
    client.force_login(user)
    return client


def test_without_a_provider_nothing_to_add_and_no_typo(city: Municipality, settings: Any) -> None:
    settings.OIDC_ISSUER = ""
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
    client = password_resident(city)

    text = page_text(client)
    assert "連携している本人確認サービス" in text
    assert "このアカウントに連携している本人確認サービスはありません。" in text
    assert "カウント" not in text.replace("アカウント", "")  # allauth's あなたのカウント
    assert "外部アカウントを追加する" not in text  # an "add" heading with nothing under it
    assert "このサイトでは、マイナンバーカードでのログインはまだ利用できません。" in text

    english = page_text(client, HTTP_ACCEPT_LANGUAGE="en")
    assert "No identity provider is connected to this account." in english
    assert "Add a Third-Party Account" not in english


def test_with_a_provider_it_offers_to_connect_it(
    city: Municipality, oidc_provider: OIDCTestProvider
) -> None:
    text = page_text(password_resident(city))
    assert "このアカウントに連携している本人確認サービスはありません。" in text
    assert "本人確認サービスを連携する" in text
    assert "デジタル認証アプリ (test)" in text


def test_a_connected_provider_is_listed(
    city: Municipality, oidc_provider: OIDCTestProvider
) -> None:
    client = Client()
    assert log_in(client, oidc_provider).status_code == 302
    assert User.objects.filter(kind="resident").count() == 1
    text = page_text(client)
    assert "次の本人確認サービスでログインできます" in text
    assert "デジタル認証アプリ (test)" in text
    assert "連携を解除する" in text
