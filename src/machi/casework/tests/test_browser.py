"""In Debian chromium: a clerk finds a new application in the queue, opens it, asks for a
correction, sees the resident's change, and approves. axe-core checks each page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from machi.casework.models import Case
from machi.core.models import Municipality
from machi.procedures.models import SubmissionStatus
from machi.testing.applications import Catalog, fill_gomi, start, submit
from machi.testing.browser import DESKTOP, PHONE, assert_no_axe_violations, sign_in
from machi.testing.fixtures import PASSWORD, enrol_totp, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone-375"])
def test_clerk_handles_an_application(
    live_server: Any, catalog: Catalog, city: Municipality, new_page: Any, viewport: dict[str, int]
) -> None:
    resident = Client()
    base = start(resident, "gomi")
    fill_gomi(resident, base)
    submit(resident, base)
    case = Case.objects.get()
    clerk = make_staff(
        city, "b.kankyo@example.jp", department=catalog.kankyo, with_totp=False, email_verified=True
    )
    key = enrol_totp(clerk)
    page = new_page(viewport)
    sign_in(page, live_server.url, clerk.email, PASSWORD, key)
    page.goto(f"{live_server.url}/staff/cases/")
    assert_no_axe_violations(page)
    page.click(f"#case-table a[href='/staff/cases/{case.pk}/']")
    page.wait_for_load_state()
    assert_no_axe_violations(page)
    page.click("#start-review")
    page.wait_for_load_state()
    assert page.locator("#case-status").inner_text() == "審査中"
    page.click("details.case-details summary")
    page.check("#correct-address")
    page.fill("#correction-message", "番地まで入力してください。")
    page.click("form[action$='/correction/'] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#case-status").inner_text() == "補正依頼中"
    assert_no_axe_violations(page)

    resident.post(
        f"/applications/{case.submission_id}/correction/",
        {"f-address": "三重県亀山市本丸町577番地"},
    )
    page.reload()
    assert "三重県亀山市本丸町577番地" in page.content()
    page.fill("#note-body", "電話で収集場所を確認した。")
    page.click("form[action$='/note/'] button[type=submit]")
    page.wait_for_load_state()
    page.locator("details.case-details summary").last.click()
    page.check("#decide-approve")
    page.fill("#decide-reason", "12月20日に収集します。")
    page.click("form[action$='/decide/'] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#case-status").inner_text() == "完了"
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    for path in ("/staff/cases/statistics/", "/staff/cases/export/", "/staff/approvals/"):
        page.goto(live_server.url + path)
        assert_no_axe_violations(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    case.submission.refresh_from_db()
    assert case.submission.status == SubmissionStatus.COMPLETED
