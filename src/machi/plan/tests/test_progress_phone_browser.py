"""The public progress page on a phone (375 px), in Debian chromium on the 亀山市 demo: short
enough to scroll (each measure's details fold away), charts at a readable size, and every
fiscal year once in each KPI table (the chatbot KPI's baseline year is also a plan year)."""

from __future__ import annotations

from typing import Any

import pytest

from machi.core.models import Municipality
from machi.testing.browser import PHONE, assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Was 28,216 px with the 24 measures unfolded. Folded, the page is the principle, the
# status summary, the list of policies and one heading with its status per measure:
# 5,728 px at 375 px; 8,000 leaves room for longer titles and is under a third of
# the old length.
MAX_HEIGHT = 8_000


def test_on_a_phone_the_progress_page_is_short_and_each_year_is_listed_once(
    live_server: Any, demo: Municipality, new_page: Any
) -> None:
    page = new_page(PHONE)
    page.goto(f"{live_server.url}/plan/")  # the only plan: straight to its page
    page.get_by_role("heading", name="亀山市行政DX推進計画", level=1).wait_for()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < MAX_HEIGHT, height
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The chatbot measure: open its details, find the KPI's table.
    measure = page.locator("article.measure", has_text="チャットボット").first
    measure.locator("summary").click()
    kpi = measure.locator("figure.kpi", has_text="チャットボットの自動応答による解決率")
    kpi.wait_for()
    years = [text.split("(")[0].strip() for text in kpi.locator("tbody th").all_inner_texts()]
    assert years.count("令和5年度") == 1, years
    assert len(years) == len(set(years)), years
    baseline_row = kpi.locator("tbody tr", has_text="基準値")
    assert baseline_row.count() == 1
    assert "令和5年度" in baseline_row.inner_text() and "61.5" in baseline_row.inner_text()

    # The chart keeps its letters readable (12 px in the drawing), scrolling sideways.
    chart = kpi.locator("svg.kpi-chart")
    assert chart.is_visible()
    smallest = chart.evaluate(
        "svg => Math.min(...[...svg.querySelectorAll('text')]"
        ".map(t => t.getBoundingClientRect().height))"
    )
    assert smallest >= 12, smallest
    assert_no_axe_violations(page)
