"""On the 亀山市 demo, in Debian chromium: a resident opens the chat from the home page,
asks 「マイナカードなくした」, gets the answer about a lost card, and says it did not help;
the turn is stored with that feedback and shows on the staff dashboard, whose "add to FAQ"
pre-fills the resident's wording. Pages pass axe on a phone and a desktop."""

from __future__ import annotations

from typing import Any

import pytest

from machi.assistant.models import Feedback, Turn
from machi.core.models import Municipality, User
from machi.testing.browser import DESKTOP, PHONE, assert_no_axe_violations, sign_in
from machi.testing.fixtures import enrol_totp

DEMO_PASSWORD = "machi-demo-2026"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_resident_asks_in_the_widget_and_says_it_did_not_help(
    live_server: Any, demo: Municipality, new_page: Any, viewport: dict[str, int]
) -> None:
    page = new_page(viewport)
    page.goto(f"{live_server.url}/")
    page.locator(".chat-widget__toggle").click()  # 質問する（チャット）, チャット on a phone
    assert_no_axe_violations(page)
    page.get_by_label("質問", exact=True).fill("マイナカードなくした")
    page.get_by_role("button", name="質問する", exact=True).click()
    turn = page.locator("#chat-widget-log .chat-turn")
    turn.wait_for()
    assert "マイナンバーカードをなくして" in turn.inner_text()
    assert_no_axe_violations(page)
    turn.get_by_role("button", name="解決しなかった").click()
    page.get_by_text("いただいた評価は、職員が回答の改善に使います").wait_for()
    stored = Turn.objects.get()
    assert stored.answered
    assert stored.feedback == Feedback.UNRESOLVED
    assert stored.question == "マイナカードなくした"
    if viewport is PHONE:
        return
    # The clerk's dashboard lists it among the questions to look at.
    admin = User.objects.get(email="admin@kameyama.demo")
    secret = enrol_totp(admin)
    staff = new_page(DESKTOP)
    sign_in(staff, live_server.url, admin.email, DEMO_PASSWORD, totp_secret=secret)
    staff.goto(f"{live_server.url}/staff/assistant/")
    row = staff.locator("#review-table tbody tr").first
    assert "マイナカードなくした" in row.inner_text()
    assert_no_axe_violations(staff)
    row.get_by_role("link", name="FAQに追加").click()
    assert staff.locator("#f-samples").input_value() == "マイナカードなくした"
    assert staff.locator("#f-question").input_value() == "マイナカードなくした"
