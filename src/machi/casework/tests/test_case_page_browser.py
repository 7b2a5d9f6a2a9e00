"""In Debian chromium with the site's real Content-Security-Policy (issue 15, items 7 and
8): a clerk picks a standard reason and sees it in the reason box, is stopped by the
unticked checklist until they confirm, and reads the history in words; someone holding the
paper notice types its 文書番号 at /verify/ and reads 有効."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from machi.casework.models import Case, IssuedDocument
from machi.core.models import Municipality
from machi.procedures.models import SubmissionStatus
from machi.testing.applications import Catalog, fill_gomi, start, submit
from machi.testing.browser import DESKTOP, PHONE, assert_no_axe_violations, sign_in
from machi.testing.fixtures import PASSWORD, enrol_totp, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEMPLATE = "ご指定の品目を収集します。当日の朝8時30分までに出してください。"


@pytest.fixture
def strict_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Pages under the CSP the site sends (no ``bypass_csp``); a blocked script fails."""
    contexts: list[Any] = []
    blocked: list[str] = []

    def open_page(viewport: dict[str, int] = DESKTOP) -> Any:
        context = browser.new_context(viewport=viewport, locale="ja-JP")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on(
            "console",
            lambda message: (
                blocked.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not blocked, blocked


@pytest.fixture
def gomi_case(catalog: Catalog) -> Case:
    catalog.gomi.review_checklist = ["品目と数を確認した", "収集日を連絡した"]
    catalog.gomi.decision_templates = {"approve": [TEMPLATE], "reject": ["収集できません。"]}
    catalog.gomi.save()
    resident = Client()
    base = start(resident, "gomi")
    fill_gomi(resident, base)
    submit(resident, base)
    return Case.objects.select_related("submission").get()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone-375"])
def test_clerk_decides_with_a_standard_reason_after_the_checklist_warning(
    live_server: Any,
    catalog: Catalog,
    city: Municipality,
    gomi_case: Case,
    strict_page: Callable[..., Any],
    viewport: dict[str, int],
) -> None:
    clerk = make_staff(
        city, "b.kankyo@example.jp", department=catalog.kankyo, with_totp=False, email_verified=True
    )
    page = strict_page(viewport)
    sign_in(page, live_server.url, clerk.email, PASSWORD, enrol_totp(clerk))
    page.goto(f"{live_server.url}/staff/cases/")
    page.click(f"#case-table a[href='/staff/cases/{gomi_case.pk}/']")
    page.wait_for_load_state()
    page.click("#start-review")
    page.wait_for_load_state()
    page.get_by_role("button", name=re.compile("品目と数を確認した")).click()
    page.wait_for_load_state()

    page.click("#decide-form >> xpath=ancestor::details/summary")
    warning = page.locator("#decide-checklist")
    assert warning.is_visible()
    assert "未確認の項目が1件" in warning.inner_text()
    assert "収集日を連絡した" in warning.inner_text()
    page.check("#decide-approve")
    page.select_option("#decide-template", label=TEMPLATE)
    assert page.input_value("#decide-reason") == TEMPLATE  # filled, ready to edit
    page.fill("#decide-reason", TEMPLATE + "（ソファ1点）")
    page.click("#decide-form button[type=submit]")
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert "未確認の項目が1件" in summary.inner_text()
    assert page.locator("#case-status").inner_text() == "審査中"
    assert_no_axe_violations(page)

    # Nothing typed was lost; the clerk now confirms, explicitly.
    assert page.is_checked("#decide-approve")
    assert page.input_value("#decide-reason") == TEMPLATE + "（ソファ1点）"
    page.check("#decide-confirm-unchecked")
    page.click("#decide-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#case-status").inner_text() == "完了"
    history = page.locator(".case-timeline").inner_text()
    for code in ("assigned", "review_started", "checklist", "decided"):
        assert code not in history, history
    assert "審査開始" in history
    assert "確認済みにした" in history
    assert "未確認の項目があるまま決定：収集日を連絡した" in history.replace(" ", "")
    assert_no_axe_violations(page)
    gomi_case.submission.refresh_from_db()
    assert gomi_case.submission.status == SubmissionStatus.COMPLETED
    assert gomi_case.submission.events.latest("occurred_at").note == TEMPLATE + "（ソファ1点）"


def test_someone_with_the_paper_types_its_code_and_reads_valid(
    live_server: Any,
    catalog: Catalog,
    city: Municipality,
    gomi_case: Case,
    strict_page: Callable[..., Any],
) -> None:
    from machi.casework.services import case_decide, case_token

    clerk = make_staff(city, "c.kankyo@example.jp", department=catalog.kankyo)
    case_decide(
        actor=clerk,
        case=gomi_case,
        decision="approve",
        reason=TEMPLATE,
        version=case_token(gomi_case),
        confirm_unchecked=True,
    )
    document = IssuedDocument.objects.get()
    page = strict_page(PHONE)
    page.goto(f"{live_server.url}/verify/")
    page.fill("#verify-code", document.code_display.lower())
    page.click("#verify-code-submit")
    page.wait_for_load_state()
    verdict = page.locator("#verdict")
    assert verdict.locator(".verdict__word").inner_text() == "有効"
    assert "取り消されていません" in verdict.inner_text()
    facts = page.locator("#document-facts").inner_text()
    assert gomi_case.submission.reference_display in facts
    assert TEMPLATE not in page.content()
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.fill("#verify-code", "ABCD-EFGH")
    page.click("#verify-code-submit")
    page.wait_for_load_state()
    assert "12文字の文書番号を入力してください" in page.locator(".error-summary").inner_text()
    assert_no_axe_violations(page)


def test_choosing_a_standard_reason_fills_the_box_and_asks_before_replacing_typed_text(
    live_server: Any,
    catalog: Catalog,
    city: Municipality,
    gomi_case: Case,
    strict_page: Callable[..., Any],
) -> None:
    clerk = make_staff(
        city, "d.kankyo@example.jp", department=catalog.kankyo, with_totp=False, email_verified=True
    )
    page = strict_page(DESKTOP)
    sign_in(page, live_server.url, clerk.email, PASSWORD, enrol_totp(clerk))
    page.goto(f"{live_server.url}/staff/cases/{gomi_case.pk}/")
    page.click("#decide-form >> xpath=ancestor::details/summary")
    page.select_option("#decide-template", label=TEMPLATE)
    assert page.input_value("#decide-reason") == TEMPLATE
    page.select_option("#decide-template", label="収集できません。")
    assert page.input_value("#decide-reason") == "収集できません。"  # its own copy: replaced
    page.fill("#decide-reason", "電話で確認したとおり、収集できません。")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.select_option("#decide-template", label=TEMPLATE)
    assert page.input_value("#decide-reason") == "電話で確認したとおり、収集できません。"
    page.once("dialog", lambda dialog: dialog.accept())
    page.select_option("#decide-template", label=TEMPLATE)
    assert page.input_value("#decide-reason") == TEMPLATE
