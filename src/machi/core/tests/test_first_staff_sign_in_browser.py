"""In Debian chromium with the real CSP (issue 15, item 7): a new member of staff signs in
once with their password, enrols the authenticator app straight away, sees the recovery
codes in the site's own page and goes on to the back office."""

from __future__ import annotations

from typing import Any

import pytest

from machi.core.models import Department, Municipality
from machi.testing.browser import DESKTOP, PHONE, assert_no_axe_violations, type_totp_code
from machi.testing.fixtures import PASSWORD, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone-375"])
def test_first_sign_in_asks_the_password_once_then_enrols_and_goes_on(
    live_server: Any,
    city: Municipality,
    department: Department,
    browser: Any,
    viewport: dict[str, int],
) -> None:
    newcomer = make_staff(
        city, "new@kameyama.example.jp", department=department, with_totp=False, email_verified=True
    )
    context = browser.new_context(viewport=viewport, locale="ja-JP")
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/staff/")
        page.fill("#id_login", newcomer.email)
        page.fill("#id_password", PASSWORD)
        page.click("form.form button[type=submit]")
        page.wait_for_url("**/accounts/2fa/totp/activate/")
        assert page.locator("#id_password").count() == 0  # not asked a second time
        assert_no_axe_violations(page)

        secret = page.input_value("#authenticator_secret")
        type_totp_code(page, secret)
        page.wait_for_url("**/accounts/2fa/recovery-codes/")
        assert page.locator("h1").inner_text() == "リカバリーコード"
        assert page.locator("#recovery-codes li").count() == 10
        # Styled by the site: the codes in columns, the way on as the primary button.
        assert page.locator("#recovery-codes").evaluate("e => getComputedStyle(e).display") == (
            "grid"
        )
        way_on = page.get_by_role("link", name="業務画面へ進む")
        assert "button--primary" in (way_on.get_attribute("class") or "")
        assert page.get_by_role(
            "link", name="コードをダウンロード（テキストファイル）"
        ).is_visible()
        assert_no_axe_violations(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        way_on.click()
        page.wait_for_url("**/staff/")
        assert page.locator("h1").inner_text() == "業務画面"
    finally:
        context.close()
