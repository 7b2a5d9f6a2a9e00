"""In Debian chromium: one initiative's evaluation from draft to approved, and axe checks."""

from __future__ import annotations

from typing import Any

import pytest

from machi.core.models import Municipality, Role, User
from machi.plan.models import Evaluation, EvaluationStatus
from machi.plan.tests.conftest import PlanWorld
from machi.testing.browser import DESKTOP, PHONE, assert_no_axe_violations, sign_in
from machi.testing.fixtures import PASSWORD, enrol_totp, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _person(city: Municipality, email: str, role: str, department: Any = None) -> tuple[User, str]:
    user = make_staff(
        city, email, role=role, department=department, with_totp=False, email_verified=True
    )
    return user, enrol_totp(user)


def _sign_out(page: Any) -> None:
    page.click("header form.inline-form button[type=submit]")
    page.wait_for_load_state()
    page.context.clear_cookies()


def test_clerk_leader_and_committee_carry_an_evaluation_to_approved(
    live_server: Any, world: PlanWorld, new_page: Any
) -> None:
    base = live_server.url
    clerk, clerk_key = _person(world.city, "b.clerk@example.jp", Role.CLERK, world.kodomo)
    leader, leader_key = _person(world.city, "b.leader@example.jp", Role.DX_LEADER, world.kodomo)
    member, member_key = _person(world.city, "b.member@example.jp", Role.DX_COMMITTEE)
    chair, chair_key = _person(world.city, "b.cio@example.jp", Role.DX_COMMITTEE_CHAIR)
    page = new_page(DESKTOP)

    # The clerk finds the task, forgets the comment, then fixes it and submits.
    sign_in(page, base, clerk.email, PASSWORD, clerk_key)
    page.goto(f"{base}/staff/plan/")
    assert_no_axe_violations(page)
    page.click(f"#my-tasks a[href='/staff/plan/initiatives/{world.initiative.pk}/']")
    page.select_option("#id_fiscal_year", "2025")
    page.check("#id_grade_1")
    page.fill("#id_next_action", "対象手続を拡大する。")
    page.click("button[name=submit]")
    assert page.locator(".error-summary").is_visible()
    assert_no_axe_violations(page)
    page.fill("#id_comment", "計画どおりオンライン化を進めた。")
    page.click("button[name=submit]")
    assert page.locator(".evaluation-status").first.inner_text() == "DXリーダー確認待ち"
    _sign_out(page)

    # The DX leader of the department confirms.
    sign_in(page, base, leader.email, PASSWORD, leader_key)
    page.goto(f"{base}/staff/plan/initiatives/{world.initiative.pk}/")
    page.click("form[action$='/review/'] button")
    assert page.locator(".evaluation-status").first.inner_text() == "委員会審議中"
    _sign_out(page)

    # A committee member approves; the chair's approval is final.
    for user, key in ((member, member_key), (chair, chair_key)):
        sign_in(page, base, user.email, PASSWORD, key)
        page.goto(f"{base}/staff/plan/")
        page.click(f"#my-tasks a[href='/staff/plan/initiatives/{world.initiative.pk}/']")
        page.click("form[action$='/approve/'] button")
        page.wait_for_load_state()
        _sign_out(page)
    evaluation = Evaluation.objects.get(initiative=world.initiative, fiscal_year=2025)
    assert evaluation.status == EvaluationStatus.APPROVED
    assert evaluation.comment == "計画どおりオンライン化を進めた。"

    # The public page now shows the approved grade, without logging in.
    page.goto(f"{base}/plan/kameyama-dx/")
    assert "B 概ね順調" in page.content()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone-375"])
def test_plan_pages_are_accessible(
    live_server: Any, world: PlanWorld, new_page: Any, viewport: dict[str, int]
) -> None:
    base = live_server.url
    page = new_page(viewport)
    page.goto(f"{base}/plan/kameyama-dx/")
    assert page.locator("svg.kpi-chart").count() == 2
    assert_no_axe_violations(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"]
    member, key = _person(world.city, "a.member@example.jp", Role.DX_COMMITTEE)
    sign_in(page, base, member.email, PASSWORD, key)
    for path in (
        "/staff/plan/",
        "/staff/plan/kameyama-dx/",
        f"/staff/plan/initiatives/{world.initiative.pk}/",
        "/staff/plan/kameyama-dx/ooda/",
    ):
        page.goto(base + path)
        assert_no_axe_violations(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
