"""The PDCA evaluation of an initiative for one fiscal year.

draft ─submit→ leader_review ─review→ committee ─chair approves→ approved (locked)
  ↑                 │                    │ (members approve; the chair's approval is final)
  └──── sent_back ←─┴────── send back ───┘
An approved evaluation is changed only through a new revision (evaluation_revise).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from machi.core.audit_actions import AuditAction
from machi.core.models import Municipality, User
from machi.core.services.audit import audit_record
from machi.plan.models import (
    CommitteeApproval,
    Evaluation,
    EvaluationAction,
    EvaluationEvent,
    EvaluationStatus,
    Grade,
    Initiative,
)
from machi.plan.permissions import (
    can_prepare,
    can_review,
    is_committee_chair,
    is_committee_member,
)
from machi.plan.services._common import (
    check_fiscal_year,
    required_text,
    required_texts,
)


class EvaluationLocked(ValidationError):
    """The evaluation is approved (or with a reviewer) and cannot be edited now."""


EVALUATION_AUDIT_ACTIONS = {
    EvaluationAction.CREATED: AuditAction.PLAN_EVALUATION_CREATED,
    EvaluationAction.SAVED: AuditAction.PLAN_EVALUATION_SAVED,
    EvaluationAction.SUBMITTED: AuditAction.PLAN_EVALUATION_SUBMITTED,
    EvaluationAction.REVIEWED: AuditAction.PLAN_EVALUATION_REVIEWED,
    EvaluationAction.SENT_BACK: AuditAction.PLAN_EVALUATION_SENT_BACK,
    EvaluationAction.MEMBER_APPROVED: AuditAction.PLAN_EVALUATION_MEMBER_APPROVED,
    EvaluationAction.APPROVED: AuditAction.PLAN_EVALUATION_APPROVED,
    EvaluationAction.REVISED: AuditAction.PLAN_EVALUATION_REVISED,
}


def _event(evaluation: Evaluation, action: EvaluationAction, actor: User, note: str = "") -> None:
    EvaluationEvent.objects.create(
        evaluation=evaluation,
        action=action,
        actor=actor,
        actor_label=str(actor),
        note=note,
        occurred_at=timezone.now(),
    )
    audit_record(
        action=EVALUATION_AUDIT_ACTIONS[action],
        actor=actor,
        municipality=evaluation.initiative.department.municipality,
        target=evaluation,
        data={
            "initiative": evaluation.initiative.code,
            "fiscal_year": evaluation.fiscal_year,
            "revision": evaluation.revision,
            "status": evaluation.status,
        },
    )


def _check_tenant(initiative: Initiative, municipality: Municipality) -> None:
    if initiative.department.municipality_id != municipality.pk:
        raise PermissionDenied(_("This initiative belongs to another municipality."))


def _locked_for_update(evaluation: Evaluation, municipality: Municipality) -> Evaluation:
    """Re-read the evaluation under a row lock, and only within this municipality."""
    locked = (
        Evaluation.objects.select_for_update()
        .select_related("initiative__department__municipality", "plan")
        .get(pk=evaluation.pk)
    )
    _check_tenant(locked.initiative, municipality)
    return locked


@transaction.atomic
def evaluation_save(
    *,
    actor: User,
    municipality: Municipality,
    initiative: Initiative,
    fiscal_year: int,
    grade: str,
    comment: str,
    next_action: str,
) -> Evaluation:
    """The owner department's self-assessment: create it, or update the open revision."""
    _check_tenant(initiative, municipality)
    if not can_prepare(actor, initiative):
        raise PermissionDenied(
            _("Only staff of %(department)s can write this self-assessment.")
            % {"department": initiative.department.name}
        )
    check_fiscal_year(initiative.plan, fiscal_year, "fiscal_year")
    if fiscal_year > municipality.current_fiscal_year():
        raise ValidationError(
            {"fiscal_year": _("A fiscal year can be evaluated once it has begun.")},
            code="future",
        )
    errors: dict[str, str] = {}
    if grade not in Grade.values:
        errors["grade"] = _("Choose a self-assessment from A to D.")
    required_texts(
        [
            ("comment", str(_("comment")), comment, 4000),
            ("next_action", str(_("next action")), next_action, 4000),
        ],
        errors,
    )
    if errors:
        raise ValidationError(errors)
    latest = (
        Evaluation.objects.select_for_update()
        .filter(initiative=initiative, fiscal_year=fiscal_year)
        .order_by("-revision")
        .first()
    )
    if latest is not None and latest.status == EvaluationStatus.APPROVED:
        raise EvaluationLocked(
            _("This evaluation is approved and locked. Open a new revision to change it."),
            code="locked",
        )
    if latest is not None and not latest.is_editable:
        raise EvaluationLocked(
            _("This evaluation is being reviewed. It can be edited again if it is sent back."),
            code="in_review",
        )
    if latest is None:
        latest = Evaluation(
            plan=initiative.plan,
            initiative=initiative,
            fiscal_year=fiscal_year,
            created_by=actor,
        )
        action = EvaluationAction.CREATED
    else:
        action = EvaluationAction.SAVED
    latest.grade = grade
    latest.comment = comment.strip()
    latest.next_action = next_action.strip()
    latest.save()
    _event(latest, action, actor)
    return latest


@transaction.atomic
def evaluation_submit(
    *, actor: User, municipality: Municipality, evaluation: Evaluation
) -> Evaluation:
    evaluation = _locked_for_update(evaluation, municipality)
    if not can_prepare(actor, evaluation.initiative):
        raise PermissionDenied(_("Only the owner department can submit its self-assessment."))
    if not evaluation.is_editable:
        raise EvaluationLocked(_("This evaluation has already been submitted."), code="state")
    evaluation.status = EvaluationStatus.LEADER_REVIEW
    evaluation.save(update_fields=["status", "updated_at"])
    _event(evaluation, EvaluationAction.SUBMITTED, actor)
    return evaluation


@transaction.atomic
def evaluation_review(
    *, actor: User, municipality: Municipality, evaluation: Evaluation, note: str = ""
) -> Evaluation:
    """The DXリーダー confirms the self-assessment and sends it to the committee."""
    evaluation = _locked_for_update(evaluation, municipality)
    if not can_review(actor, evaluation.initiative):
        raise PermissionDenied(
            _("Only the DX leader of %(department)s can review this evaluation.")
            % {"department": evaluation.initiative.department.name}
        )
    if evaluation.status != EvaluationStatus.LEADER_REVIEW:
        raise EvaluationLocked(_("This evaluation is not waiting for the DX leader."), code="state")
    evaluation.status = EvaluationStatus.COMMITTEE
    evaluation.reviewed_by = actor
    evaluation.save(update_fields=["status", "reviewed_by", "updated_at"])
    _event(evaluation, EvaluationAction.REVIEWED, actor, note.strip())
    return evaluation


@transaction.atomic
def evaluation_send_back(
    *, actor: User, municipality: Municipality, evaluation: Evaluation, reason: str
) -> Evaluation:
    """Return the evaluation to the department with a reason (差戻し)."""
    evaluation = _locked_for_update(evaluation, municipality)
    if evaluation.status == EvaluationStatus.LEADER_REVIEW:
        allowed = can_review(actor, evaluation.initiative)
    elif evaluation.status == EvaluationStatus.COMMITTEE:
        allowed = is_committee_member(actor, municipality)
    else:
        raise EvaluationLocked(_("Only an evaluation under review can be sent back."), code="state")
    if not allowed:
        raise PermissionDenied(_("You cannot send this evaluation back at its current step."))
    text = required_text(reason, "reason", str(_("reason for sending back")))
    evaluation.status = EvaluationStatus.SENT_BACK
    evaluation.save(update_fields=["status", "updated_at"])
    # A new committee round starts from no approvals; the events keep the old ones.
    CommitteeApproval.objects.filter(evaluation=evaluation).delete()
    _event(evaluation, EvaluationAction.SENT_BACK, actor, text)
    return evaluation


@transaction.atomic
def evaluation_approve(
    *, actor: User, municipality: Municipality, evaluation: Evaluation, note: str = ""
) -> Evaluation:
    """A committee member approves; the chair's (CIO's) approval finalises and locks."""
    evaluation = _locked_for_update(evaluation, municipality)
    if not is_committee_member(actor, municipality):
        raise PermissionDenied(_("Only members of the DX promotion committee can approve."))
    if evaluation.status != EvaluationStatus.COMMITTEE:
        raise EvaluationLocked(_("This evaluation is not before the committee."), code="state")
    if CommitteeApproval.objects.filter(evaluation=evaluation, member=actor).exists():
        raise ValidationError(_("You have already approved this evaluation."), code="duplicate")
    now = timezone.now()
    CommitteeApproval.objects.create(evaluation=evaluation, member=actor, approved_at=now)
    if is_committee_chair(actor, municipality):
        evaluation.status = EvaluationStatus.APPROVED
        evaluation.approved_by = actor
        evaluation.approved_at = now
        evaluation.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        _event(evaluation, EvaluationAction.APPROVED, actor, note.strip())
    else:
        _event(evaluation, EvaluationAction.MEMBER_APPROVED, actor, note.strip())
    return evaluation


@transaction.atomic
def evaluation_revise(
    *, actor: User, municipality: Municipality, evaluation: Evaluation, reason: str
) -> Evaluation:
    """Open revision n+1 of an approved evaluation; revision n stays as it was approved."""
    evaluation = _locked_for_update(evaluation, municipality)
    if not (can_prepare(actor, evaluation.initiative) or is_committee_member(actor, municipality)):
        raise PermissionDenied(_("Only the owner department or the committee can revise."))
    if evaluation.status != EvaluationStatus.APPROVED:
        raise EvaluationLocked(_("Only an approved evaluation gets a new revision."), code="state")
    newer = Evaluation.objects.filter(
        initiative=evaluation.initiative,
        fiscal_year=evaluation.fiscal_year,
        revision__gt=evaluation.revision,
    )
    if newer.exists():
        raise EvaluationLocked(_("A newer revision already exists."), code="state")
    text = required_text(reason, "reason", str(_("reason for the revision")))
    revision = Evaluation.objects.create(
        plan=evaluation.plan,
        initiative=evaluation.initiative,
        fiscal_year=evaluation.fiscal_year,
        revision=evaluation.revision + 1,
        grade=evaluation.grade,
        comment=evaluation.comment,
        next_action=evaluation.next_action,
        created_by=actor,
    )
    _event(revision, EvaluationAction.REVISED, actor, text)
    return revision
