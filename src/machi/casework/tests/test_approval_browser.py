"""In Debian chromium: 起案 by the clerk → 係長 approves → 課長 sends it back (差戻し) to the
係長 → 係長 and 課長 approve → the application is 完了. axe-core checks each approver's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from machi.casework.models import ApprovalStatus, Case
from machi.casework.services.approvals import approval_route_save
from machi.core.models import ApproverRank, Municipality, Role, User
from machi.procedures.models import SubmissionStatus
from machi.testing.applications import Catalog, fill_gomi, start, submit
from machi.testing.browser import DESKTOP, assert_no_axe_violations, sign_in
from machi.testing.fixtures import PASSWORD, enrol_totp, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _person(city: Municipality, email: str, **role: Any) -> tuple[User, str]:
    user = make_staff(city, email, with_totp=False, email_verified=True, **role)
    return user, enrol_totp(user)


def test_decision_travels_the_route_with_a_send_back(
    live_server: Any, catalog: Catalog, city: Municipality, new_page: Any
) -> None:
    approval_route_save(
        actor=None,
        procedure=catalog.gomi,
        name="係長・課長",
        min_amount=0,
        steps=[{"rank": ApproverRank.CHIEF}, {"rank": ApproverRank.SECTION_MANAGER}],
    )
    resident = Client()
    base = start(resident, "gomi")
    fill_gomi(resident, base)
    submit(resident, base)
    case = Case.objects.get()
    kankyo = catalog.kankyo
    people = {
        "clerk": _person(city, "c.kankyo@example.jp", department=kankyo),
        "chief": _person(
            city,
            "k.kankyo@example.jp",
            role=Role.APPROVER,
            department=kankyo,
            rank=ApproverRank.CHIEF,
        ),
        "manager": _person(
            city,
            "m.kankyo@example.jp",
            role=Role.APPROVER,
            department=kankyo,
            rank=ApproverRank.SECTION_MANAGER,
        ),
    }
    url = f"{live_server.url}/staff/cases/{case.pk}/"
    pages: dict[str, Any] = {}

    def as_(who: str) -> Any:
        """Each person in their own browser, signed in once (a TOTP code is single-use)."""
        if who not in pages:
            pages[who] = new_page(DESKTOP)
            user, key = people[who]
            sign_in(pages[who], live_server.url, user.email, PASSWORD, key)
        pages[who].goto(url)
        return pages[who]

    page = as_("clerk")
    page.click("#decide-form >> xpath=ancestor::details/summary")
    page.check("#decide-approve")
    page.fill("#decide-reason", "12月20日に収集します。")
    page.click("#decide-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#approval-status").inner_text() == "回議中"
    assert_no_axe_violations(page)

    page = as_("chief")
    assert_no_axe_violations(page)
    page.click("#approve-step")
    page.wait_for_load_state()

    page = as_("manager")
    page.click("#send-back-panel summary")
    page.select_option("#send-back-to", "1")
    page.fill("#send-back-reason", "収集日を地区の日程に合わせてください。")
    page.click("#send-back")
    page.wait_for_load_state()
    assert_no_axe_violations(page)

    page = as_("chief")
    assert (
        "収集日を地区の日程に合わせてください。" in page.locator("#approval-history").inner_text()
    )
    page.click("#approve-step")
    page.wait_for_load_state()

    page = as_("manager")
    page.click("#approve-step")
    page.wait_for_load_state()
    assert page.locator("#approval-status").inner_text() == "決裁済"
    assert page.locator("#case-status").inner_text() == "完了"
    assert_no_axe_violations(page)
    case.submission.refresh_from_db()
    assert case.submission.status == SubmissionStatus.COMPLETED
    assert case.approvals.get().status == ApprovalStatus.APPROVED
