"""Reads of the back office. A clerk sees the cases of the departments they hold a
casework role in (and of the 課 under a 部 they hold one in)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from machi.casework.models import (
    Absence,
    Approval,
    ApprovalStatus,
    ApprovalStep,
    Case,
    CaseExport,
    CounterSession,
    CounterStatus,
    StepStatus,
)
from machi.casework.permissions import CASE_ROLES, approvers_for
from machi.core.formdef.engine import clean_answers, computed_rows, summarize, visible_steps
from machi.core.models import Department, Municipality, Role, StaffRole, User
from machi.core.permissions import (
    department_and_parents,
    departments_under,
    departments_with_role,
)
from machi.procedures.models import (
    FINISHED_STATUSES,
    CorrectionRequest,
    Draft,
    Procedure,
    Submission,
)
from machi.procedures.selectors import form_spec

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
    return departments_with_role(user, municipality, CASE_ROLES, admin_passes=False)


def department_ids_of(*, user: User, municipality: Municipality) -> list[uuid.UUID] | None:
    """The ids of ``departments_of``, read once: a plain list lets the database use the
    (department, received) index on a large queue instead of re-running nested subqueries."""
    departments = departments_of(user=user, municipality=municipality)
    return None if departments is None else list(departments.values_list("pk", flat=True))


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_current_timezone())


def case_list(
    *, user: User, municipality: Municipality, filters: CaseFilters, today: dt.date | None = None
) -> QuerySet[Case]:
    """The queue's cases, newest first (ids and sort keys only: see ``case_page``)."""
    today = today or timezone.localdate()
    cases = Case.objects.filter(municipality=municipality)
    department_ids = department_ids_of(user=user, municipality=municipality)
    if department_ids is not None:
        # 合議 cases sent to these departments: a subquery, added only when there are any,
        # so the usual queue stays a plain indexed filter.
        consulted = (
            Case.objects.filter(
                municipality=municipality,
                approvals__steps__consult=True,
                approvals__steps__department__in=department_ids,
            )
            .exclude(department__in=department_ids)
            .values("pk")
        )
        own = Q(department__in=department_ids)
        cases = cases.filter(own | Q(pk__in=consulted) if consulted.exists() else own)
    # Status filters as a subquery on the applications (indexed by department and status),
    # rather than a join from every case in the queue.
    submissions = Submission.objects.filter(municipality=municipality)
    if department_ids is not None:
        submissions = submissions.filter(department__in=department_ids)
    if filters.status:
        cases = cases.filter(submission__in=submissions.filter(status=filters.status).values("pk"))
    if filters.procedure:
        cases = cases.filter(procedure__code=filters.procedure)
    if filters.mine:
        cases = cases.filter(assignee=user)
    if filters.overdue:
        unfinished = submissions.exclude(status__in=FINISHED_STATUSES)
        cases = cases.filter(due_on__lt=today, submission__in=unfinished.values("pk"))
    # Dates as a range of instants (the local day's start), which the index can seek.
    if filters.received_from:
        cases = cases.filter(received_at__gte=_day_start(filters.received_from))
    if filters.received_to:
        cases = cases.filter(received_at__lt=_day_start(filters.received_to + dt.timedelta(1)))
    return cases.order_by("-received_at", "-pk")


def case_page(
    *, user: User, municipality: Municipality, filters: CaseFilters, number: str | None
) -> Page[Case]:
    """One page of the queue. The page's ids are found first on the case table alone, then
    only those rows are read with what the list shows, so a deep page or a long queue costs
    the same three queries (count, ids, rows) as the first page of a short one."""
    ids = case_list(user=user, municipality=municipality, filters=filters).values_list(
        "pk", flat=True
    )
    page: Page[Any] = Paginator(ids, PAGE_SIZE).get_page(number)
    page_ids = list(page.object_list)
    rows = (
        Case.objects.filter(pk__in=page_ids)
        .select_related("submission", "procedure", "department", "assignee")
        .defer("checklist", "submission__answers", "submission__computed")
        .in_bulk()
    )
    return Page([rows[pk] for pk in page_ids if pk in rows], page.number, page.paginator)


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
        department__in=department_and_parents(case.department),
    ).values("user")
    return User.objects.filter(pk__in=held, is_active=True).order_by("full_name", "email")


def answered_corrections(*, case: Case) -> QuerySet[CorrectionRequest]:
    return case.submission.corrections.order_by("requested_at")


def unchecked_items(*, case: Case) -> list[str]:
    """The procedure's review checklist items not ticked on this case."""
    return [
        text
        for index, text in enumerate(case.procedure.review_checklist)
        if not case.checklist.get(str(index), {}).get("done")
    ]


def approvals_of(*, case: Case) -> list[Approval]:
    """The case's approvals, newest first, with their steps and history."""
    return list(
        case.approvals.prefetch_related("steps", "steps__department", "steps__acted_by", "actions")
    )


def approval_tasks(*, user: User, municipality: Municipality) -> dict[str, list[ApprovalStep]]:
    """What waits for the user: steps to approve (their rank and department), steps they may
    decide as a registered deputy (代決), and deputy decisions to review (後閲)."""
    today = timezone.localdate()
    pending = ApprovalStep.objects.filter(
        status=StepStatus.PENDING,
        approval__status=ApprovalStatus.IN_PROGRESS,
        approval__case__municipality=municipality,
    ).select_related("approval", "approval__case", "approval__case__submission", "department")
    held = StaffRole.objects.filter(user=user, municipality=municipality, role=Role.APPROVER)
    mine = Q(pk__in=[])
    for role in held:
        if role.department_id is None:
            mine |= Q(rank=role.rank)
        else:
            below = departments_under(municipality, [role.department_id])
            mine |= Q(rank=role.rank) & Q(department__in=below)
    covering = Absence.objects.filter(deputy=user, starts_on__lte=today, ends_on__gte=today)
    deputy_steps = (
        [
            step
            for step in pending.exclude(approval__drafter=user)
            if any(absence.user in approvers_for(step) for absence in covering)
        ]
        if covering.exists()
        else []
    )
    reviews = ApprovalStep.objects.filter(
        deputy_for=user, status=StepStatus.DEPUTY, post_reviewed_at__isnull=True
    ).select_related("approval", "approval__case", "approval__case__submission")
    return {
        "approve": list(pending.filter(mine).exclude(approval__drafter=user)),
        "deputy": deputy_steps,
        "review": list(reviews),
    }


def approval_panel(*, case: Case, user: User) -> dict[str, object]:
    """The case page's e-approval panel: the latest approval, its steps, and what this user
    may do now (approve, decide as deputy, review afterwards, recall or send again)."""
    approvals = approvals_of(case=case)
    current = approvals[0] if approvals else None
    steps = list(current.steps.all()) if current else []
    pending = [s for s in steps if s.status == StepStatus.PENDING]
    today = timezone.localdate()
    covering = Absence.objects.filter(deputy=user, starts_on__lte=today, ends_on__gte=today)

    def deputisable(step: ApprovalStep) -> bool:
        approvers = approvers_for(step)
        absent = Absence.objects.filter(
            user__in=approvers, starts_on__lte=today, ends_on__gte=today
        ).values_list("user", flat=True)
        return (
            bool(approvers)
            and {a.pk for a in approvers} <= set(absent)
            and covering.filter(user__in=approvers).exists()
        )

    is_drafter = bool(current and current.drafter_id == user.pk)
    return {
        "approval": current,
        "approval_steps": steps,
        "earlier_orders": sorted(
            {s.order for s in steps if pending and s.order < pending[0].order}
        ),
        "may_approve": [s for s in pending if not is_drafter and user in approvers_for(s)],
        "may_deputise": [s for s in pending if not is_drafter and deputisable(s)],
        "to_review": [
            s for s in steps if s.deputy_for_id == user.pk and s.post_reviewed_at is None
        ],
        "is_drafter": is_drafter,
        "past_approvals": approvals[1:],
    }


def deputies_for(*, user: User) -> QuerySet[User]:
    """Colleagues who may be named deputy: active staff of the same municipality."""
    return (
        User.objects.filter(municipality=user.municipality_id, kind="staff", is_active=True)
        .exclude(pk=user.pk)
        .order_by("full_name", "email")
    )


def absences_of(*, user: User) -> QuerySet[Absence]:
    return Absence.objects.filter(user=user).select_related("deputy")[:20]


def deputy_by_id(*, user: User, deputy_id: str) -> User | None:
    try:
        return deputies_for(user=user).filter(pk=uuid.UUID(deputy_id)).first()
    except ValueError:
        return None


@dataclass(frozen=True)
class CounterDraft:
    code: str
    title: str
    draft: Draft | None
    missing: int
    next_url: str
    sections: list[Any]
    computed: list[tuple[str, str, int]]


def counter_drafts(*, session: CounterSession, language: str) -> list[CounterDraft]:
    """Each draft of a counter session with what it still misses and where to fill it."""
    ids = [draft_id for _code, draft_id in session.drafts]
    found = {
        str(d.pk): d for d in Draft.objects.filter(pk__in=ids).select_related("procedure", "form")
    }
    views = []
    for code, draft_id in session.drafts:
        draft = found.get(draft_id)
        if draft is None:
            views.append(CounterDraft(code, code, None, 0, "", [], []))
            continue
        spec = form_spec(draft.form)
        outcome = clean_answers(
            spec, draft.answers, language=language, today=timezone.localdate(), strict=False
        )
        steps = visible_steps(spec, draft.answers)
        open_step = next((s for s in steps if s.key not in draft.completed_steps), steps[0])
        views.append(
            CounterDraft(
                code=code,
                title=draft.procedure.text(language),
                draft=draft,
                missing=len(outcome.errors)
                + sum(1 for s in steps if s.key not in draft.completed_steps),
                next_url=reverse(
                    "procedures:step", kwargs={"draft_id": draft.pk, "step_key": open_step.key}
                ),
                sections=summarize(spec, outcome.answers, language),
                computed=computed_rows(spec, outcome.answers, language),
            )
        )
    return views


def counter_submissions(*, session: CounterSession) -> list[Submission]:
    ids = [submission_id for _code, submission_id in session.submissions]
    found = {
        str(s.pk): s for s in Submission.objects.filter(pk__in=ids).select_related("procedure")
    }
    return [found[i] for i in ids if i in found]


def open_counter_sessions(*, clerk: User, municipality: Municipality) -> QuerySet[CounterSession]:
    return CounterSession.objects.filter(
        clerk=clerk, municipality=municipality, status=CounterStatus.OPEN
    )[:20]


def recent_exports(*, user: User, municipality: Municipality) -> QuerySet[CaseExport]:
    exports = CaseExport.objects.filter(municipality=municipality).select_related(
        "procedure", "exported_by"
    )
    departments = departments_of(user=user, municipality=municipality)
    if departments is not None:
        exports = exports.filter(procedure__department__in=departments)
    return exports[:20]
