"""On the 亀山市 demo, in Debian chromium: a clerk of 子ども未来課 writes a notice with an
image and its description and asks for approval; the 課長 approves it from the back-office
home; residents find it on /notices/. Every page passes axe, the form on a phone too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from machi.core.models import Municipality, User
from machi.notices.models import Notice, NoticeStatus
from machi.testing.applications import png_bytes
from machi.testing.browser import DESKTOP, PHONE, assert_no_axe_violations, sign_in
from machi.testing.fixtures import enrol_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEMO_PASSWORD = "machi-demo-2026"
TITLE = "子育て応援サロンを開きます"


def _signed_in(new_page: Any, base: str, email: str) -> Any:
    user = User.objects.get(email=email)
    page = new_page(DESKTOP)
    sign_in(page, base, email, DEMO_PASSWORD, enrol_totp(user))
    assert "/accounts/" not in page.url, page.url
    return page


def test_a_clerk_writes_a_notice_with_an_image_and_the_approver_publishes_it(
    live_server: Any, demo: Municipality, new_page: Any, tmp_path: Path
) -> None:
    base = live_server.url
    clerk = _signed_in(new_page, base, "clerk.kodomo@kameyama.demo")

    # From the back-office home to the notices and the form.
    clerk.goto(f"{base}/staff/")
    clerk.get_by_role("link", name="お知らせ", exact=True).click()
    clerk.wait_for_url("**/staff/notices/")
    assert_no_axe_violations(clerk)
    clerk.get_by_role("link", name="新しいお知らせ").click()
    clerk.wait_for_url("**/staff/notices/new/")
    assert_no_axe_violations(clerk)

    # The event's fields follow the category (the script); saving without a title fails.
    event = clerk.locator("#event-fields")
    clerk.select_option("#id_category", label="イベント")
    expect(event).to_be_visible()
    clerk.select_option("#id_category", label="子育て")
    expect(event).to_be_hidden()
    clerk.fill("#id_body", "毎週水曜日の10時から、**子育て支援センター**で開きます。")
    clerk.get_by_role("button", name="下書きを保存する").click()
    expect(clerk.locator(".error-summary")).to_be_focused()
    expect(clerk.locator(".error-summary a[href='#id_title']")).to_be_visible()
    assert clerk.input_value("#id_body").startswith("毎週水曜日")
    assert_no_axe_violations(clerk)
    clerk.fill("#id_title", TITLE)
    clerk.get_by_role("button", name="下書きを保存する").click()
    clerk.wait_for_url("**/edit/")
    notice = Notice.objects.get(title=TITLE)
    assert "<strong>子育て支援センター</strong>" in clerk.locator("#preview").inner_html()

    # The edit form at 375 px: no sideways scrolling, no axe violation.
    clerk.set_viewport_size(PHONE)
    clerk.reload()
    assert clerk.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert_no_axe_violations(clerk)
    clerk.set_viewport_size(DESKTOP)

    # An image with its description.
    picture = tmp_path / "salon.png"
    picture.write_bytes(png_bytes((40, 30)))
    clerk.check("#id_kind_0")
    clerk.set_input_files("#id_file", str(picture))
    clerk.fill("#id_alt_text", "子育て支援センターの遊び場")
    clerk.get_by_role("button", name="添付する").click()
    clerk.wait_for_url("**/edit/#attachments")
    expect(clerk.locator("#attachments img[alt='子育て支援センターの遊び場']")).to_be_visible()
    assert_no_axe_violations(clerk)

    # Ask for approval on the notice's page.
    clerk.locator("#to-notice-page").click()
    clerk.wait_for_url(f"**/staff/notices/{notice.pk}/")
    clerk.get_by_role("button", name="承認を依頼する").click()
    expect(clerk.locator("#notice-state")).to_have_text("承認待ち")
    expect(clerk.locator("#approve")).to_have_count(0)
    assert_no_axe_violations(clerk)

    # The 課長 finds it from the home page and approves it.
    approver = _signed_in(new_page, base, "kacho.kodomo@kameyama.demo")
    approver.goto(f"{base}/staff/")
    expect(approver.get_by_text("承認待ちのお知らせ 1件")).to_be_visible()
    approver.get_by_role("link", name="お知らせ", exact=True).click()
    approver.locator("#awaiting").get_by_role("link", name=TITLE).click()
    approver.wait_for_url(f"**/staff/notices/{notice.pk}/")
    expect(approver.locator("img[alt='子育て支援センターの遊び場']")).to_be_visible()
    assert_no_axe_violations(approver)
    approver.get_by_role("button", name="承認して掲載する").click()
    expect(approver.locator("#notice-state")).to_have_text("掲載中")
    assert_no_axe_violations(approver)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.APPROVED

    # Residents see it on the public list, with its image.
    approver.get_by_role("link", name="公開ページを開く").click()
    approver.wait_for_url(f"**/notices/{notice.pk}/")
    resident = new_page(DESKTOP)
    resident.goto(f"{base}/notices/")
    resident.get_by_role("link", name=TITLE).first.click()
    resident.wait_for_url(f"**/notices/{notice.pk}/")
    expect(resident.locator("h1")).to_have_text(TITLE)
    image = resident.locator("img[alt='子育て支援センターの遊び場']")
    expect(image).to_be_visible()
    assert resident.evaluate("(img) => img.naturalWidth", image.element_handle()) == 40
    assert_no_axe_violations(resident)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_delivery_page_shows_the_platforms_other_mails(
    live_server: Any, demo: Municipality, new_page: Any, viewport: dict[str, int]
) -> None:
    """The demo's applications sent receipts through the engine (ADR 0019): the delivery
    page lists them by kind with their status, masked, and passes axe."""
    base = live_server.url
    user = User.objects.get(email="clerk.kodomo@kameyama.demo")
    page = new_page(viewport)
    sign_in(page, base, user.email, DEMO_PASSWORD, enrol_totp(user))
    page.goto(f"{base}/staff/notices/delivery/")
    section = page.get_by_role("region", name="その他のメール")
    expect(section).to_be_visible()
    text = section.inner_text()
    assert "申請の受付通知" in text and "***@" in text
    assert_no_axe_violations(page)
