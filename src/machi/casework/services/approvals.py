"""電子決裁: a clerk drafts a decision (起案) and it travels the procedure's route.

  起案 ─→ step 1 (e.g. 係長) ─→ step 2 (課長, with 合議 to another department) ─→ … ─→ 決裁済
            │  承認: the step is done; the route goes on when every step of that order is
            │  差戻し: back to any earlier step, or to the drafter, with a reason
            │  代決: a deputy decides for an approver registered absent; 後閲 follows
  引戻し: the drafter takes it back while it is being approved, to change it and send again

When the last step approves, the decision takes effect through the case services, so the
resident's status page and mail follow. Each action checks the actor's role and rank
itself, is written to the approval's append-only history and to the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from machi.casework.models import (
    Absence,
    Approval,
    ApprovalAction,
    ApprovalRoute,
    ApprovalStatus,
    ApprovalStep,
    Case,
    CaseEventKind,
    StepStatus,
)
from machi.casework.permissions import approvers_for, can_handle
from machi.casework.routes import RouteError, parse_route
from machi.casework.services.cases import (
    _bump,
    _decision_reason,
    _locked,
    checklist_gate,
    decision_apply,
)
from machi.core.audit_actions import AuditAction
from machi.core.models import Department, Role, User
from machi.core.permissions import require_role
from machi.core.services.audit import audit_record
from machi.procedures.models import Procedure


def route_for(case: Case) -> ApprovalRoute | None:
    """The route of the case's procedure for its amount (the largest yen value computed)."""
    amount = max((v for v in case.submission.computed.values() if isinstance(v, int)), default=0)
    return (
        ApprovalRoute.objects.filter(procedure=case.procedure, min_amount__lte=amount)
        .order_by("-min_amount")
        .first()
    )


def _absent_today(user: User, today: dt.date) -> Absence | None:
    return Absence.objects.filter(user=user, starts_on__lte=today, ends_on__gte=today).first()


# The audit entry of each action of an approval's history (ApprovalAction.action).
APPROVAL_AUDIT_ACTIONS = {
    "submitted": AuditAction.APPROVAL_SUBMITTED,
    "approved": AuditAction.APPROVAL_APPROVED,
    "deputy_approved": AuditAction.APPROVAL_DEPUTY_APPROVED,
    "post_reviewed": AuditAction.APPROVAL_POST_REVIEWED,
    "sent_back": AuditAction.APPROVAL_SENT_BACK,
    "recalled": AuditAction.APPROVAL_RECALLED,
    "resubmitted": AuditAction.APPROVAL_RESUBMITTED,
}


def _record(
    approval: Approval,
    actor: User,
    action: str,
    step: ApprovalStep | None = None,
    comment: str = "",
) -> None:
    ApprovalAction.objects.create(
        approval=approval,
        step=step,
        action=action,
        actor=actor,
        actor_label=str(actor),
        comment=comment,
    )
    audit_record(
        action=APPROVAL_AUDIT_ACTIONS[action],
        actor=actor,
        municipality=approval.case.municipality,
        target=approval.case,
        data={
            "reference": approval.case.submission.reference,
            "step": step.order if step else None,
        },
    )


def _locked_approval(approval: Approval) -> Approval:
    return (
        Approval.objects.select_for_update(of=("self",))
        .select_related(
            "case", "case__submission", "case__municipality", "case__procedure", "case__department"
        )
        .get(pk=approval.pk)
    )


def _open_steps(approval: Approval) -> list[ApprovalStep]:
    return list(approval.steps.select_related("department").filter(status=StepStatus.PENDING))


def _make_pending(approval: Approval, order: int) -> None:
    approval.current_order = order
    approval.steps.filter(order=order).update(status=StepStatus.PENDING)


@transaction.atomic
def approval_submit(
    *,
    actor: User,
    case: Case,
    decision: str,
    reason: str,
    version: str,
    confirm_unchecked: bool = False,
) -> Approval:
    """起案: propose approving or rejecting the application, along the procedure's route.
    Unticked checklist items need ``confirm_unchecked`` (``cases.checklist_gate``)."""
    case = _locked(case, actor, version)
    if case.submission.finished:
        raise ValidationError(_("This application is already finished."))
    text = _decision_reason(decision, reason)
    if Approval.objects.filter(
        case=case,
        status__in=[ApprovalStatus.IN_PROGRESS, ApprovalStatus.SENT_BACK, ApprovalStatus.RECALLED],
    ).exists():
        raise ValidationError(_("This case already has a decision being approved."))
    route = route_for(case)
    if route is None:
        raise ValidationError(
            _("This procedure has no approval route; decide on the case directly.")
        )
    unchecked = checklist_gate(case, confirm_unchecked=confirm_unchecked)
    codes = {d.code: d for d in Department.objects.filter(municipality=case.municipality)}
    specs = parse_route(route.steps, codes)
    approval = Approval.objects.create(
        case=case, route_name=route.name, drafter=actor, decision=decision, reason=text
    )
    ApprovalStep.objects.bulk_create(
        ApprovalStep(
            approval=approval,
            order=spec.order,
            rank=spec.rank,
            department=codes[spec.department] if spec.department else case.department,
            consult=spec.consult,
        )
        for spec in specs
    )
    _make_pending(approval, 1)
    approval.save(update_fields=["current_order"])
    _record(approval, actor, "submitted", comment=text)
    _bump(
        case,
        actor,
        CaseEventKind.APPROVAL_SUBMITTED,
        decision=decision,
        route=route.name,
        unchecked=unchecked,
    )
    return approval


def _step_for(approval: Approval, step_id: str) -> ApprovalStep:
    step = approval.steps.select_related("department").filter(pk=step_id).first()
    if (
        step is None
        or step.status != StepStatus.PENDING
        or approval.status != ApprovalStatus.IN_PROGRESS
    ):
        raise ValidationError(
            _("This step is not waiting for a decision any more. Reload the page."), code="stale"
        )
    return step


def _advance(approval: Approval, actor: User) -> None:
    """When every step of the current order is done, go on; after the last, take effect."""
    if approval.steps.filter(order=approval.current_order, status=StepStatus.PENDING).exists():
        approval.save(update_fields=["current_order"])
        return
    later = approval.steps.filter(order__gt=approval.current_order).order_by("order").first()
    if later is not None:
        _make_pending(approval, later.order)
        approval.save(update_fields=["current_order"])
        return
    approval.status = ApprovalStatus.APPROVED
    approval.finished_at = timezone.now()
    approval.save(update_fields=["current_order", "status", "finished_at"])
    decision_apply(
        case=approval.case, actor=actor, decision=approval.decision, reason=approval.reason
    )


@transaction.atomic
def approval_approve(
    *, actor: User, approval: Approval, step_id: str, comment: str = ""
) -> Approval:
    """承認 by the approver the step is waiting for."""
    approval = _locked_approval(approval)
    step = _step_for(approval, step_id)
    if actor.pk == approval.drafter_id:
        raise PermissionDenied(_("The drafter cannot approve their own decision."))
    if actor not in approvers_for(step):
        raise PermissionDenied(
            _("Only the approver of this step (by rank and department) can approve it.")
        )
    step.status, step.acted_by, step.acted_at = StepStatus.APPROVED, actor, timezone.now()
    step.save(update_fields=["status", "acted_by", "acted_at"])
    _record(approval, actor, "approved", step, comment.strip())
    _advance(approval, actor)
    _touch(approval.case, actor, CaseEventKind.APPROVAL_STEP)
    return approval


@transaction.atomic
def approval_deputy_approve(
    *, actor: User, approval: Approval, step_id: str, comment: str = ""
) -> Approval:
    """代決: the designated deputy decides for an approver registered absent today; the
    absent approver reviews it afterwards (後閲)."""
    approval = _locked_approval(approval)
    step = _step_for(approval, step_id)
    today = timezone.localdate()
    approvers = approvers_for(step)
    absences = [_absent_today(user, today) for user in approvers]
    if not approvers or any(absence is None for absence in absences):
        raise PermissionDenied(
            _("代決 is possible only when the step's approvers are registered absent.")
        )
    covered = next((a for a in absences if a is not None and a.deputy_id == actor.pk), None)
    if covered is None or actor.pk == approval.drafter_id:
        raise PermissionDenied(
            _("Only the deputy registered for the absent approver can decide for them.")
        )
    step.status, step.acted_by, step.acted_at = StepStatus.DEPUTY, actor, timezone.now()
    step.deputy_for = covered.user
    step.save(update_fields=["status", "acted_by", "acted_at", "deputy_for"])
    _record(approval, actor, "deputy_approved", step, comment.strip())
    _advance(approval, actor)
    _touch(approval.case, actor, CaseEventKind.APPROVAL_STEP)
    return approval


@transaction.atomic
def approval_post_review(
    *, actor: User, approval: Approval, step_id: str, comment: str = ""
) -> ApprovalStep:
    """後閲: the approver a deputy decided for confirms they have seen it."""
    approval = _locked_approval(approval)
    step = approval.steps.filter(pk=step_id, status=StepStatus.DEPUTY).first()
    if step is None or step.deputy_for_id != actor.pk:
        raise PermissionDenied(_("Only the approver the deputy decided for reviews it afterwards."))
    if step.post_reviewed_at is not None:
        raise ValidationError(_("This decision was already reviewed."))
    step.post_reviewed_at = timezone.now()
    step.save(update_fields=["post_reviewed_at"])
    _record(approval, actor, "post_reviewed", step, comment.strip())
    return step


@transaction.atomic
def approval_send_back(
    *, actor: User, approval: Approval, step_id: str, to_order: int, reason: str
) -> Approval:
    """差戻し: the approver of the current step sends it back to an earlier step (or, with
    ``to_order=0``, to the drafter) with a reason."""
    approval = _locked_approval(approval)
    step = _step_for(approval, step_id)
    if actor not in approvers_for(step):
        raise PermissionDenied(
            _("Only the approver of this step (by rank and department) can send it back.")
        )
    text = reason.strip()
    if not text:
        raise ValidationError({"reason": _("Say why you send it back.")})
    earlier = {s.order for s in approval.steps.filter(order__lt=step.order)}
    if to_order != 0 and to_order not in earlier:
        raise ValidationError({"to_order": _("Choose an earlier step or the drafter.")})
    approval.steps.filter(order__gte=max(to_order, 1)).update(
        status=StepStatus.WAITING,
        acted_by=None,
        acted_at=None,
        deputy_for=None,
        post_reviewed_at=None,
    )
    if to_order == 0:
        approval.status = ApprovalStatus.SENT_BACK
        approval.save(update_fields=["status"])
    else:
        _make_pending(approval, to_order)
        approval.save(update_fields=["current_order"])
    _record(approval, actor, "sent_back", step, text)
    _touch(approval.case, actor, CaseEventKind.APPROVAL_SENT_BACK)
    return approval


@transaction.atomic
def approval_recall(*, actor: User, approval: Approval) -> Approval:
    """引戻し: the drafter takes the decision back while it is being approved."""
    approval = _locked_approval(approval)
    if actor.pk != approval.drafter_id:
        raise PermissionDenied(_("Only the drafter can recall it."))
    if approval.status != ApprovalStatus.IN_PROGRESS:
        raise ValidationError(_("It can be recalled only while it is being approved."))
    approval.steps.update(status=StepStatus.WAITING, acted_by=None, acted_at=None, deputy_for=None)
    approval.status = ApprovalStatus.RECALLED
    approval.save(update_fields=["status"])
    _record(approval, actor, "recalled")
    _touch(approval.case, actor, CaseEventKind.APPROVAL_RECALLED)
    return approval


@transaction.atomic
def approval_resubmit(
    *,
    actor: User,
    approval: Approval,
    decision: str,
    reason: str,
    confirm_unchecked: bool = False,
) -> Approval:
    """Send a sent-back or recalled decision along the route again (it may be changed);
    unticked checklist items need ``confirm_unchecked``, as for the first 起案."""
    approval = _locked_approval(approval)
    if actor.pk != approval.drafter_id and not can_handle(actor, approval.case):
        raise PermissionDenied(_("Only staff of the case's department can send it again."))
    if approval.status not in (ApprovalStatus.SENT_BACK, ApprovalStatus.RECALLED):
        raise ValidationError(_("Only a decision sent back or recalled can be sent again."))
    text = _decision_reason(decision, reason)
    unchecked = checklist_gate(approval.case, confirm_unchecked=confirm_unchecked)
    approval.decision, approval.reason, approval.status = decision, text, ApprovalStatus.IN_PROGRESS
    approval.steps.update(status=StepStatus.WAITING)
    _make_pending(
        approval, approval.steps.order_by("order").values_list("order", flat=True).first() or 1
    )
    approval.save(update_fields=["decision", "reason", "status", "current_order"])
    _record(approval, actor, "resubmitted", comment=text)
    _touch(approval.case, actor, CaseEventKind.APPROVAL_RESUBMITTED, unchecked=unchecked)
    return approval


def _touch(case: Case, actor: User, kind: CaseEventKind, **data: Any) -> None:
    """Approval steps change what the case page shows: bump the case's version."""
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    _bump(locked, actor, kind, **data)


@transaction.atomic
def absence_register(
    *, actor: User, user: User, deputy: User, starts_on: dt.date, ends_on: dt.date
) -> Absence:
    """不在登録, by the absent approver themselves or their department administrator."""
    if user.municipality_id is None or deputy.municipality_id != user.municipality_id:
        raise ValidationError({"deputy": _("Choose a deputy of the same municipality.")})
    if actor.pk != user.pk:
        assert user.municipality is not None
        require_role(actor, user.municipality, [Role.DEPARTMENT_ADMIN])
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day is before the first day.")})
    if deputy.pk == user.pk:
        raise ValidationError({"deputy": _("Choose someone else as deputy.")})
    absence = Absence.objects.create(
        municipality_id=user.municipality_id,
        user=user,
        deputy=deputy,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    audit_record(
        action=AuditAction.APPROVAL_ABSENCE_REGISTERED,
        actor=actor,
        municipality=user.municipality,
        target=user,
        data={"deputy": deputy.email, "from": starts_on.isoformat(), "to": ends_on.isoformat()},
    )
    return absence


@transaction.atomic
def approval_route_save(
    *, actor: User | None, procedure: Procedure, name: str, min_amount: int, steps: list[Any]
) -> ApprovalRoute:
    """Create or replace the route of ``procedure`` from ``min_amount`` yen. ``actor=None``
    is the command line; staff need the platform administrator role.

    Raises:
        ValidationError: on ``steps``, one message per problem with the step's place.
    """
    if actor is not None:
        require_role(actor, procedure.municipality, [Role.PLATFORM_ADMIN])
    codes = Department.objects.filter(municipality=procedure.municipality).values_list(
        "code", flat=True
    )
    try:
        parse_route(steps, codes)
    except RouteError as exc:
        raise ValidationError({"steps": exc.problems}) from None
    if not name.strip():
        raise ValidationError({"name": _("Give the route a name.")})
    route = ApprovalRoute.objects.filter(procedure=procedure, min_amount=min_amount).first()
    if route is not None and (route.name, route.steps) == (name.strip(), steps):
        return route  # unchanged: nothing to write or log
    route = route or ApprovalRoute(procedure=procedure, min_amount=min_amount)
    route.municipality = procedure.municipality
    route.name, route.steps = name.strip(), steps
    route.save()
    audit_record(
        action=AuditAction.APPROVAL_ROUTE_SAVED,
        actor=actor,
        municipality=procedure.municipality,
        target=procedure,
        data={"route": route.name, "min_amount": min_amount, "steps": len(steps)},
    )
    return route
