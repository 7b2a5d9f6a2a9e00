"""Reads of the back office. A clerk sees the cases of the departments they hold a
casework role in (and of the 課 under a 部 they hold one in)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from machi.casework.models import Case
from machi.casework.permissions import CASE_ROLES
from machi.core.models import Department, Municipality, Role, StaffRole, User
from machi.procedures.models import FINISHED_STATUSES, CorrectionRequest, Procedure

PAGE_SIZE = 50


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    procedure: str = ""
    mine: bool = False
    overdue: bool = False
    received_from: dt.date | None = None
    received_to: dt.date | None = None


def departments_of(*, user: User, municipality: Municipality) -> QuerySet[Department] | None:
    """Departments whose cases the user handles; None means all (platform administrator)."""
    roles = StaffRole.objects.filter(user=user, municipality=municipality)
    if roles.filter(role=Role.PLATFORM_ADMIN).exists():
        return None
    held = roles.filter(role__in=CASE_ROLES, department__isnull=False).values("department")
    return Department.objects.filter(
        Q(pk__in=held) | Q(parent__in=held) | Q(parent__parent__in=held),
        municipality=municipality,
    )


def case_list(
    *, user: User, municipality: Municipality, filters: CaseFilters, today: dt.date | None = None
) -> QuerySet[Case]:
    """The queue, newest first, with what the list shows fetched in the same query."""
    today = today or timezone.localdate()
    cases = Case.objects.filter(municipality=municipality).select_related(
        "submission", "procedure", "department", "assignee"
    )
    departments = departments_of(user=user, municipality=municipality)
    if departments is not None:
        cases = cases.filter(department__in=departments)
    if filters.status:
        cases = cases.filter(submission__status=filters.status)
    if filters.procedure:
        cases = cases.filter(procedure__code=filters.procedure)
    if filters.mine:
        cases = cases.filter(assignee=user)
    if filters.overdue:
        cases = cases.filter(due_on__lt=today).exclude(submission__status__in=FINISHED_STATUSES)
    if filters.received_from:
        cases = cases.filter(received_at__date__gte=filters.received_from)
    if filters.received_to:
        cases = cases.filter(received_at__date__lte=filters.received_to)
    return cases.order_by("-received_at")


def procedures_with_cases(*, user: User, municipality: Municipality) -> QuerySet[Procedure]:
    departments = departments_of(user=user, municipality=municipality)
    procedures = Procedure.objects.filter(municipality=municipality)
    if departments is not None:
        procedures = procedures.filter(department__in=departments)
    return procedures.order_by("order", "code")


def case_staff(*, case: Case) -> QuerySet[User]:
    """Colleagues a case can be assigned to."""
    held = StaffRole.objects.filter(
        municipality=case.municipality_id,
        role__in=CASE_ROLES,
        department__in=[case.department_id, case.department.parent_id],
    ).values("user")
    return User.objects.filter(pk__in=held, is_active=True).order_by("full_name", "email")


def answered_corrections(*, case: Case) -> QuerySet[CorrectionRequest]:
    return case.submission.corrections.order_by("requested_at")
