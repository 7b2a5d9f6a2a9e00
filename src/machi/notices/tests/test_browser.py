"""A resident finds their district's notices from the home page, on a phone and a desk."""

from __future__ import annotations

from typing import Any

import pytest

from machi.core.models import Municipality
from machi.testing.browser import DESKTOP, PHONE, assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_from_the_home_page_to_a_notice_of_my_district(
    live_server: Any, demo: Municipality, new_page: Any, viewport: dict[str, int]
) -> None:
    page = new_page(viewport)
    page.goto(f"{live_server.url}/")
    panel = page.locator("section.home-notices")
    assert "大雨に備えて避難所と避難経路を確認してください" in panel.inner_text()  # 重要, first
    assert_no_axe_violations(page)
    panel.get_by_role("link", name="すべてのお知らせ").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.select_option("#n-district", "seki")
    page.get_by_role("button", name="表示する").click()
    page.wait_for_load_state()
    results = page.locator("ul.procedure-list").last.inner_text()
    assert "関宿 街道まつり" in results and "井田川地区 子育てサロンのお知らせ" not in results
    page.get_by_role("link", name="関宿 街道まつり").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "関宿 街道まつり"
    assert "関宿 中町通り" in page.locator("main").inner_text()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"]
    assert_no_axe_violations(page)


def test_searching_in_katakana_finds_hiragana(
    live_server: Any, demo: Municipality, new_page: Any
) -> None:
    page = new_page(PHONE)
    page.goto(f"{live_server.url}/notices/")
    page.fill("#n-q", "ゴミ")
    page.get_by_role("button", name="表示する").click()
    page.wait_for_load_state()
    assert "年末年始のごみ収集日程" in page.locator("main").inner_text()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_subscribing_by_e_mail_from_the_notice_list(
    live_server: Any, demo: Municipality, new_page: Any, viewport: dict[str, int], settings: Any
) -> None:
    settings.MACHI_DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page = new_page(viewport)
    page.goto(f"{live_server.url}/notices/")
    page.get_by_role("link", name="メールでお知らせを受け取る").click()
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="確認のメールを送る").click()  # nothing typed
    page.wait_for_load_state()
    assert "name@example.jp" in page.locator(".error-summary").inner_text()
    assert_no_axe_violations(page)
    page.fill("#s-email", "new.resident@example.jp")
    # The e-mail form's own boxes (the page's Web Push section has the same topics).
    form = page.locator("form", has=page.locator("#s-email"))
    form.get_by_label("防災").check()
    form.get_by_label("関").check()
    page.get_by_role("button", name="確認のメールを送る").click()
    page.wait_for_load_state()
    assert "new.resident@example.jp" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"]
