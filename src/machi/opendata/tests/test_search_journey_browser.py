"""Journeys through the open data portal as a person makes them, on the 亀山市 demo catalog:
search → a result → the dataset page, a facet that narrows the list in place, and the
plain list → a dataset. The search updates in place with htmx; a link that leaves the
search must load the whole page it points to, never a blank one (issue 15, item 1)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from machi.core.demo import data as core_demo
from machi.core.models import Municipality
from machi.core.services.tenancy import department_upsert, municipality_upsert
from machi.testing.browser import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo_catalog(transactional_db: Any) -> Municipality:
    """The demo tenant, its departments and the open data demo catalog, as load_demo makes them."""
    city = municipality_upsert(**core_demo.KAMEYAMA)  # type: ignore[arg-type]
    made: dict[str, Any] = {}
    for code, name, name_en, parent in core_demo.DEPARTMENTS:
        made[code] = department_upsert(
            municipality=city,
            code=code,
            name=name,
            name_en=name_en,
            parent=made.get(parent) if parent else None,
        )
    call_command("load_opendata_demo", stdout=io.StringIO())
    return city


def _expect_dataset_page(page: Any, title: str, resource: str) -> None:
    expect(page.locator("main h1")).to_have_text(title)
    expect(page.locator("#od-resources")).to_be_visible()
    expect(page.locator("#od-resources tbody tr", has_text=resource)).to_have_count(1)
    assert page.locator("#od-search").count() == 0  # the whole page, not a search fragment


@VIEWPORTS
def test_search_then_open_a_result(
    live_server: Any, demo_catalog: Municipality, new_page: Any, viewport: dict[str, int]
) -> None:
    page = new_page(viewport)
    page.goto(f"{live_server.url}/")
    page.locator("footer a[href='/opendata/']").click()
    page.wait_for_url("**/opendata/")
    page.fill("#od-q", "避難所")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**/opendata/?q=%E9%81%BF%E9%9B%A3%E6%89%80*")  # can be shared
    titles = page.locator("#od-results .procedure-list__title")
    expect(titles.filter(has_text="イベント一覧")).to_have_count(0)  # the list is narrowed
    result = titles.filter(has_text="指定緊急避難場所一覧")
    expect(result).to_have_count(1)
    result.click()
    page.wait_for_url("**/opendata/dataset/evacuation-sites/")
    _expect_dataset_page(page, "指定緊急避難場所一覧", "指定緊急避難場所一覧")
    # Back returns to the results the person came from.
    page.go_back()
    page.wait_for_url("**/opendata/?q=*")
    expect(titles.filter(has_text="指定緊急避難場所一覧")).to_have_count(1)


@VIEWPORTS
def test_a_facet_narrows_the_list_in_place_and_a_dataset_opens_from_it(
    live_server: Any, demo_catalog: Municipality, new_page: Any, viewport: dict[str, int]
) -> None:
    page = new_page(viewport)
    page.goto(f"{live_server.url}/opendata/")
    titles = page.locator("#od-results .procedure-list__title")
    everything = titles.count()
    assert everything > 4
    # A marker on the page: a partial update keeps it, a full page load would lose it.
    page.evaluate("window.odStayedOnPage = true")
    page.locator("#od-facet-list-groups a", has_text="観光・文化").click()
    expect(titles).to_have_count(4)
    expect(titles.filter(has_text="イベント一覧")).to_have_count(1)
    expect(page.locator("#od-facet-list-groups a[aria-current=true]")).to_have_count(1)
    assert "groups=kanko-bunka" in page.url
    assert page.evaluate("window.odStayedOnPage === true"), "the facet reloaded the whole page"
    # The chip removes the condition again, still in place.
    page.locator("a.od-chip").first.click()
    expect(titles).to_have_count(everything)
    assert page.evaluate("window.odStayedOnPage === true")
    # From the filtered list, a dataset opens as a whole page.
    page.locator("#od-facet-list-groups a", has_text="観光・文化").click()
    expect(titles).to_have_count(4)
    titles.filter(has_text="文化財一覧").click()
    page.wait_for_url("**/opendata/dataset/**")
    _expect_dataset_page(page, "文化財一覧", "文化財一覧")


def test_a_dataset_opens_from_the_list_without_a_search(
    live_server: Any, demo_catalog: Municipality, new_page: Any
) -> None:
    page = new_page(DESKTOP)
    page.goto(f"{live_server.url}/opendata/")
    page.locator("#od-results .procedure-list__title", has_text="AED設置箇所一覧").click()
    page.wait_for_url("**/opendata/dataset/aed/")
    _expect_dataset_page(page, "AED設置箇所一覧", "AED設置箇所一覧")
    # And on to a resource page from there.
    page.locator("#od-resources").get_by_role("link", name="AED設置箇所一覧", exact=True).click()
    expect(page.locator("#od-preview")).to_be_visible()
