"""The case page as a clerk reads and uses it (issue 15, item 7): the history in words
instead of codes, a chosen standard reason used as the reason, a decision with unticked
checklist items refused unless confirmed, and a notice revoked by the department."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from machi.casework import services
from machi.casework.models import Case, CaseEvent, IssuedDocument
from machi.casework.services import approvals as approval_svc
from machi.casework.services import case_token
from machi.casework.tests.test_approvals import Office, office
from machi.core.models import AuditEntry, Municipality, Role, User
from machi.procedures.models import SubmissionStatus
from machi.testing.applications import Catalog, fill_gomi, signed_in, start, submit
from machi.testing.fixtures import make_staff

__all__ = ["office"]

pytestmark = pytest.mark.django_db

CHECKLIST = ["品目を確認した", "収集日を連絡した"]
RAW_CODES = re.compile(
    r"\b(assigned|review_started|correction_requested|approval_submitted|approval_step|decided"
    r"|checklist|approval_sent_back|approval_recalled|approval_resubmitted)\b"
)


def _applied() -> Case:
    resident = Client()
    base = start(resident, "gomi")
    fill_gomi(resident, base)
    submit(resident, base)
    return Case.objects.select_related("submission").latest("received_at")


@pytest.fixture
def clerk(catalog: Catalog, city: Municipality) -> User:
    return make_staff(city, "kankyo@example.jp", department=catalog.kankyo)


@pytest.fixture
def with_checklist(catalog: Catalog) -> Catalog:
    catalog.gomi.review_checklist = CHECKLIST
    catalog.gomi.decision_templates = {
        "approve": ["ご指定の品目を収集します。"],
        "reject": ["家電リサイクル法の対象品目です。"],
    }
    catalog.gomi.save()
    return catalog


def _history(page: str) -> str:
    section = page.split('id="history-title"', 1)[1].split("<form", 1)[0]
    return re.sub(r"<[^>]+>", " ", section)


def _post(client: Client, case: Case, action: str, **data: str) -> object:
    case.refresh_from_db()
    case.submission.refresh_from_db()
    return client.post(f"/staff/cases/{case.pk}/{action}/", {"version": case_token(case), **data})


def test_history_names_each_step_in_words(
    with_checklist: Catalog, clerk: User, settings: object
) -> None:
    case = _applied()
    client = signed_in(clerk)
    _post(client, case, "assign", assignee=str(clerk.pk))
    _post(client, case, "checklist", item="0", done="1")
    _post(client, case, "review")
    _post(client, case, "correction", fields="address", message="番地まで入力してください。")
    history = _history(client.get(f"/staff/cases/{case.pk}/").content.decode())
    assert not RAW_CODES.search(history), history
    for words in ("担当者の割当て", "審査チェックリスト", "確認済みにした", "審査開始", "補正依頼"):
        assert words in history, words

    english = Client()
    english.force_login(clerk)
    english.cookies["django_language"] = "en"
    history = _history(english.get(f"/staff/cases/{case.pk}/").content.decode())
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", history), history
    assert "review started" in history
    assert "correction requested" in history


def test_every_event_kind_has_a_label() -> None:
    from machi.casework.models import CaseEventKind

    # Declared once: the history shows the label of whatever kind a service records.
    for kind in CaseEventKind:
        assert kind.label and kind.label != kind.value


def test_a_chosen_standard_reason_is_used_without_javascript(
    with_checklist: Catalog, clerk: User
) -> None:
    case = _applied()
    response = _post(
        signed_in(clerk),
        case,
        "decide",
        decision="approve",
        template="ご指定の品目を収集します。",
        reason="",
        confirm_unchecked="1",
    )
    assert response.status_code == 302
    case.submission.refresh_from_db()
    assert case.submission.status == SubmissionStatus.COMPLETED
    assert case.submission.events.latest("occurred_at").note == "ご指定の品目を収集します。"


def test_the_page_warns_of_unticked_items_before_deciding(
    with_checklist: Catalog, clerk: User
) -> None:
    case = _applied()
    client = signed_in(clerk)
    _post(client, case, "checklist", item="0", done="1")
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    form = page.split('id="decide-form"', 1)[1].split("</form>", 1)[0]
    assert "警告" in form
    assert "審査チェックリストの未確認の項目が1件あります" in form
    assert "収集日を連絡した" in form
    assert 'name="confirm_unchecked"' in form


def test_deciding_with_unticked_items_needs_an_explicit_confirmation(
    with_checklist: Catalog, clerk: User
) -> None:
    case = _applied()
    client = signed_in(clerk)
    refused = _post(client, case, "decide", decision="approve", reason="収集します。")
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "未確認の項目が2件" in page
    assert 'href="#decide-checklist"' in page
    case.submission.refresh_from_db()
    assert case.submission.status == SubmissionStatus.RECEIVED
    assert not IssuedDocument.objects.exists()

    done = _post(
        client, case, "decide", decision="approve", reason="収集します。", confirm_unchecked="1"
    )
    assert done.status_code == 302
    case.submission.refresh_from_db()
    assert case.submission.status == SubmissionStatus.COMPLETED
    event = CaseEvent.objects.get(case=case, kind="decided")
    assert event.data["unchecked"] == CHECKLIST
    history = _history(client.get(f"/staff/cases/{case.pk}/").content.decode())
    assert "未確認の項目があるまま決定" in history
    assert "品目を確認した、収集日を連絡した" in history


def test_a_fully_ticked_checklist_needs_no_confirmation(
    with_checklist: Catalog, clerk: User
) -> None:
    case = _applied()
    for index in range(len(CHECKLIST)):
        case = services.case_checklist_mark(
            actor=clerk, case=case, item=index, done=True, version=case_token(case)
        )
    services.case_decide(
        actor=clerk, case=case, decision="approve", reason="", version=case_token(case)
    )
    case.submission.refresh_from_db()
    assert case.submission.status == SubmissionStatus.COMPLETED


def test_drafting_for_approval_also_needs_the_confirmation(
    office: Office, catalog: Catalog
) -> None:
    catalog.gomi.review_checklist = CHECKLIST
    catalog.gomi.save()
    office.case.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        approval_svc.approval_submit(
            actor=office.drafter,
            case=office.case,
            decision="approve",
            reason="収集します。",
            version=case_token(office.case),
        )
    assert "checklist" in refused.value.message_dict
    approval = approval_svc.approval_submit(
        actor=office.drafter,
        case=office.case,
        decision="approve",
        reason="収集します。",
        version=case_token(office.case),
        confirm_unchecked=True,
    )
    # The approvers see that the review is incomplete.
    chief = signed_in(office.chief).get(f"/staff/cases/{office.case.pk}/").content.decode()
    assert 'id="approval-unchecked"' in chief
    approval_svc.approval_recall(actor=office.drafter, approval=approval)
    with pytest.raises(ValidationError):
        approval_svc.approval_resubmit(
            actor=office.drafter, approval=approval, decision="approve", reason="収集します。"
        )
    approval_svc.approval_resubmit(
        actor=office.drafter,
        approval=approval,
        decision="approve",
        reason="収集します。",
        confirm_unchecked=True,
    )


def test_a_department_approver_revokes_a_notice(
    catalog: Catalog, city: Municipality, clerk: User
) -> None:
    case = _applied()
    services.case_decide(
        actor=clerk, case=case, decision="approve", reason="収集します。", version=case_token(case)
    )
    document = IssuedDocument.objects.get()
    case.refresh_from_db()
    case.submission.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.case_document_revoke(
            actor=clerk,
            case=case,
            document_id=str(document.pk),
            reason="誤って交付した",
            version=case_token(case),
        )
    manager = make_staff(
        city, "kacho@example.jp", role=Role.APPROVER, department=catalog.kankyo, rank=2
    )
    client = signed_in(manager)
    assert "この文書を取り消す" in client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "この文書を取り消す" not in (
        signed_in(clerk).get(f"/staff/cases/{case.pk}/").content.decode()
    )
    empty = _post(client, case, "revoke_document", document=str(document.pk), revoke_reason="")
    assert empty.status_code == 400
    done = _post(
        client, case, "revoke_document", document=str(document.pk), revoke_reason="誤って交付した"
    )
    assert done.status_code == 302
    document.refresh_from_db()
    assert document.revoked_at is not None
    assert AuditEntry.objects.filter(action="document.revoked").count() == 1
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    issued = page.split('id="issued-documents"', 1)[1].split("</ul>", 1)[0]
    assert "取り消し" in issued
    assert "誤って交付した" in issued
    assert "交付文書の取消し" in _history(page)
