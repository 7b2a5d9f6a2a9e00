"""Each decision path of the back office writes exactly the audit entries it names, under
registered action names (``machi.core.audit_actions``). A misspelt or string-built name
(``case.rejectd``) fails here."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from machi.casework.models import APPROVAL_ACTIONS, Case
from machi.casework.services import approvals as approval_svc
from machi.casework.services import (
    case_assign,
    case_decide,
    case_request_correction,
    case_start_review,
    case_token,
    case_view,
)
from machi.casework.services import counter as counter_svc
from machi.casework.services.approvals import APPROVAL_AUDIT_ACTIONS
from machi.casework.services.cases import DECISION_AUDIT_ACTIONS, DECISIONS
from machi.casework.services.exports import cases_export
from machi.casework.tests.test_approvals import Office, _step, _submit, office
from machi.core.audit_actions import AuditAction
from machi.core.models import AuditEntry, Municipality, User
from machi.procedures.services.submissions import submission_withdraw
from machi.testing.applications import Catalog, fill_gomi, make_resident, start, submit
from machi.testing.fixtures import audit_actions_written as written
from machi.testing.fixtures import make_staff

__all__ = ["office"]  # the e-approval fixture, shared with test_approvals

pytestmark = pytest.mark.django_db


def _apply(client: Client | None = None) -> Case:
    client = client or Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    submit(client, base)
    return Case.objects.select_related("submission").latest("received_at")


@pytest.fixture
def clerk(catalog: Catalog, city: Municipality) -> User:
    return make_staff(city, "kankyo@example.jp", department=catalog.kankyo)


def _fresh(case: Case) -> Case:
    case.refresh_from_db()
    case.submission.refresh_from_db()
    return case


# 申請 (the resident's side, as the back office sees it)


def test_an_application_writes_submission_created(catalog: Catalog) -> None:
    assert "submission.created" in written(_apply)


def test_opening_a_case_writes_submission_viewed(catalog: Catalog, clerk: User) -> None:
    case = _apply()
    assert written(
        lambda: case_view(staff=clerk, municipality=case.municipality, case_id=str(case.pk))
    ) == ["submission.viewed"]


def test_starting_the_review_writes_status_changed(catalog: Catalog, clerk: User) -> None:
    case = _apply()
    assert written(lambda: case_start_review(actor=clerk, case=case, version=case_token(case))) == [
        "submission.status_changed"
    ]


def test_a_correction_request_and_its_answer(catalog: Catalog, clerk: User) -> None:
    resident = Client()
    case = _apply(resident)
    assert written(
        lambda: case_request_correction(
            actor=clerk,
            case=case,
            fields=["address"],
            message="番地を書いてください。",
            version=case_token(case),
        )
    ) == ["submission.correction_requested"]
    assert written(
        lambda: resident.post(
            f"/applications/{case.submission_id}/correction/",
            {"f-address": "三重県亀山市本丸町577番地"},
        )
    ) == ["submission.correction_answered"]


def test_the_applicant_withdrawing_writes_withdrawn(catalog: Catalog) -> None:
    case = _apply()
    assert written(
        lambda: submission_withdraw(submission=case.submission, actor=None, reason="不要になった")
    ) == ["submission.withdrawn"]


def test_asking_for_someone_elses_application_writes_access_refused(catalog: Catalog) -> None:
    case = _apply()
    stranger = Client()
    refused = written(lambda: stranger.get(f"/applications/{case.submission_id}/"))
    assert refused == ["submission.access_refused"]


# 決定 without a route


@pytest.mark.parametrize(
    ("decision", "reason", "action"),
    [("approve", "", "case.approved"), ("reject", "対象外の品目です。", "case.rejected")],
)
def test_a_direct_decision_writes_its_own_name(
    catalog: Catalog, clerk: User, decision: str, reason: str, action: str
) -> None:
    case = _apply()
    entries = written(
        lambda: case_decide(
            actor=clerk, case=case, decision=decision, reason=reason, version=case_token(case)
        )
    )
    assert entries == ["submission.status_changed", "document.issued", action]
    assert "case.rejectd" not in AuditEntry.objects.values_list("action", flat=True)


def test_every_decision_and_approval_action_has_a_registered_name() -> None:
    assert set(DECISION_AUDIT_ACTIONS) == set(DECISIONS)
    assert set(APPROVAL_AUDIT_ACTIONS) == set(APPROVAL_ACTIONS)
    for name in [*DECISION_AUDIT_ACTIONS.values(), *APPROVAL_AUDIT_ACTIONS.values()]:
        assert isinstance(name, AuditAction)


def test_assigning_and_notes_are_case_history_not_audit_entries(
    catalog: Catalog, clerk: User
) -> None:
    """Internal case work (assignment, checklist, notes) is in the case's own history."""
    case = _apply()
    assert (
        written(
            lambda: case_assign(actor=clerk, case=case, assignee=clerk, version=case_token(case))
        )
        == []
    )


# 電子決裁


def test_drafting_writes_approval_submitted(office: Office) -> None:
    assert written(lambda: _submit(office)) == ["approval.submitted"]


def test_each_approval_step_and_the_final_one(office: Office) -> None:
    approval = _submit(office)
    director = office.director
    assert written(
        lambda: approval_svc.approval_approve(
            actor=office.chief, approval=approval, step_id=_step(approval, 1)
        )
    ) == ["approval.approved"]
    approval_svc.approval_approve(
        actor=office.manager, approval=approval, step_id=_step(approval, 2, "620")
    )
    approval_svc.approval_approve(
        actor=office.consult, approval=approval, step_id=_step(approval, 2, "530")
    )
    last = written(
        lambda: approval_svc.approval_approve(
            actor=director, approval=approval, step_id=_step(approval, 3)
        )
    )
    assert last == [
        "approval.approved",
        "submission.status_changed",
        "document.issued",
        "case.approved",
    ]


def test_a_rejection_through_the_route_writes_case_rejected(office: Office) -> None:
    approval = _submit(office, decision="reject", reason="収集できない品目です。")
    for order, department, who in (
        (1, None, office.chief),
        (2, "620", office.manager),
        (2, "530", office.consult),
    ):
        approval_svc.approval_approve(
            actor=who, approval=approval, step_id=_step(approval, order, department)
        )
    assert (
        written(
            lambda: approval_svc.approval_approve(
                actor=office.director, approval=approval, step_id=_step(approval, 3)
            )
        )[-1]
        == "case.rejected"
    )


def test_sending_back_and_resubmitting(office: Office) -> None:
    approval = _submit(office)
    assert written(
        lambda: approval_svc.approval_send_back(
            actor=office.chief,
            approval=approval,
            step_id=_step(approval, 1),
            to_order=0,
            reason="文案修正",
        )
    ) == ["approval.sent_back"]
    assert written(
        lambda: approval_svc.approval_resubmit(
            actor=office.drafter, approval=approval, decision="approve", reason="修正しました"
        )
    ) == ["approval.resubmitted"]


def test_recalling_writes_approval_recalled(office: Office) -> None:
    approval = _submit(office)
    assert written(
        lambda: approval_svc.approval_recall(actor=office.drafter, approval=approval)
    ) == ["approval.recalled"]


def test_absence_deputy_decision_and_review_afterwards(office: Office) -> None:
    approval = _submit(office)
    approval_svc.approval_approve(actor=office.chief, approval=approval, step_id=_step(approval, 1))
    today = timezone.localdate()
    assert written(
        lambda: approval_svc.absence_register(
            actor=office.manager,
            user=office.manager,
            deputy=office.chief,
            starts_on=today,
            ends_on=today + dt.timedelta(days=1),
        )
    ) == ["approval.absence_registered"]
    step = _step(approval, 2, "620")
    assert written(
        lambda: approval_svc.approval_deputy_approve(
            actor=office.chief, approval=approval, step_id=step
        )
    ) == ["approval.deputy_approved"]
    assert written(
        lambda: approval_svc.approval_post_review(
            actor=office.manager, approval=approval, step_id=step
        )
    ) == ["approval.post_reviewed"]


def test_saving_a_route_writes_approval_route_saved(catalog: Catalog) -> None:
    assert written(
        lambda: approval_svc.approval_route_save(
            actor=None,
            procedure=catalog.gomi,
            name="標準",
            min_amount=0,
            steps=[{"rank": 1}],
        )
    ) == ["approval.route_saved"]


# 書かない窓口 and the CSV hand-off

DETAILS = {
    "name": "亀山 太郎",
    "name_kana": "カメヤマ タロウ",
    "birthdate": "1985-04-01",
    "address": "三重県亀山市本丸町577",
    "email": "taro@example.jp",
}


def test_the_counter_writes_started_and_confirmed(catalog: Catalog, city: Municipality) -> None:
    clerk = make_staff(city, "counter@example.jp", department=catalog.shimin)
    resident = make_resident(city)
    sessions: list[Any] = []
    assert written(
        lambda: sessions.append(
            counter_svc.counter_session_start(
                clerk=clerk,
                municipality=city,
                details=DETAILS,
                identity_document="my_number_card",
                resident=resident,
            )
        )
    ) == ["counter.started"]
    from machi.procedures.models import Draft, LifeEvent

    session = counter_svc.counter_plan(
        clerk=clerk,
        session=sessions[0],
        life_event=LifeEvent.objects.get(code="moving"),
        answers={"direction": "out", "big_waste": "yes"},
        chosen=["gomi"],
    )
    draft = Draft.objects.get()
    draft.answers = {
        **draft.answers,
        "items": [{"item": "sofa", "count": 1}],
        "day": "2099-01-05",
        "delivery": "mail",
    }
    draft.completed_steps = ["items", "where"]
    draft.save()
    entries = written(
        lambda: counter_svc.counter_confirm(session=session, portal_url="http://testserver")
    )
    assert entries[0] == "submission.created"
    assert "submission.counter_identity" in entries
    assert entries[-1] == "counter.confirmed"


def test_an_export_writes_case_exported(catalog: Catalog, clerk: User, city: Municipality) -> None:
    _apply()
    assert written(
        lambda: cases_export(
            actor=clerk, municipality=city, procedure=catalog.gomi, encoding="utf-8-sig"
        )
    ) == ["case.exported"]


def test_every_entry_of_a_whole_case_is_registered(catalog: Catalog, clerk: User) -> None:
    case = _apply()
    case_decide(
        actor=clerk,
        case=_fresh(case),
        decision="reject",
        reason="対象外",
        version=case_token(_fresh(case)),
    )
    assert set(AuditEntry.objects.values_list("action", flat=True)) <= set(AuditAction.values)
