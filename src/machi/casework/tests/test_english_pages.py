"""On English back-office pages, what residents and staff wrote in Japanese (answers, names,
department names, checklist items, standard reasons, notes) is marked lang="ja" for screen
readers, and our own labels are English; Japanese pages stay as they were."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from machi.casework import services
from machi.casework.services import approvals as approval_svc
from machi.casework.services import case_token
from machi.casework.services import counter as counter_svc
from machi.casework.tests.test_approvals import Office, office
from machi.core.models import Municipality, User
from machi.procedures.models import LifeEvent
from machi.testing.applications import Catalog
from machi.testing.marks import unmarked_japanese

__all__ = ["office"]

pytestmark = pytest.mark.django_db


def _page(user: User, url: str, language: str = "en") -> str:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.fixture
def worked_on(office: Office, catalog: Catalog) -> Office:
    """A case with a checklist, standard reasons, an assignee, a note and a decision sent
    for approval along a route with a 合議 step."""
    catalog.gomi.review_checklist = ["品目を確認した", "収集日を連絡した"]
    catalog.gomi.decision_templates = {"approve": ["ご指定の品目を収集します。"]}
    catalog.gomi.save()
    case = office.case
    case = services.case_assign(
        actor=office.drafter, case=case, assignee=office.drafter, version=case_token(case)
    )
    case = services.case_checklist_mark(
        actor=office.drafter, case=case, item=0, done=True, version=case_token(case)
    )
    services.case_note_add(
        actor=office.drafter, case=case, body="電話で確認済み", version=case_token(case)
    )
    case.refresh_from_db()
    approval_svc.approval_submit(
        actor=office.drafter,
        case=case,
        decision="approve",
        reason="収集します。",
        version=case_token(case),
        confirm_unchecked=True,
    )
    return office


def test_case_list_and_case_page_mark_what_people_wrote(worked_on: Office) -> None:
    case_url = f"/staff/cases/{worked_on.case.pk}/"
    cases = _page(worked_on.drafter, "/staff/cases/")
    assert unmarked_japanese(cases) == []
    assert 'Dates as <span lang="ja">令和8年4月1日</span>, R8.4.1 or 2026-04-01.' in cases
    page = _page(worked_on.drafter, case_url)
    assert unmarked_japanese(page) == []
    assert "(consultation (合議))" in page
    assert "section manager (課長)" in page
    assert '<span class="case-note" lang="ja">電話で確認済み</span>' in page
    assert '<span lang="ja">三重県亀山市本丸町577</span>' in page
    approver = _page(worked_on.chief, case_url)
    assert unmarked_japanese(approver) == []
    assert unmarked_japanese(_page(worked_on.chief, "/staff/approvals/")) == []
    japanese = _page(worked_on.drafter, case_url, "ja")
    assert "(合議)" in japanese
    assert 'lang="ja"' not in japanese[japanese.index("<main") :]


def test_a_standard_reason_and_the_checklist_are_marked(catalog: Catalog, office: Office) -> None:
    catalog.gomi.review_checklist = ["品目を確認した"]
    catalog.gomi.decision_templates = {"approve": ["ご指定の品目を収集します。"]}
    catalog.gomi.save()
    page = _page(office.drafter, f"/staff/cases/{office.case.pk}/")
    assert unmarked_japanese(page) == []
    assert '<option lang="ja">ご指定の品目を収集します。</option>' in page
    assert '☐ <span lang="ja">品目を確認した</span>' in page


def test_counter_pages_are_english_with_marked_examples(
    catalog: Catalog, city: Municipality, office: Office
) -> None:
    clerk: Any = office.drafter
    start = _page(clerk, "/staff/counter/")
    assert unmarked_japanese(start, title=False) == []
    assert "My Number card (マイナンバーカード)" in start
    assert 'For example <span lang="ja">カメヤマ タロウ</span>.' in start
    japanese = _page(clerk, "/staff/counter/", "ja")
    assert ">マイナンバーカード</label>" in japanese
    assert "例：カメヤマ タロウ" in japanese
    session = counter_svc.counter_session_start(
        clerk=clerk,
        municipality=city,
        details={
            "name": "亀山 太郎",
            "name_kana": "カメヤマ タロウ",
            "birthdate": "S60.4.1",
            "address": "三重県亀山市本丸町577",
        },
        identity_document="my_number_card",
    )
    page = _page(clerk, f"/staff/counter/{session.pk}/?event=moving")
    assert unmarked_japanese(page, title=False) == []
    assert LifeEvent.objects.filter(code="moving").exists()
