"""In Debian chromium at phone size, on the 亀山市 demo data: a resident finds 粗大ごみ収集の
申込 by searching, applies for two items, sees the fee, submits, gets the receipt mail,
downloads the PDF and sees the status; another resident uses the 引っ越し guide. axe-core
checks every page on the way."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from pypdf import PdfReader

from machi.procedures.models import Submission
from machi.testing.browser import PHONE, assert_no_axe_violations
from machi.testing.smtp import Mailbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _checked(page: Any) -> None:
    """No axe violation and nothing wider than the phone."""
    assert_no_axe_violations(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width}px)"


def _continue(page: Any) -> None:
    page.click("form.form .form__actions button[value=next]")
    page.wait_for_load_state()


def test_resident_applies_for_large_waste_collection_on_a_phone(
    live_server: Any, demo: None, new_page: Any, smtp_server: Mailbox
) -> None:
    base = live_server.url
    page = new_page(PHONE)
    page.goto(f"{base}/procedures/")
    _checked(page)
    page.fill("#procedure-search", "粗大ごみ")
    page.press("#procedure-search", "Enter")
    page.wait_for_load_state()
    _checked(page)
    page.click("a.procedure-list__title[href='/procedures/sodai-gomi/']")
    _checked(page)
    page.click("form[action='/procedures/sodai-gomi/start/'] button")
    page.wait_for_load_state()
    assert "/steps/items/" in page.url
    _checked(page)

    # Two items: a two-seat sofa and two bicycles. htmx adds the second row in place.
    page.select_option("#f-items-0-item", "sofa-2")
    page.fill("#f-items-0-count", "1")
    page.click("button[value='add:items']")
    page.wait_for_selector("#f-items-1-item")
    page.select_option("#f-items-1-item", "bicycle")
    page.fill("#f-items-1-count", "２")
    page.locator("#f-items-1-count").dispatch_event("change")
    page.wait_for_function(
        "() => document.querySelector('.computed-preview')?.textContent.includes('2,000')"
    )
    _checked(page)
    _continue(page)

    # Forgetting the address shows the error summary, linked to the field.
    assert "/steps/collection/" in page.url
    page.fill("#f-address", "")
    when = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    page.fill("#f-preferred_date", when)
    _continue(page)
    assert page.locator(".error-summary a[href='#f-address']").is_visible()
    _checked(page)
    page.fill("#f-address", "三重県亀山市本丸町577")
    _continue(page)

    assert "/steps/applicant/" in page.url
    page.fill("#f-name", "亀山 太郎")
    page.fill("#f-name_kana", "カメヤマ タロウ")
    page.fill("#f-phone", "0595-82-1111")
    page.fill("#f-email", "taro@example.jp")
    _checked(page)
    _continue(page)

    assert page.url.endswith("/check/")
    assert "2,000円" in page.locator(".amount").first.inner_text()
    _checked(page)
    page.click("button[name=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/done/")
    _checked(page)
    submission = Submission.objects.get(procedure__code="sodai-gomi", applicant__isnull=True)
    assert page.locator("#reference-number").inner_text() == submission.reference_display
    assert submission.computed == {"fee": 2000}

    [receipt] = smtp_server.to("taro@example.jp")
    assert submission.reference_display in str(receipt["Subject"])

    with page.expect_download() as download_info:
        page.click(f"a[href='/applications/{submission.pk}/pdf/']")
    pdf_bytes = open(download_info.value.path(), "rb").read()  # noqa: SIM115
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes)).pages)
    assert submission.reference_display in text
    assert "粗大ごみ収集の申込" in text

    page.click(f"a[href='/applications/{submission.pk}/']")
    page.wait_for_load_state()
    assert page.locator("#application-status").inner_text() == "受付済"
    _checked(page)


def test_life_event_guide_for_moving_lists_what_applies(
    live_server: Any, demo: None, new_page: Any
) -> None:
    base = live_server.url
    page = new_page(PHONE)
    page.goto(f"{base}/procedures/")
    page.click("a[href='/procedures/life-events/moving/']")
    page.wait_for_load_state()
    preferred = {"direction": "out"}
    for _question in range(10):
        radios = page.locator("input[type=radio]")
        if radios.count() == 0:
            break
        _checked(page)
        name = radios.first.get_attribute("name")
        wanted = preferred.get(name or "")
        target = page.locator(f"input[name='{name}'][value='{wanted}']") if wanted else radios.last
        target.check()
        page.click("form .form__actions button[type=submit]")
        page.wait_for_load_state()
    assert page.locator("#checklist").is_visible()
    _checked(page)
    assert page.locator("#checklist a[href='/procedures/tenshutsu/']").count() == 1
    with page.expect_download() as download_info:
        page.click("a[href*='/checklist.pdf']")
    pdf_bytes = open(download_info.value.path(), "rb").read()  # noqa: SIM115
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes)).pages)
    assert "転出届" in text


def test_catalog_pages_are_accessible_in_english_too(
    live_server: Any, demo: None, new_page: Any
) -> None:
    page = new_page(PHONE, locale="en-US")
    for path in ("/procedures/", "/procedures/juminhyo/", "/procedures/categories/living/"):
        page.goto(live_server.url + path)
        _checked(page)
        assert page.locator("html").get_attribute("lang") == "en"
