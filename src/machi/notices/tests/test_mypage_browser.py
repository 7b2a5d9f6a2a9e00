"""A resident manages their subscriptions on マイページ, on a phone and a desk: starts
e-mail at their verified address, changes its topics, stops and restarts LINE."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from machi.notices.models import Channel, Subscription
from machi.notices.tests.conftest import Town
from machi.testing.applications import make_resident
from machi.testing.browser import DESKTOP, PHONE, assert_no_axe_violations, sign_in
from machi.testing.factories import PASSWORD, verify_email

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page: Any) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} scrolls sideways ({width}px)"


def _checked(page: Any) -> None:
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    _fits(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_resident_manages_notices_on_mypage(
    live_server: Any, town: Town, new_page: Any, viewport: dict[str, int]
) -> None:
    hanako = make_resident(town.city, email="hanako@example.jp")
    verify_email(hanako)
    Subscription.objects.create(  # followed the city's LINE account while signed in
        municipality=town.city,
        channel=Channel.LINE,
        address="U" + "a" * 32,
        portal_url=live_server.url,
        user=hanako,
        confirmed_at=timezone.now(),
    )
    page = new_page(viewport)
    sign_in(page, live_server.url, hanako.email, PASSWORD)
    page.goto(f"{live_server.url}/mypage/")
    section = page.locator("#notice-subscriptions")
    assert "お知らせの受け取り" in section.inner_text()
    line = section.locator("li[data-channel=line]")
    assert "LINE (友だち追加済み)" in line.inner_text() and "受信中" in line.inner_text()
    _checked(page)

    # E-mail at the address the account has verified: one step, no confirmation message.
    section.get_by_role("link", name="メールでお知らせを受け取る").click()
    _checked(page)
    assert page.get_by_label("hanako@example.jp").is_checked()
    page.get_by_label("防災").check()
    page.get_by_role("button", name="受け取りを始める").click()
    _checked(page)
    assert "hanako@example.jp にお知らせが届くようになりました" in page.locator("main").inner_text()
    mail = page.locator("#notice-subscriptions li[data-channel=email]")
    assert "h***@example.jp" in mail.inner_text() and "受信中" in mail.inner_text()
    assert "防災" in mail.inner_text()

    # Change its topics.
    mail.get_by_role("link", name="受け取る分類・地区を変える").click()
    _checked(page)
    assert page.get_by_label("防災").is_checked()
    page.get_by_label("関").check()
    page.get_by_role("button", name="保存する").click()
    _checked(page)
    assert "関" in page.locator("#notice-subscriptions li[data-channel=email]").inner_text()

    # Stop LINE, then receive again.
    line = page.locator("#notice-subscriptions li[data-channel=line]")
    line.get_by_role("button", name="受け取りを停止する").click()
    _checked(page)
    line = page.locator("#notice-subscriptions li[data-channel=line]")
    assert "停止中" in line.inner_text()
    line.get_by_role("button", name="受け取りを再開する").click()
    _checked(page)
    assert "受信中" in page.locator("#notice-subscriptions li[data-channel=line]").inner_text()
    assert Subscription.objects.get(channel=Channel.LINE).active
