"""A resident who wants a district's notices in a feed reader and the events in a calendar
finds both addresses on the list page, on a phone and a desk."""

from __future__ import annotations

from typing import Any

import pytest
from icalendar import Calendar

from machi.core.models import Municipality
from machi.testing.browser import DESKTOP, PHONE, assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_list_page_gives_the_district_feed_and_the_calendar(
    live_server: Any, demo: Municipality, new_page: Any, viewport: dict[str, int]
) -> None:
    page = new_page(viewport)
    page.goto(f"{live_server.url}/notices/")
    page.select_option("#n-district", "seki")
    page.get_by_role("button", name="表示する").click()
    page.wait_for_load_state()

    feeds = page.locator("section.notice-feeds")
    assert feeds.get_by_role("heading", name="お知らせを受け取る").is_visible()
    district = feeds.get_by_role("link", name="関地区のAtomフィード")
    assert district.is_visible()
    alternates = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    assert alternates.count() == 2  # all notices, and this district's
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"]
    assert_no_axe_violations(page)

    feed = page.request.get(district.evaluate("a => a.href"))
    assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
    text = feed.text()
    assert "関宿 街道まつり" in text and "井田川地区 子育てサロンのお知らせ" not in text

    calendar = feeds.get_by_role("link", name="イベントのカレンダー（iCalendar）")
    answer = page.request.get(calendar.evaluate("a => a.href"))
    assert answer.ok and answer.headers["content-type"] == "text/calendar; charset=utf-8"
    events = [str(e["SUMMARY"]) for e in Calendar.from_ical(answer.body()).walk("VEVENT")]
    assert "関宿 街道まつり" in events
