"""Who may handle a case: staff with a casework role in its department (or in the 部 above
it). Platform administrators pass, as everywhere in the back office."""

from __future__ import annotations

from typing import TYPE_CHECKING

from machi.core.models import ApproverRank, Role, StaffRole, User
from machi.core.permissions import department_and_parents, has_role

if TYPE_CHECKING:
    from machi.casework.models import ApprovalStep, Case

CASE_ROLES = [Role.CLERK, Role.APPROVER, Role.DEPARTMENT_ADMIN]


def can_handle(user: User | None, case: Case) -> bool:
    return has_role(user, case.municipality, CASE_ROLES, department=case.department)


def can_revoke_documents(user: User | None, case: Case) -> bool:
    """取消し of an issued notice is for the department's approvers and administrators."""
    return has_role(
        user, case.municipality, [Role.APPROVER, Role.DEPARTMENT_ADMIN], department=case.department
    )


def can_view(user: User | None, case: Case) -> bool:
    """The department's staff, and approvers of another department asked to agree (合議)."""
    if can_handle(user, case):
        return True
    from machi.casework.models import ApprovalStep

    steps = ApprovalStep.objects.filter(approval__case=case, consult=True).select_related(
        "department"
    )
    return user is not None and any(user in approvers_for(step) for step in steps)


def approvers_for(step: ApprovalStep) -> list[User]:
    """Who holds the step's rank for its department (a 部長 holds it in the 部 above;
    副市長 and 市長 hold it for the whole municipality)."""
    roles = StaffRole.objects.filter(
        municipality_id=step.department.municipality_id,
        role=Role.APPROVER,
        rank=step.rank,
        user__is_active=True,
    )
    if step.rank >= ApproverRank.DEPUTY_MAYOR:
        roles = roles.filter(department__isnull=True) | roles.filter(
            department__in=department_and_parents(step.department)
        )
    else:
        roles = roles.filter(department__in=department_and_parents(step.department))
    return list(User.objects.filter(pk__in=roles.values("user")))
