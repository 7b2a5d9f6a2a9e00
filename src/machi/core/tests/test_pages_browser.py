"""Every page of the shell in Debian chromium: axe-core clean at desktop and phone widths."""

from __future__ import annotations

from typing import Any

import pytest

from machi.core.models import Municipality, Role, User
from machi.testing.browser import (
    DESKTOP,
    PHONE,
    assert_no_axe_violations,
    sign_in,
    type_totp_code,
)
from machi.testing.fixtures import PASSWORD, enrol_totp, make_staff, verify_email

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone-375")]

PUBLIC_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/confirm-email/",
    "/no-such-page/",
]
RESIDENT_PAGES = [
    "/mypage/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/3rdparty/",
    "/staff/",  # the 403 page a resident gets
]
STAFF_PAGES = ["/staff/", "/staff/residents/", "/staff/residents/?q=亀山"]


def _no_horizontal_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} scrolls sideways ({width}px)"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_public_pages_are_accessible(
    live_server: Any, city: Municipality, new_page: Any, viewport: dict[str, int]
) -> None:
    page = new_page(viewport)
    for path in PUBLIC_PAGES:
        page.goto(live_server.url + path)
        assert page.locator("header").inner_text().count("亀山市") >= 1
        assert_no_axe_violations(page)
        _no_horizontal_scroll(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_resident_pages_are_accessible(
    live_server: Any, resident: User, new_page: Any, viewport: dict[str, int]
) -> None:
    verify_email(resident)
    page = new_page(viewport)
    sign_in(page, live_server.url, resident.email, PASSWORD)
    for path in RESIDENT_PAGES:
        page.goto(live_server.url + path)
        assert_no_axe_violations(page)
        _no_horizontal_scroll(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_staff_pages_are_accessible(
    live_server: Any,
    city: Municipality,
    resident: User,
    new_page: Any,
    viewport: dict[str, int],
) -> None:

    admin = make_staff(
        city,
        "admin@kameyama.example.jp",
        role=Role.PLATFORM_ADMIN,
        with_totp=False,
        email_verified=True,
    )
    secret = enrol_totp(admin)
    page = new_page(viewport)
    sign_in(page, live_server.url, admin.email, PASSWORD)
    # Second step: the TOTP code, computed just before sending (the axe scan can outlast a
    # 30-second period on a busy machine).
    assert_no_axe_violations(page)  # the second-step page
    type_totp_code(page, secret)  # types the next period's code if this one ran out
    page.wait_for_url("**/staff/")
    admin_pages = [
        "/admin/",
        "/admin/core/user/",
        f"/admin/core/user/{resident.pk}/change/",
        "/admin/core/department/",
        "/admin/core/staffrole/add/",
        "/admin/core/auditentry/",
    ]
    for path in [*STAFF_PAGES, f"/staff/residents/{resident.pk}/"]:
        page.goto(live_server.url + path)
        assert_no_axe_violations(page)
        _no_horizontal_scroll(page)
    # The Django admin keeps its own layout (wide tables scroll); it must still be clean.
    for path in admin_pages:
        page.goto(live_server.url + path)
        assert_no_axe_violations(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_staff_enrolment_and_second_step_pages_are_accessible(
    live_server: Any,
    city: Municipality,
    department: Any,
    new_page: Any,
    viewport: dict[str, int],
) -> None:
    newcomer = make_staff(
        city, "new@kameyama.example.jp", department=department, with_totp=False, email_verified=True
    )
    page = new_page(viewport)
    sign_in(page, live_server.url, newcomer.email, PASSWORD)
    # Signed in, the back office sends them straight to enrol (the password they have just
    # typed is not asked again: issue 15).
    page.goto(live_server.url + "/staff/")
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    assert page.locator("img").count() >= 1  # the QR code to scan
    assert_no_axe_violations(page)
    _no_horizontal_scroll(page)
    # The page that asks for the password again (before later changes to MFA).
    page.goto(live_server.url + "/accounts/reauthenticate/")
    assert page.locator("#id_password").is_visible()
    assert_no_axe_violations(page)


def test_shell_fits_a_320px_screen(live_server: Any, city: Municipality, new_page: Any) -> None:
    page = new_page({"width": 320, "height": 640})
    for path in ["/", "/accounts/login/", "/accounts/signup/"]:
        page.goto(live_server.url + path)
        _no_horizontal_scroll(page)
        assert page.locator(".language-switcher").is_visible()


def test_language_switcher_shows_english(
    live_server: Any, city: Municipality, new_page: Any
) -> None:
    page = new_page(DESKTOP)
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "亀山市 オンライン窓口"
    assert page.locator("button[lang=en]").inner_text() == "English"
    assert page.locator("button[lang=ja]").inner_text() == "日本語"
    page.click("button[lang=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Kameyama City online services"
    assert "Skip to main content" in page.locator(".skip-link").inner_text()
    assert_no_axe_violations(page)
    page.click("button[lang=ja]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ja"


def test_skip_link_moves_focus_to_main(live_server: Any, city: Municipality, new_page: Any) -> None:
    page = new_page(DESKTOP)
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_signup_errors_summary_links_to_field(
    live_server: Any, city: Municipality, new_page: Any
) -> None:
    page = new_page(PHONE)
    page.goto(live_server.url + "/accounts/signup/")
    page.fill("#id_email", "not-an-address")
    page.fill("#id_password1", "short")
    page.fill("#id_password2", "other")
    page.click("form.form button[type=submit]")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    summary.locator("a[href='#id_email']").click()
    assert page.evaluate("document.activeElement.id") == "id_email"
    assert_no_axe_violations(page)
