"""Procedures that need the My Number card promise online application only where card
sign-in is configured (ADR 0014): without a provider they send residents to the counter,
and with the demo's sandbox they say it is a test, never the real デジタル認証アプリ."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

import pytest
from django.core.management import call_command
from django.test import Client

from machi.core.demo import data
from machi.core.models import Municipality
from machi.core.services.tenancy import department_upsert
from machi.procedures.management.commands.load_procedures_demo import DEMO_FILE
from machi.testing.applications import make_resident, signed_in
from machi.testing.oidc_provider import point_settings_at

if TYPE_CHECKING:
    from machi.testing.oidc_provider import OIDCTestProvider

pytestmark = pytest.mark.django_db

CARD_PROCEDURES = ("juminhyo", "tenshutsu")
MOVING_OUT = "/procedures/life-events/moving/?direction=out&children=no&kokuho=no&dog=no&kaigo=no"


@pytest.fixture
def kameyama(city: Municipality) -> Municipality:
    """亀山市's real demo catalog (the one ``make demo`` loads)."""
    departments: dict[str, Any] = {}
    for code, name, name_en, parent in data.DEPARTMENTS:
        departments[code] = department_upsert(
            municipality=city,
            code=code,
            name=name,
            name_en=name_en,
            parent=departments.get(parent) if parent else None,
        )
    call_command("import_procedures", str(DEMO_FILE), verbosity=0)
    return city


@pytest.fixture
def no_provider(settings: Any) -> None:
    settings.OIDC_ISSUER = ""
    settings.OIDC_SANDBOX = False
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}


def main_text(response: Any) -> str:
    """What a reader sees in ``<main>``: the text without tags, spaces squeezed."""
    assert response.status_code == 200
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    text = re.sub(r"<[^>]+>", " ", main)
    return re.sub(r"\s+", " ", html.unescape(text))


def apply_panel(response: Any) -> str:
    text = main_text(response)
    return text[text.index("申請方法") :]


@pytest.mark.parametrize("code", CARD_PROCEDURES)
def test_without_a_provider_the_page_sends_residents_to_the_counter(
    kameyama: Municipality, no_provider: None, code: str
) -> None:
    for client in (Client(), signed_in(make_resident(kameyama))):
        response = client.get(f"/procedures/{code}/")
        text = main_text(response)
        assert "オンライン申請" not in text  # no label for what cannot be done here
        assert "下のボタン" not in text  # no button to press
        assert "オンラインで届け出" not in text
        assert "/accounts/oidc/" not in response.content.decode()
        panel = apply_panel(response)
        assert "この手続は、まだオンラインでは申請できません。窓口で申請してください。" in panel
        assert "市民課（市役所本庁舎1階）" in panel  # where the counter is
        assert "窓口に持っていくもの" in panel  # and what to bring


def test_without_a_provider_lists_and_the_moving_guide_promise_no_online_moving_out(
    kameyama: Municipality, no_provider: None
) -> None:
    client = Client()
    listing = client.get("/procedures/categories/certificates/").content.decode()
    for code in CARD_PROCEDURES:
        item = listing[listing.index(f'href="/procedures/{code}/"') :]
        item = item[: item.index("</li>")]
        assert "オンライン申請" not in item
        assert "窓口" in item

    guide = main_text(client.get(MOVING_OUT))
    entry = guide[guide.index("転出届") : guide.index("新しい住所の市区町村で転入届")]
    assert "オンライン" not in entry
    assert "窓口" in entry


def test_a_procedure_without_the_card_still_applies_online_without_a_provider(
    kameyama: Municipality, no_provider: None
) -> None:
    panel = apply_panel(Client().get("/procedures/sodai-gomi/"))
    assert "オンライン申請" in panel
    assert "申請を始める" in panel


@pytest.mark.parametrize("code", CARD_PROCEDURES)
def test_with_a_real_provider_the_page_explains_the_app_and_offers_the_button(
    kameyama: Municipality, oidc_provider: OIDCTestProvider, settings: Any, code: str
) -> None:
    point_settings_at(oidc_provider, settings, name="デジタル認証アプリ")
    response = Client().get(f"/procedures/{code}/")
    panel = apply_panel(response)
    assert "オンライン申請" in panel
    assert "デジタル認証アプリをインストール" in panel
    assert "デジタル認証アプリで本人確認する" in panel
    assert "試験用" not in panel
    assert f'action="/accounts/oidc/digital-auth/login/?next=/procedures/{code}/"' in (
        response.content.decode()
    )
    guide = main_text(Client().get(MOVING_OUT))
    entry = guide[guide.index("転出届") : guide.index("新しい住所の市区町村で転入届")]
    assert "オンラインまたは窓口" in entry


def test_with_the_sandbox_the_page_says_it_is_a_test(
    kameyama: Municipality, oidc_provider: OIDCTestProvider, settings: Any
) -> None:
    settings.OIDC_SANDBOX = True
    point_settings_at(oidc_provider, settings, name="Sandbox sign-in (test only)")
    response = Client().get("/procedures/juminhyo/")
    panel = apply_panel(response)
    assert "オンライン申請" in panel
    assert "試験用のサンドボックス" in panel
    assert "本物のデジタル認証アプリではありません" in panel
    assert "サンドボックスで本人確認する（試験用）" in panel
    # No instructions for an app and a PIN that the sandbox does not use.
    assert "インストール" not in panel
    assert "暗証番号" not in panel
    text = apply_panel_en(Client(HTTP_ACCEPT_LANGUAGE="en").get("/procedures/juminhyo/"))
    assert "Verify with the sandbox (test only)" in text
    assert "not the real デジタル認証アプリ" in text


def apply_panel_en(response: Any) -> str:
    text = main_text(response)
    return text[text.index("How to apply") :]


def test_a_resident_verified_earlier_can_still_apply_without_a_provider(
    kameyama: Municipality, no_provider: None
) -> None:
    resident = make_resident(kameyama, name="亀山 花子", address="三重県亀山市本丸町577")
    panel = apply_panel(signed_in(resident).get("/procedures/juminhyo/"))
    assert "申請を始める" in panel


CHAT_FAQ = """id,category,question,answer,keywords,procedure
juminhyo,証明書,住民票の写しはどこで取得できますか。,市民課と関支所の窓口で取得できます。,,juminhyo
sodai,ごみ,粗大ごみを出したい,粗大ごみは申込制です。,,sodai-gomi
"""


def test_the_chat_links_a_card_procedure_without_promising_online(
    kameyama: Municipality, no_provider: None
) -> None:
    from machi.assistant.services.faq import faq_import_csv

    faq_import_csv(actor=None, municipality=kameyama, content=CHAT_FAQ.encode())
    card = Client().post("/assistant/", {"q": "住民票の写しはどこで取得できますか。"})
    text = main_text(card)
    assert "申請方法：住民票の写し等の交付請求" in text
    assert "オンラインで申請する" not in text
    assert 'href="/procedures/juminhyo/"' in card.content.decode()
    online = main_text(Client().post("/assistant/", {"q": "粗大ごみを出したい"}))
    assert "オンラインで申請する：粗大ごみ" in online
