"""On the 亀山市 demo, in Debian chromium: the platform administrator registers a partner's
webhook (a wrong address first), copies the secret shown once, and opens the webhook's
page. Every page passes axe at 1280 px and at 375 px, without sideways scrolling."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from machi.core.models import Municipality, User
from machi.notices.models import Channel, Subscription
from machi.testing.browser import DESKTOP, PHONE, assert_no_axe_violations, sign_in
from machi.testing.fixtures import enrol_totp
from machi.testing.webhook_receiver import PartnerReceiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEMO_PASSWORD = "machi-demo-2026"


@pytest.fixture
def receiver() -> Iterator[PartnerReceiver]:
    partner = PartnerReceiver().start()
    yield partner
    partner.stop()


def _both_widths(page: Any) -> None:
    """axe at 1280 px, then at 375 px with nothing wider than the phone."""
    page.set_viewport_size(DESKTOP)
    assert_no_axe_violations(page)
    page.set_viewport_size(PHONE)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert_no_axe_violations(page)
    page.set_viewport_size(DESKTOP)


def test_the_administrator_registers_a_partner_webhook_and_copies_its_secret(
    live_server: Any, demo: Municipality, new_page: Any, receiver: PartnerReceiver
) -> None:
    base = live_server.url
    admin = User.objects.get(email="admin@kameyama.demo")
    page = new_page(DESKTOP)
    sign_in(page, base, admin.email, DEMO_PASSWORD, enrol_totp(admin))
    assert "/accounts/" not in page.url, page.url

    page.goto(f"{base}/staff/notices/")
    page.get_by_role("link", name="提携先へのWebhook").click()
    page.wait_for_url("**/staff/notices/webhooks/")
    # The demo's partners (its delivery history) are listed.
    expect(page.get_by_text("亀山市観光協会")).to_be_visible()
    _both_widths(page)

    page.get_by_role("link", name="Webhookを登録する").click()
    page.wait_for_url("**/staff/notices/webhooks/new/")
    _both_widths(page)
    page.fill("#id_name", "亀山防災ネット")
    page.fill("#id_url", "http://bousai.example.jp/hook")
    page.get_by_role("button", name="登録して秘密鍵を表示する").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".error-summary a[href='#id_url']")).to_contain_text("https://")
    assert page.input_value("#id_name") == "亀山防災ネット"
    _both_widths(page)

    page.fill("#id_url", receiver.url)
    page.get_by_role("checkbox", name="防災").check()
    page.get_by_role("button", name="登録して秘密鍵を表示する").click()
    expect(page.get_by_role("heading", name="Webhookを登録しました")).to_be_visible()
    secret = page.locator("#secret-value").inner_text().strip()
    webhook = Subscription.objects.get(channel=Channel.WEBHOOK, label="亀山防災ネット")
    assert webhook.details["secret"] == secret and webhook.label == "亀山防災ネット"
    _both_widths(page)

    page.get_by_role("link", name="秘密鍵をコピーしました").click()
    page.wait_for_url(f"**/staff/notices/webhooks/{webhook.pk}/")
    assert secret not in page.content()
    expect(page.locator("#webhook-state")).to_contain_text("送信中")
    _both_widths(page)
