"""The chat button on a phone (375 px), in Debian chromium on the 亀山市 demo: it never sits
on the page's controls or its heading, also with the browser's text size at 200 %, the
language switcher keeps "English" on one line, and the home page's chat card opens the
working chat."""

from __future__ import annotations

from typing import Any

import pytest

from machi.core.models import Municipality
from machi.testing.browser import PHONE, assert_no_axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEMO_PASSWORD = "machi-demo-2026"

# Interactive elements and headings of the page (not the widget's own) that the chat
# button's box intersects where they are now on the screen.
_COVERED_JS = """(selector) => {
  const toggle = document.querySelector('.chat-widget__toggle');
  const t = toggle.getBoundingClientRect();
  const found = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest('.chat-widget')) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    if (r.left < t.right && t.left < r.right && r.top < t.bottom && t.top < r.bottom) {
      found.push(el.outerHTML.slice(0, 80));
    }
  }
  return found;
}"""
CONTROLS = "main a, main button, main input, main select, main textarea, main summary, footer a"
HEADINGS = "main h1, main h2"
SMALL_PHONE = {"width": 375, "height": 667}


def _text_size(page: Any, percent: int) -> None:
    """What the browser's text-size setting does: a larger default font size, which
    scales every rem on the page and the rem of media queries."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.enable")
    size = 16 * percent // 100
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": size, "fixed": size * 13 // 16}})


def _covered(page: Any, selector: str) -> list[str]:
    return list(page.evaluate(_COVERED_JS, selector))


def _at_top_and_bottom(page: Any, selector: str) -> list[str]:
    page.evaluate("window.scrollTo(0, 0)")
    covered = _covered(page, selector)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function(
        "() => Math.ceil(window.scrollY + window.innerHeight)"
        " >= document.documentElement.scrollHeight"
    )
    return covered + _covered(page, selector)


@pytest.mark.parametrize("percent", [100, 200])
def test_the_chat_button_leaves_the_withdraw_button_and_the_page_end_free(
    live_server: Any, demo: Municipality, new_page: Any, percent: int
) -> None:
    page = new_page(PHONE)
    _text_size(page, percent)
    sign_in(page, live_server.url, "resident@kameyama.demo", DEMO_PASSWORD)
    page.get_by_role("link", name="申請の一覧", exact=True).click()
    page.locator("main table a").first.click()
    withdraw = page.get_by_role("link", name="この申請を取り下げる")
    # Scrolled to the bottom edge of the screen, the button is still free to tap.
    withdraw.evaluate("el => el.scrollIntoView({block: 'end'})")
    assert _covered(page, CONTROLS) == []
    withdraw.click()
    page.get_by_role("heading", name="申請の取下げ").wait_for()
    assert page.get_by_role("button", name="申請を取り下げる").is_visible()
    assert _at_top_and_bottom(page, CONTROLS) == []
    # At the end of the page nothing of it (the form, the footer) is under the button.
    assert _covered(page, "main, footer .container") == []
    # Open, the chat is usable; it closes again.
    page.locator(".chat-widget__toggle").click()
    assert page.get_by_label("質問", exact=True).is_visible()
    page.locator(".chat-widget__toggle").click()
    assert not page.get_by_label("質問", exact=True).is_visible()


@pytest.mark.parametrize("viewport", [PHONE, SMALL_PHONE], ids=["812", "667"])
def test_at_200_percent_text_headings_are_free_and_english_stays_on_one_line(
    live_server: Any, demo: Municipality, new_page: Any, viewport: dict[str, int]
) -> None:
    page = new_page(viewport)
    _text_size(page, 200)
    page.goto(f"{live_server.url}/")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
    # How many lines each piece of the language switcher takes.
    lines = page.evaluate(
        """() => [...document.querySelectorAll(
                '.language-switcher__label, .language-switcher__button')]
            .map(el => { const r = document.createRange(); r.selectNodeContents(el);
                         return [el.textContent.trim(), r.getClientRects().length]; })"""
    )
    assert lines == [["言語", 1], ["日本語", 1], ["English", 1]]
    assert _covered(page, HEADINGS) == []
    assert_no_axe_violations(page)
    assert _at_top_and_bottom(page, CONTROLS) == []
    page.locator(".card").get_by_role("link", name="手続・申請").click()
    page.get_by_role("heading", name="手続・申請", level=1).wait_for()
    assert _covered(page, HEADINGS) == []
    page.get_by_role("link", name="ごみ・ペット・くらし").click()
    page.get_by_role("link", name="粗大ごみ収集の申込").first.click()
    page.get_by_role("heading", name="粗大ごみ収集の申込", level=1).wait_for()
    assert _at_top_and_bottom(page, HEADINGS + ", " + CONTROLS) == []
    assert _covered(page, "main, footer .container") == []


def test_the_home_page_chat_card_opens_the_working_chat(
    live_server: Any, demo: Municipality, new_page: Any
) -> None:
    page = new_page(PHONE)
    page.goto(f"{live_server.url}/")
    card = page.locator(".card", has_text="よくある質問・チャット")
    assert "準備中" not in card.inner_text()
    card.get_by_role("link", name="よくある質問・チャット").click()
    page.get_by_role("heading", name="チャットで質問する").wait_for()
    page.get_by_label("質問", exact=True).fill("粗大ごみを出したい")
    page.get_by_role("button", name="質問する", exact=True).click()
    answer = page.locator("#chat-log .chat-turn").last
    answer.wait_for()
    assert "粗大ごみ" in answer.inner_text()
    assert "解決しましたか" in answer.inner_text()
