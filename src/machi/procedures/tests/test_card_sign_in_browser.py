"""In Debian chromium, with the site's real Content Security Policy, on the 亀山市 demo data
and the demo's sandbox identity provider: a new resident opens 住民票の写し, signs in "with
the card" at the sandbox (picks a made-up person and consents), comes back and applies to
the end, as ``make demo`` lets anyone do."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from django.utils.translation import gettext_lazy

from machi.procedures.models import Submission
from machi.testing.browser import DESKTOP, PHONE, assert_no_axe_violations
from machi.testing.oidc_provider import point_settings_at

if TYPE_CHECKING:
    from machi.testing.oidc_provider import OIDCTestProvider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sandbox(oidc_provider: OIDCTestProvider, settings: Any) -> OIDCTestProvider:
    """The provider configured the way ``make demo`` configures it (settings.py's name)."""
    settings.OIDC_SANDBOX = True
    point_settings_at(oidc_provider, settings, name=gettext_lazy("Sandbox sign-in (test only)"))
    return oidc_provider


def _continue(page: Any) -> None:
    page.click("form.form .form__actions button[value=next]")
    page.wait_for_load_state()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_sign_in_with_the_sandbox_card_and_apply_for_a_certificate(
    live_server: Any,
    demo: None,
    sandbox: OIDCTestProvider,
    new_page: Any,
    viewport: dict[str, int],
) -> None:
    base = live_server.url
    page = new_page(viewport)
    page.goto(f"{base}/procedures/juminhyo/")
    panel = page.locator(".apply-panel")
    assert "オンライン申請" in panel.inner_text()
    assert "試験用のサンドボックス" in panel.inner_text()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="サンドボックスで本人確認する（試験用）").click()
    page.wait_for_url(re.compile(r"^http://127\.0\.0\.1:\d+/authorize\?"))
    assert "本物のデジタル認証アプリではありません" in page.locator("main").inner_text()
    page.get_by_label("利用者").select_option("hanako")  # shown as 亀山 花子 (hanako)
    page.get_by_role("button", name="同意して続ける").click()

    page.wait_for_url(f"{base}/procedures/juminhyo/")
    page.get_by_role("button", name="申請を始める").click()
    page.wait_for_load_state()
    assert "/steps/request/" in page.url, page.locator("main").inner_text()

    page.get_by_label("住民票の写し", exact=True).check()
    page.get_by_label("本人のみ").check()
    page.get_by_label("記載しない").check()
    page.fill("#f-copies", "1")
    page.select_option("#f-purpose", label="勤務先への提出")
    _continue(page)
    assert "/steps/delivery/" in page.url, page.locator("main").inner_text()

    page.get_by_label("市民課の窓口で受け取る").check()
    _continue(page)
    assert "/steps/applicant/" in page.url, page.locator("main").inner_text()

    # What the card vouched for is shown as verified, not asked again.
    main = page.locator("main")
    assert "亀山 花子" in main.inner_text() and "三重県亀山市本丸町577" in main.inner_text()
    assert main.locator(".verified-badge").count() == 3
    page.fill("#f-name_kana", "カメヤマ ハナコ")
    page.fill("#f-phone", "0595-82-1111")
    page.fill("#f-email", "hanako@example.jp")
    _continue(page)
    assert page.url.endswith("/check/"), page.locator("main").inner_text()

    page.get_by_role("button", name="申請を送信する").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="申請を送信しました").is_visible()
    reference = page.locator("#reference-number").inner_text().strip()

    submission = Submission.objects.get(procedure__code="juminhyo")
    assert reference == submission.reference_display
    assert submission.identity_level == "verified"
    assert submission.answers["name"] == "亀山 花子"
    assert set(submission.verified_fields) == {"name", "birthdate", "address"}
