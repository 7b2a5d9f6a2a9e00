"""電子決裁: 起案 → 係長 → 課長 (with 合議 to another department in parallel) → 部長.
Each action is tested with the people who may and may not take it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from machi.casework.models import (
    Approval,
    ApprovalAction,
    ApprovalStatus,
    Case,
    StepStatus,
)
from machi.casework.services import approvals as svc
from machi.casework.services import case_decide, case_token
from machi.core.models import ApproverRank, AuditEntry, Department, Municipality, Role, User
from machi.procedures.models import SubmissionStatus
from machi.testing.applications import Catalog, fill_gomi, signed_in, start, submit
from machi.testing.factories import ApprovalRouteFactory, DepartmentFactory
from machi.testing.fixtures import make_staff

pytestmark = pytest.mark.django_db


@dataclass
class Office:
    case: Case
    drafter: User
    chief: User
    manager: User
    director: User
    consult: User
    outsider_chief: User
    other_clerk: User
    resident: Client


@pytest.fixture
def office(catalog: Catalog, city: Municipality) -> Office:
    bu = DepartmentFactory(municipality=city, code="600", name="産業環境部")
    kankyo = DepartmentFactory(municipality=city, code="620", name="環境課", parent=bu)
    zaimu = DepartmentFactory(municipality=city, code="530", name="財務課")
    ApprovalRouteFactory(
        procedure=catalog.gomi,
        name="標準",
        min_amount=0,
        steps=[
            {"rank": ApproverRank.CHIEF},
            {"rank": ApproverRank.SECTION_MANAGER},
            {
                "rank": ApproverRank.SECTION_MANAGER,
                "department": "530",
                "consult": True,
                "with_previous": True,
            },
            {"rank": ApproverRank.DIRECTOR},
        ],
    )
    resident = Client()
    base = start(resident, "gomi")
    fill_gomi(resident, base)
    submit(resident, base)

    def approver(email: str, rank: int, department: Department) -> User:
        return make_staff(city, email, role=Role.APPROVER, department=department, rank=rank)

    return Office(
        case=Case.objects.get(),
        drafter=make_staff(city, "drafter@example.jp", department=kankyo),
        chief=approver("chief@example.jp", ApproverRank.CHIEF, kankyo),
        manager=approver("manager@example.jp", ApproverRank.SECTION_MANAGER, kankyo),
        director=approver("director@example.jp", ApproverRank.DIRECTOR, bu),
        consult=approver("zaimu@example.jp", ApproverRank.SECTION_MANAGER, zaimu),
        outsider_chief=approver("other.chief@example.jp", ApproverRank.CHIEF, zaimu),
        other_clerk=make_staff(city, "other.clerk@example.jp", department=zaimu),
        resident=resident,
    )


def _submit(office: Office, decision: str = "approve", reason: str = "収集します。") -> Approval:
    office.case.refresh_from_db()
    return svc.approval_submit(
        actor=office.drafter,
        case=office.case,
        decision=decision,
        reason=reason,
        version=case_token(office.case),
    )


def _step(approval: Approval, order: int, department_code: str | None = None) -> str:
    steps = approval.steps.filter(order=order)
    if department_code:
        steps = steps.filter(department__code=department_code)
    return str(steps.get().pk)


def test_route_runs_step_by_step_with_a_parallel_consultation(office: Office) -> None:
    approval = _submit(office)
    assert [(s.order, s.status) for s in approval.steps.all()] == [
        (1, StepStatus.PENDING),
        (2, StepStatus.WAITING),
        (2, StepStatus.WAITING),
        (3, StepStatus.WAITING),
    ]
    svc.approval_approve(actor=office.chief, approval=approval, step_id=_step(approval, 1))
    svc.approval_approve(actor=office.manager, approval=approval, step_id=_step(approval, 2, "620"))
    approval.refresh_from_db()
    assert approval.current_order == 2  # 合議 still open
    svc.approval_approve(actor=office.consult, approval=approval, step_id=_step(approval, 2, "530"))
    approval.refresh_from_db()
    assert approval.current_order == 3
    office.case.submission.refresh_from_db()
    assert office.case.submission.status == SubmissionStatus.RECEIVED  # not yet decided
    svc.approval_approve(actor=office.director, approval=approval, step_id=_step(approval, 3))
    approval.refresh_from_db()
    office.case.submission.refresh_from_db()
    assert approval.status == ApprovalStatus.APPROVED
    assert office.case.submission.status == SubmissionStatus.COMPLETED
    assert (
        "収集します。"
        in office.resident.get(f"/applications/{office.case.submission_id}/").content.decode()
    )
    actions = list(approval.actions.values_list("action", "actor_label"))
    assert [a for a, _who in actions] == [
        "submitted",
        "approved",
        "approved",
        "approved",
        "approved",
    ]
    assert AuditEntry.objects.filter(action="approval.approved").count() == 4


def test_only_the_steps_rank_and_department_approve(office: Office) -> None:
    approval = _submit(office)
    first = _step(approval, 1)
    for wrong in (
        office.drafter,
        office.manager,
        office.outsider_chief,
        office.other_clerk,
        office.director,
    ):
        with pytest.raises(PermissionDenied):
            svc.approval_approve(actor=wrong, approval=approval, step_id=first)
    svc.approval_approve(actor=office.chief, approval=approval, step_id=first)
    with pytest.raises(ValidationError):  # the step is done: nobody approves it twice
        svc.approval_approve(actor=office.chief, approval=approval, step_id=first)
    with pytest.raises(PermissionDenied):
        svc.approval_approve(
            actor=office.consult, approval=approval, step_id=_step(approval, 2, "620")
        )


def test_the_drafter_cannot_approve_their_own_decision(office: Office, city: Municipality) -> None:
    chief_drafter = office.chief
    office.case.refresh_from_db()
    approval = svc.approval_submit(
        actor=chief_drafter,
        case=office.case,
        decision="approve",
        reason="",
        version=case_token(office.case),
    )
    with pytest.raises(PermissionDenied):
        svc.approval_approve(actor=chief_drafter, approval=approval, step_id=_step(approval, 1))


def test_send_back_to_an_earlier_step_or_to_the_drafter(office: Office) -> None:
    approval = _submit(office)
    svc.approval_approve(actor=office.chief, approval=approval, step_id=_step(approval, 1))
    second = _step(approval, 2, "620")
    with pytest.raises(ValidationError):
        svc.approval_send_back(
            actor=office.manager, approval=approval, step_id=second, to_order=1, reason=" "
        )
    with pytest.raises(PermissionDenied):
        svc.approval_send_back(
            actor=office.chief, approval=approval, step_id=second, to_order=1, reason="x"
        )
    with pytest.raises(ValidationError):
        svc.approval_send_back(
            actor=office.manager, approval=approval, step_id=second, to_order=3, reason="x"
        )
    svc.approval_send_back(
        actor=office.manager, approval=approval, step_id=second, to_order=1, reason="収集日を再確認"
    )
    approval.refresh_from_db()
    assert approval.current_order == 1
    assert approval.steps.get(order=1).status == StepStatus.PENDING
    svc.approval_send_back(
        actor=office.chief,
        approval=approval,
        step_id=_step(approval, 1),
        to_order=0,
        reason="文案修正",
    )
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.SENT_BACK
    with pytest.raises(ValidationError):
        svc.approval_resubmit(actor=office.drafter, approval=approval, decision="reject", reason="")
    svc.approval_resubmit(
        actor=office.drafter, approval=approval, decision="approve", reason="修正しました"
    )
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.IN_PROGRESS
    assert approval.reason == "修正しました"
    kinds = list(approval.actions.values_list("action", flat=True))
    assert kinds == ["submitted", "approved", "sent_back", "sent_back", "resubmitted"]


def test_recall_only_by_the_drafter_while_in_progress(office: Office) -> None:
    approval = _submit(office)
    for wrong in (office.chief, office.manager, office.other_clerk):
        with pytest.raises(PermissionDenied):
            svc.approval_recall(actor=wrong, approval=approval)
    svc.approval_recall(actor=office.drafter, approval=approval)
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.RECALLED
    with pytest.raises(ValidationError):
        svc.approval_recall(actor=office.drafter, approval=approval)
    with pytest.raises(ValidationError):  # nobody approves a recalled decision
        svc.approval_approve(actor=office.chief, approval=approval, step_id=_step(approval, 1))


def test_deputy_decides_for_an_absent_approver_who_reviews_afterwards(
    office: Office, city: Municipality
) -> None:
    approval = _submit(office)
    svc.approval_approve(actor=office.chief, approval=approval, step_id=_step(approval, 1))
    svc.approval_approve(actor=office.consult, approval=approval, step_id=_step(approval, 2, "530"))
    step = _step(approval, 2, "620")
    deputy = office.chief
    with pytest.raises(PermissionDenied):  # the manager is not away
        svc.approval_deputy_approve(actor=deputy, approval=approval, step_id=step)
    today = timezone.localdate()
    svc.absence_register(
        actor=office.manager,
        user=office.manager,
        deputy=deputy,
        starts_on=today,
        ends_on=today + dt.timedelta(days=2),
    )
    with pytest.raises(PermissionDenied):  # not the named deputy
        svc.approval_deputy_approve(actor=office.director, approval=approval, step_id=step)
    svc.approval_deputy_approve(
        actor=deputy, approval=approval, step_id=step, comment="課長不在のため代決"
    )
    decided = approval.steps.get(pk=step)
    assert decided.status == StepStatus.DEPUTY
    assert decided.deputy_for == office.manager
    with pytest.raises(PermissionDenied):
        svc.approval_post_review(actor=deputy, approval=approval, step_id=step)
    svc.approval_post_review(actor=office.manager, approval=approval, step_id=step)
    with pytest.raises(ValidationError):
        svc.approval_post_review(actor=office.manager, approval=approval, step_id=step)
    approval.refresh_from_db()
    assert approval.current_order == 3
    assert list(approval.actions.values_list("action", flat=True))[-2:] == [
        "deputy_approved",
        "post_reviewed",
    ]


def test_absence_is_registered_by_oneself_or_the_department_administrator(
    office: Office, city: Municipality
) -> None:
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        svc.absence_register(
            actor=office.chief,
            user=office.manager,
            deputy=office.chief,
            starts_on=today,
            ends_on=today,
        )
    with pytest.raises(ValidationError):
        svc.absence_register(
            actor=office.manager,
            user=office.manager,
            deputy=office.manager,
            starts_on=today,
            ends_on=today,
        )
    with pytest.raises(ValidationError):
        svc.absence_register(
            actor=office.manager,
            user=office.manager,
            deputy=office.chief,
            starts_on=today,
            ends_on=today - dt.timedelta(days=1),
        )


def test_history_cannot_be_rewritten(office: Office) -> None:
    approval = _submit(office)
    action = ApprovalAction.objects.filter(approval=approval).first()
    assert action is not None
    action.comment = "書き換え"
    with pytest.raises(ValueError):
        action.save()
    with pytest.raises(ValueError):
        action.delete()


def test_direct_decision_is_refused_when_the_procedure_has_a_route(office: Office) -> None:
    office.case.refresh_from_db()
    with pytest.raises(ValidationError):
        case_decide(
            actor=office.drafter,
            case=office.case,
            decision="approve",
            reason="",
            version=case_token(office.case),
        )


def test_route_definitions_are_checked(catalog: Catalog) -> None:
    with pytest.raises(ValidationError) as problem:
        svc.approval_route_save(
            actor=None,
            procedure=catalog.gomi,
            name="誤り",
            min_amount=1000,
            steps=[{"rank": 9}, {"rank": 2, "department": "999"}, {"rank": 1, "consult": True}],
        )
    text = " ".join(problem.value.messages)
    assert "steps[0].rank" in text and "steps[1].department" in text and "steps[2].consult" in text


def test_route_by_amount(office: Office, catalog: Catalog) -> None:
    svc.approval_route_save(
        actor=None,
        procedure=catalog.gomi,
        name="高額",
        min_amount=1500,
        steps=[{"rank": ApproverRank.DIRECTOR}],
    )
    assert svc.route_for(office.case).name == "高額"  # type: ignore[union-attr]  # the fee is 2,000円
    Case.objects.filter(pk=office.case.pk)
    office.case.submission.computed = {"fee": 500}
    assert svc.route_for(office.case).name == "標準"  # type: ignore[union-attr]


def test_the_case_page_offers_each_person_their_action(office: Office) -> None:
    approval = _submit(office)
    url = f"/staff/cases/{office.case.pk}/"
    chief_page = signed_in(office.chief).get(url).content.decode()
    assert 'id="approve-step"' in chief_page and 'id="send-back"' in chief_page
    drafter_page = signed_in(office.drafter).get(url).content.decode()
    assert 'id="approve-step"' not in drafter_page and 'id="recall"' in drafter_page
    manager_page = signed_in(office.manager).get(url).content.decode()
    assert 'id="approve-step"' not in manager_page  # not their turn yet
    response = signed_in(office.chief).post(
        f"{url}approval/approve/", {"approval": str(approval.pk), "step": _step(approval, 1)}
    )
    assert response.status_code == 302
    tasks = signed_in(office.manager).get("/staff/approvals/").content.decode()
    assert office.case.submission.reference_display in tasks
    forged: Any = signed_in(office.other_clerk).post(
        f"{url}approval/approve/", {"approval": str(approval.pk), "step": _step(approval, 2, "620")}
    )
    assert forged.status_code == 403


def test_consulted_department_sees_the_case_but_only_approves(office: Office) -> None:
    url = f"/staff/cases/{office.case.pk}/"
    client = signed_in(office.consult)
    assert client.get(url).status_code == 403  # nothing is asked of 財務課 yet
    _submit(office)
    assert office.case.submission.reference_display in client.get("/staff/cases/").content.decode()
    assert client.get(url).status_code == 200
    office.case.refresh_from_db()
    review = client.post(f"{url}review/", {"version": case_token(office.case)})
    assert review.status_code == 403
