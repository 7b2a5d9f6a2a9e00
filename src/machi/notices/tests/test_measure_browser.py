"""On the 亀山市 demo, in Debian chromium: a clerk who writes notices opens 効果検証 from the
notices list, sees the charts with their tables filled from the demo's delivery history,
chooses another period and downloads the CSV; axe-clean at 1280 px and at 375 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from machi.core.models import Municipality, User
from machi.testing.browser import DESKTOP, PHONE, assert_no_axe_violations, sign_in
from machi.testing.fixtures import enrol_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEMO_PASSWORD = "machi-demo-2026"


def test_a_clerk_compares_the_channels(live_server: Any, demo: Municipality, new_page: Any) -> None:
    base = live_server.url
    email = "clerk.kodomo@kameyama.demo"
    page = new_page(DESKTOP)
    sign_in(page, base, email, DEMO_PASSWORD, enrol_totp(User.objects.get(email=email)))
    page.goto(f"{base}/staff/notices/")
    page.get_by_role("link", name="効果検証（配信経路の比較）").click()
    page.wait_for_url("**/staff/notices/measure/")
    expect(page.get_by_role("heading", level=1)).to_have_text("効果検証（配信経路の比較）")
    # Two charts, each named, with the figures in the table under them.
    expect(page.get_by_role("img", name="経路別の配信済みメッセージ数")).to_be_visible()
    expect(page.get_by_role("img", name="経路別のクリック率")).to_be_visible()
    table = page.locator("#over-time-table")
    expect(table.locator("caption")).to_contain_text("グラフの数値")
    assert table.locator("tbody tr").count() == 8 * 4
    totals = page.get_by_role("table", name="期間中の経路別メッセージ数と現在の購読者数")
    line = totals.get_by_role("row", name="LINE")
    expect(line).to_be_visible()
    assert int(line.locator("td").nth(2).inner_text()) > 0  # delivered on LINE
    assert_no_axe_violations(page)

    page.select_option("#measure-period", "12m")
    page.get_by_role("button", name="表示する").click()
    page.wait_for_url("**/staff/notices/measure/?period=12m")
    assert table.locator("tbody tr").count() == 12 * 4
    with page.expect_download() as download:
        page.locator("a[href*='by-notice.csv']").click()
    assert download.value.suggested_filename.startswith("242101_notices_by_notice_12m_")
    content = Path(download.value.path()).read_bytes()
    assert content.startswith("\ufeffお知らせ,公開日時,チャネル".encode())

    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert_no_axe_violations(page)
