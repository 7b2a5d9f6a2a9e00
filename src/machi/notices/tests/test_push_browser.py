"""「この端末で通知を受け取る」 on the notice list, on a phone and a desk. Headless chromium
reaches no push service here, so the journey ends where a resident's ends when
subscribing fails: a clear message, and nothing stored."""

from __future__ import annotations

from typing import Any

import pytest

from machi.core.models import Municipality
from machi.notices.models import Channel, Subscription
from machi.testing.browser import DESKTOP, PHONE, assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_push_control_shows_and_says_why_subscribing_failed(
    live_server: Any, demo: Municipality, new_page: Any, viewport: dict[str, int]
) -> None:
    page = new_page(viewport)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/notices/")
    section = page.locator("#notice-push")
    section.wait_for(state="visible")  # the browser has the Push API: the script shows it
    assert "この端末への通知" in section.inner_text()
    button = section.get_by_role("button", name="この端末で通知を受け取る")
    assert button.is_visible()
    section.get_by_text("受け取る分野を選ぶ").click()
    section.get_by_label("防災").check()
    assert_no_axe_violations(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"]

    # The permission prompt is answered "block" (what headless chromium does).
    button.click()
    status = section.locator("[data-push-status]")
    status.get_by_text("通知がブロックされています").wait_for()
    # Permission given, but no push service can be reached from here.
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    button.click()
    status.get_by_text("登録ができませんでした").wait_for()
    assert_no_axe_violations(page)
    # Nothing stored beyond the demo's invented subscribers (its delivery history).
    pushes = Subscription.objects.filter(channel=Channel.WEB_PUSH)
    assert not pushes.exclude(address__contains="/demo-history/").exists()
    assert not [e for e in errors if "Content Security Policy" in e]


def test_without_javascript_the_control_stays_hidden(
    live_server: Any, demo: Municipality, new_page: Any
) -> None:
    page = new_page(PHONE, javascript=False)
    page.goto(f"{live_server.url}/notices/")
    assert not page.locator("#notice-push").is_visible()
    assert page.get_by_role("link", name="メールでお知らせを受け取る").is_visible()
