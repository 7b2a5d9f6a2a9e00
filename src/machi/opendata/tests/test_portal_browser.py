"""The open data portal in Debian chromium: Japanese search and a facet, the dataset page,
the resource page with its preview table and Leaflet map (under the real CSP), and a
clerk's upload of a CSV with errors ending on a validation report a non-programmer can
read (screenshot kept). Every page passes axe on a desktop and a phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from machi.core.models import Municipality, User
from machi.opendata.models import Dataset
from machi.opendata.services.resources import resource_create
from machi.opendata.tests.test_views import AED_WITH_ERRORS, Portal, build_portal
from machi.testing.browser import DESKTOP, PHONE, assert_no_axe_violations, sign_in
from machi.testing.fixtures import PASSWORD, enrol_totp, make_municipality, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
TILE_HOST = "https://cyberjapandata.gsi.go.jp/**"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def portal(transactional_db: Any) -> Portal:
    return build_portal(make_municipality())


def _offline_tiles(page: Any) -> None:
    """The test machine has no internet: refuse tile requests at once instead of waiting."""
    page.route(TILE_HOST, lambda route: route.abort())


@VIEWPORTS
def test_search_finds_shelters_by_a_partial_word_and_a_facet_narrows(
    live_server: Any, portal: Portal, new_page: Any, viewport: dict[str, int]
) -> None:
    page = new_page(viewport)
    page.goto(f"{live_server.url}/")
    page.locator("footer a[href='/opendata/']").click()
    page.wait_for_url("**/opendata/")
    titles = page.locator("#od-results .procedure-list__title")
    # Everything published, including the オープンデータ一覧 machi keeps current by itself.
    published = Dataset.objects.filter(municipality=portal.city, state="active").count()
    expect(titles).to_have_count(published)
    expect(titles.filter(has_text="AED設置箇所一覧")).to_have_count(1)
    assert_no_axe_violations(page)
    page.fill("#od-q", "避難所")
    page.locator("form[role=search] button[type=submit]").click()
    expect(titles).to_have_count(1)
    expect(titles.first).to_have_text("指定避難所一覧")
    assert "q=%E9%81%BF%E9%9B%A3%E6%89%80" in page.url  # the address can be shared
    assert_no_axe_violations(page)
    # A facet narrows the whole catalog to one publisher, and again removes it.
    page.goto(f"{live_server.url}/opendata/")
    page.locator("#od-facet-list-organization a", has_text="健康づくり課").click()
    expect(titles).to_have_count(1)
    expect(titles.first).to_have_text("AED設置箇所一覧")
    expect(page.locator("#od-facet-list-organization a[aria-current=true]")).to_have_count(1)
    assert "organization=310" in page.url
    assert_no_axe_violations(page)
    page.locator("a.od-chip").first.click()
    expect(titles).to_have_count(published)


@VIEWPORTS
def test_dataset_page(
    live_server: Any, portal: Portal, new_page: Any, viewport: dict[str, int]
) -> None:
    page = new_page(viewport)
    page.goto(f"{live_server.url}/opendata/dataset/hinanjo/")
    expect(page.locator("h1")).to_have_text("指定避難所一覧")
    expect(page.locator("#od-resources tbody tr")).to_have_count(1)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="指定避難所一覧（CSV）", exact=True).click()
    expect(page.locator("#od-preview")).to_be_visible()


@VIEWPORTS
def test_resource_page_shows_the_table_and_the_map_with_a_marker_per_place(
    live_server: Any, portal: Portal, new_page: Any, viewport: dict[str, int]
) -> None:
    page = new_page(viewport)
    _offline_tiles(page)
    page.goto(f"{live_server.url}/opendata/dataset/hinanjo/resource/{portal.shelter_csv.pk}/")
    preview = page.locator("#od-preview")
    expect(preview.locator("tbody tr")).to_have_count(3)
    expect(preview.locator("thead th")).to_have_text(["名称", "所在地_連結表記", "緯度", "経度"])
    markers = page.locator("#od-map .leaflet-marker-icon")
    expect(markers).to_have_count(3)
    expect(page.locator("#od-map img[alt='関町民会館']")).to_have_count(1)
    assert "leaflet-container" in (page.locator("#od-map").get_attribute("class") or "")
    assert_no_axe_violations(page)
    page.locator("#od-map img[alt='関町民会館']").click()
    expect(page.locator("#od-map .leaflet-popup-content")).to_have_text("関町民会館")
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('#od-map .leaflet-popup')).opacity === '1'"
    )
    assert_no_axe_violations(page)


def test_the_map_runs_under_the_real_content_security_policy(
    live_server: Any, portal: Portal, browser: Any
) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="ja-JP")  # CSP enforced
    try:
        page = context.new_page()
        _offline_tiles(page)
        refused: list[str] = []
        page.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.goto(f"{live_server.url}/opendata/dataset/hinanjo/resource/{portal.shelter_csv.pk}/")
        expect(page.locator("#od-map .leaflet-marker-icon")).to_have_count(3)
        assert refused == []
    finally:
        context.close()


@pytest.fixture
def kenko_clerk(portal: Portal) -> tuple[User, str]:
    user = make_staff(
        portal.city,
        "kenko@kameyama.example.jp",
        department=portal.kenko,
        with_totp=False,
        email_verified=True,
    )
    return user, enrol_totp(user)


def test_staff_upload_of_a_csv_with_errors_shows_the_report(
    live_server: Any,
    portal: Portal,
    kenko_clerk: tuple[User, str],
    new_page: Any,
    tmp_path: Path,
) -> None:
    standard = resource_create(
        actor=None, dataset=portal.aed, name="AED設置箇所一覧（標準）", schema_name="aed"
    )
    user, secret = kenko_clerk
    page = new_page(DESKTOP)
    sign_in(page, live_server.url, user.email, PASSWORD, totp_secret=secret)
    page.goto(f"{live_server.url}/staff/opendata/resource/{standard.pk}/upload/")
    assert_no_axe_violations(page)
    sent_by_script: list[str] = []
    page.on(
        "request",
        lambda request: (
            sent_by_script.append(request.url)
            if request.method == "POST"
            and request.headers.get("x-requested-with") == "XMLHttpRequest"
            else None
        ),
    )
    # Without a file the form comes back with its error summary, focused for screen readers.
    page.locator("form[data-upload-progress] button[type=submit]").click()
    expect(page.locator(".error-summary a[href='#id_file']")).to_be_visible()
    expect(page.locator(".error-summary")).to_be_focused()
    assert "/upload/" in page.url
    page.set_input_files(
        "#id_file", {"name": "AED一覧.csv", "mimeType": "text/csv", "buffer": AED_WITH_ERRORS}
    )
    page.fill("#id_change_note", "初版")
    page.locator("form[data-upload-progress] button[type=submit]").click()
    page.wait_for_url("**/staff/opendata/version/**")
    assert sent_by_script, "the upload went through the progress-bar script"
    verdict = page.locator("#od-verdict")
    expect(verdict).to_be_visible()
    expect(page.locator("#od-report .od-problem-group")).to_have_count(9)
    expect(page.locator("button[value=publish]")).to_be_disabled()
    row = page.locator("#od-report .od-problem-group", has=page.locator("td", has_text="99.1"))
    expect(row).to_have_count(1)
    shot = tmp_path / "validation-report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert_no_axe_violations(page)
    # The same report on a phone (same session: a TOTP code is accepted only once).
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("#od-verdict")).to_be_visible()
    assert_no_axe_violations(page)


def test_staff_pages_pass_axe(
    live_server: Any, portal: Portal, kenko_clerk: tuple[User, str], new_page: Any
) -> None:
    user, secret = kenko_clerk
    page = new_page(DESKTOP)
    sign_in(page, live_server.url, user.email, PASSWORD, totp_secret=secret)
    for path in (
        "/staff/opendata/",
        f"/staff/opendata/{portal.aed.pk}/",
        "/staff/opendata/new/",
        f"/staff/opendata/{portal.aed.pk}/resources/new/",
        "/staff/opendata/validate/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_no_axe_violations(page)
    # The check-only tool shows the same report.
    page.set_input_files(
        "#id_file", {"name": "AED一覧.csv", "mimeType": "text/csv", "buffer": AED_WITH_ERRORS}
    )
    page.select_option("#id_schema_name", "aed")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("#od-report .od-problem-group")).to_have_count(9)
    assert_no_axe_violations(page)


def test_the_demo_error_file_report_is_readable_and_accessible(
    live_server: Any, demo: Municipality, new_page: Any, tmp_path: Path
) -> None:
    """The Done-when of the issue: on the 亀山市 demo, the report of the demo file with
    errors (イベント一覧, the upload waiting to be corrected) reads as a summary and grouped
    problems with what to do; screenshot kept, axe-clean on a desktop and a phone."""
    admin = User.objects.get(email="admin@kameyama.demo")
    secret = enrol_totp(admin)
    page = new_page(DESKTOP)
    sign_in(page, live_server.url, admin.email, "machi-demo-2026", totp_secret=secret)
    page.goto(f"{live_server.url}/staff/opendata/")
    page.locator("#od-staff-datasets a", has_text="イベント一覧").first.click()
    page.locator("tr", has=page.locator(".od-version-status--checked")).get_by_role(
        "link"
    ).first.click()
    page.wait_for_url("**/staff/opendata/version/**")
    expect(page.locator("#od-verdict")).to_be_visible()
    expect(page.locator("#od-report-summary")).to_be_visible()
    groups = page.locator("#od-report .od-problem-group")
    assert groups.count() >= 2
    expect(page.locator("button[value=publish]")).to_be_disabled()
    shot = tmp_path / "demo-error-report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert_no_axe_violations(page)
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("#od-verdict")).to_be_visible()
    assert_no_axe_violations(page)


# --- English pages: what staff wrote stays Japanese, marked lang="ja" ---------------------


def _unmarked_japanese(page: Any) -> list[str]:
    """Japanese on the page outside lang="ja" (the crawler's check of the English walk)."""
    from machi.testing.crawler import unmarked_japanese

    page.wait_for_load_state("networkidle")
    return [f"{page.url}: {text}" for text in unmarked_japanese(page)]


def _marks(page: Any) -> int:
    """How many elements of the page's content carry a lang attribute."""
    return int(page.evaluate("document.querySelectorAll('main [lang]').length"))


def test_english_portal_pages_mark_japanese_content_and_translate_the_rest(
    live_server: Any, portal: Portal, new_page: Any
) -> None:
    """A visitor reading in English: dataset titles, descriptions, tags, publishers, the
    preview, the map's place names and credit stay Japanese but are marked, so a screen
    reader switches voice; every word of the interface is English."""
    page = new_page(DESKTOP, locale="en-US")
    _offline_tiles(page)
    page.goto(f"{live_server.url}/")
    page.locator("footer a[href='/opendata/']").click()
    page.wait_for_url("**/opendata/")
    assert _unmarked_japanese(page) == []
    expect(page.locator("#od-q-hint span[lang=ja]")).to_have_text(["避難所", "指定避難所一覧"])
    page.locator("#od-facet-list-tags a", has_text="防災").click()
    expect(page.locator(".od-chip")).to_have_count(1)
    assert _unmarked_japanese(page) == []
    page.get_by_role("link", name="Designated shelters").click()
    page.wait_for_url("**/opendata/dataset/hinanjo/")
    assert _unmarked_japanese(page) == []
    expect(page.locator(".od-notes")).to_have_attribute("lang", "ja")
    page.get_by_role("link", name="指定避難所一覧（CSV）", exact=True).click()
    expect(page.locator("#od-map .leaflet-marker-icon")).to_have_count(3)
    assert _unmarked_japanese(page) == []
    expect(page.locator("#od-map img[alt='関町民会館']")).to_have_attribute("lang", "ja")
    expect(page.locator("#od-preview tbody")).to_have_attribute("lang", "ja")
    expect(page.locator("#od-map-note")).to_contain_text("latitude (緯度)")
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/opendata/dataset/aed/")
    expect(page.locator("h1")).to_have_attribute("lang", "ja")  # no English title
    assert _unmarked_japanese(page) == []


def test_japanese_portal_pages_carry_no_language_marks(
    live_server: Any, portal: Portal, new_page: Any
) -> None:
    page = new_page(DESKTOP)
    _offline_tiles(page)
    for path in (
        "/opendata/",
        "/opendata/dataset/hinanjo/",
        f"/opendata/dataset/hinanjo/resource/{portal.shelter_csv.pk}/",
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert _marks(page) == 0, path
    page.goto(f"{live_server.url}/opendata/")
    expect(page.locator("#od-q-hint")).to_have_text(
        "言葉の一部でも検索できます。例えば「避難所」で「指定避難所一覧」が見つかります。"
    )


def test_english_staff_pages_mark_japanese_content_and_the_report_reads_in_english(
    live_server: Any, portal: Portal, kenko_clerk: tuple[User, str], new_page: Any
) -> None:
    """A publisher working in English: the dataset form offers licences and groups by their
    English names, department names and the description are marked Japanese, and the
    check of a file with mistakes explains them in English, its Japanese headers and
    values marked."""
    resource_create(
        actor=None, dataset=portal.aed, name="AED設置箇所一覧（標準）", schema_name="aed"
    )
    user, secret = kenko_clerk
    page = new_page(DESKTOP, locale="en-US")
    sign_in(page, live_server.url, user.email, PASSWORD, totp_secret=secret)
    page.goto(f"{live_server.url}/staff/opendata/")
    assert _unmarked_japanese(page) == []
    page.get_by_role("link", name="Add a dataset").click()
    page.wait_for_url("**/staff/opendata/new/")
    assert _unmarked_japanese(page) == []
    expect(page.locator("#id_license_id option").first).to_have_text(
        "Creative Commons Attribution 4.0 International"
    )
    expect(page.locator("label", has_text="Health")).to_have_count(1)  # the group's title_en
    expect(page.locator("#id_department option[lang=ja]")).to_have_text(["健康づくり課"])
    page.go_back()
    page.locator("#od-staff-datasets a", has_text="AED設置箇所一覧").click()
    page.wait_for_url(f"**/staff/opendata/{portal.aed.pk}/")
    assert _unmarked_japanese(page) == []
    page.get_by_role("link", name="Upload a new version of AED設置箇所一覧（標準）").click()
    page.wait_for_url("**/upload/")
    assert _unmarked_japanese(page) == []
    page.set_input_files(
        "#id_file", {"name": "AED一覧.csv", "mimeType": "text/csv", "buffer": AED_WITH_ERRORS}
    )
    page.locator("form[data-upload-progress] button[type=submit]").click()
    page.wait_for_url("**/staff/opendata/version/**")
    expect(page.locator("#od-verdict")).to_be_visible()
    assert _unmarked_japanese(page) == []
    expect(page.locator("#od-report-summary")).to_contain_text("AED locations")
    missing = page.locator("#od-report .od-problem-group", has_text="Missing columns")
    expect(missing.locator("td span[lang=ja]").first).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/staff/opendata/")
    page.get_by_role("link", name="Check a CSV file").click()
    page.set_input_files(
        "#id_file", {"name": "AED一覧.csv", "mimeType": "text/csv", "buffer": AED_WITH_ERRORS}
    )
    page.select_option("#id_schema_name", "aed")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("#od-report .od-problem-group")).to_have_count(9)
    assert _unmarked_japanese(page) == []
