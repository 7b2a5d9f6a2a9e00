"""Reads of the plan, shaped for pages, exports and the API. Tenant-scoped.

The dashboard is built from a fixed number of queries whatever the size of the plan
(one per table), then grouped in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from machi.core.japanese.fiscal_year import fiscal_year_range
from machi.core.models import Municipality, Role, StaffRole, User
from machi.core.permissions import departments_with_role
from machi.plan.models import (
    KPI,
    BasicPolicy,
    CommitteeApproval,
    Direction,
    Evaluation,
    EvaluationStatus,
    Initiative,
    InitiativeStatus,
    KPIValue,
    KPIValueKind,
    Measure,
    OODARecord,
    Plan,
)
from machi.plan.permissions import COMMITTEE_ROLES, PREPARE_ROLES


def plan_list(*, municipality: Municipality) -> QuerySet[Plan]:
    return Plan.objects.filter(municipality=municipality)


def plan_get(*, municipality: Municipality, code: str) -> Plan:
    plan = Plan.objects.filter(municipality=municipality, code=code).first()
    if plan is None:
        raise Http404
    return plan


def kpi_progress_grade(kpi: KPI, actual: Decimal | None, target: Decimal | None) -> str | None:
    """A to D from an actual against its target: 100% or better is A, 90% B, 70% C."""
    if actual is None or target is None:
        return None
    if kpi.direction == Direction.LOWER:
        ratio = Decimal(1) if actual <= target else (target / actual if actual else Decimal(0))
    else:
        ratio = Decimal(1) if actual >= target else (actual / target if target else Decimal(0))
    if ratio >= 1:
        return "A"
    if ratio >= Decimal("0.9"):
        return "B"
    if ratio >= Decimal("0.7"):
        return "C"
    return "D"


@dataclass
class KPIRow:
    fiscal_year: int
    target: Decimal | None
    actual: KPIValue | None
    baseline: Decimal | None = None  # the KPI's 基準値, on the row of its fiscal year


@dataclass
class KPISeries:
    kpi: KPI
    targets: dict[int, Decimal] = field(default_factory=dict)
    actuals: dict[int, KPIValue] = field(default_factory=dict)

    @property
    def latest_actual(self) -> KPIValue | None:
        return self.actuals[max(self.actuals)] if self.actuals else None

    @property
    def achievement(self) -> str | None:
        latest = self.latest_actual
        if latest is None:
            return None
        return kpi_progress_grade(self.kpi, latest.value, self.targets.get(latest.fiscal_year))

    def rows(self, plan: Plan) -> list[KPIRow]:
        """One row per fiscal year of the plan, and of the baseline when it comes before:
        a baseline year inside the plan period is that year's row, not a second one."""
        kpi = self.kpi
        years = set(plan.fiscal_years)
        if kpi.baseline_value is not None and kpi.baseline_fiscal_year:
            years.add(kpi.baseline_fiscal_year)
        return [
            KPIRow(
                year,
                self.targets.get(year),
                self.actuals.get(year),
                kpi.baseline_value if year == kpi.baseline_fiscal_year else None,
            )
            for year in sorted(years)
        ]


@dataclass
class InitiativeView:
    initiative: Initiative
    # The approved evaluation of each fiscal year (its latest approved revision).
    evaluations: dict[int, Evaluation] = field(default_factory=dict)

    @property
    def evaluation(self) -> Evaluation | None:
        """The most recent fiscal year's approved evaluation."""
        return self.evaluations[max(self.evaluations)] if self.evaluations else None


@dataclass
class MeasureView:
    measure: Measure
    initiatives: list[InitiativeView] = field(default_factory=list)
    kpis: list[KPISeries] = field(default_factory=list)

    @property
    def status(self) -> str:
        """未着手 until something starts; 完了 when all are done; 見直し if any is."""
        statuses = {view.initiative.status for view in self.initiatives}
        if not statuses or statuses == {InitiativeStatus.NOT_STARTED}:
            return InitiativeStatus.NOT_STARTED
        if InitiativeStatus.UNDER_REVIEW in statuses:
            return InitiativeStatus.UNDER_REVIEW
        if statuses == {InitiativeStatus.DONE}:
            return InitiativeStatus.DONE
        return InitiativeStatus.IN_PROGRESS

    @property
    def status_label(self) -> str:
        return str(InitiativeStatus(self.status).label)


@dataclass
class PolicyView:
    policy: BasicPolicy
    measures: list[MeasureView] = field(default_factory=list)


@dataclass
class PlanDashboard:
    plan: Plan
    policies: list[PolicyView]

    @property
    def measures(self) -> list[MeasureView]:
        return [m for p in self.policies for m in p.measures]

    @property
    def kpis(self) -> list[KPISeries]:
        return [k for m in self.measures for k in m.kpis]

    @property
    def has_demo_figures(self) -> bool:
        return any(k.kpi.is_demo for k in self.kpis) or any(
            i.initiative.is_demo for m in self.measures for i in m.initiatives
        )

    def status_counts(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = defaultdict(int)
        for measure in self.measures:
            counts[measure.status] += 1
        return [(str(choice.label), counts[choice.value]) for choice in InitiativeStatus]


def _kpi_series(kpis: list[KPI], values: QuerySet[KPIValue]) -> dict[Any, KPISeries]:
    """Each KPI with its targets and actuals by fiscal year, from one query of ``values``."""
    series = {kpi.pk: KPISeries(kpi) for kpi in kpis}
    fields = ("kpi_id", "kind", "fiscal_year", "value", "source_note", "entered_by_label")
    for value in values.only(*fields):
        target = series[value.kpi_id]
        if value.kind == KPIValueKind.TARGET:
            target.targets[value.fiscal_year] = value.value
        else:
            target.actuals[value.fiscal_year] = value
    return series


def initiative_kpis(*, initiative: Initiative) -> list[KPISeries]:
    """The KPIs of one initiative with their figures (the initiative page's share only)."""
    kpis = list(
        KPI.objects.filter(initiative=initiative)
        .select_related("department", "initiative__department")
        .order_by("code")
    )
    series = _kpi_series(kpis, KPIValue.objects.filter(kpi__initiative=initiative))
    return [series[kpi.pk] for kpi in kpis]


def plan_dashboard(*, plan: Plan) -> PlanDashboard:
    """The whole plan with KPI series and each initiative's latest approved evaluation."""
    policies = list(BasicPolicy.objects.filter(plan=plan).order_by("number"))
    measures = list(Measure.objects.filter(plan=plan).order_by("number"))
    initiatives = list(
        Initiative.objects.filter(plan=plan).select_related("department").order_by("code")
    )
    kpis = list(KPI.objects.filter(plan=plan).order_by("code"))
    series = _kpi_series(kpis, KPIValue.objects.filter(kpi__plan=plan))
    approved = Evaluation.objects.filter(plan=plan, status=EvaluationStatus.APPROVED).order_by(
        "fiscal_year", "revision"
    )
    approved_by_initiative: dict[object, dict[int, Evaluation]] = defaultdict(dict)
    for evaluation in approved:
        # Ordered by revision, so the latest approved revision of a year wins.
        approved_by_initiative[evaluation.initiative_id][evaluation.fiscal_year] = evaluation
    policy_views = {p.pk: PolicyView(p) for p in policies}
    measure_views: dict[object, MeasureView] = {}
    for measure in measures:
        measure.policy = policy_views[measure.policy_id].policy
        view = MeasureView(measure)
        measure_views[measure.pk] = view
        policy_views[measure.policy_id].measures.append(view)
    for initiative in initiatives:
        view = measure_views[initiative.measure_id]
        initiative.measure = view.measure
        initiative.plan = plan
        view.initiatives.append(
            InitiativeView(initiative, approved_by_initiative.get(initiative.pk, {}))
        )
    by_pk = {i.pk: i for i in initiatives}
    for kpi in kpis:
        view = measure_views[kpi.measure_id]
        kpi.measure = view.measure
        kpi.plan = plan
        if kpi.initiative_id is not None:
            kpi.initiative = by_pk[kpi.initiative_id]
        view.kpis.append(series[kpi.pk])
    return PlanDashboard(plan=plan, policies=list(policy_views.values()))


def initiative_get(*, municipality: Municipality, initiative_id: str) -> Initiative:
    initiative = (
        Initiative.objects.select_related("plan", "measure__policy", "department")
        .filter(pk=initiative_id, plan__municipality=municipality)
        .first()
    )
    if initiative is None:
        raise Http404
    return initiative


def evaluation_get(*, municipality: Municipality, evaluation_id: str) -> Evaluation:
    evaluation = (
        Evaluation.objects.select_related(
            "plan", "initiative__department__municipality", "initiative__plan"
        )
        .filter(pk=evaluation_id, plan__municipality=municipality)
        .first()
    )
    if evaluation is None:
        raise Http404
    return evaluation


def kpi_get(*, municipality: Municipality, kpi_id: str) -> KPI:
    kpi = (
        KPI.objects.select_related("plan", "department", "initiative__department", "measure")
        .filter(pk=kpi_id, plan__municipality=municipality)
        .first()
    )
    if kpi is None:
        raise Http404
    return kpi


def initiative_evaluations(*, initiative: Initiative) -> list[Evaluation]:
    """Every revision of every fiscal year, newest first, with its history and comments."""
    return list(
        initiative.evaluations.prefetch_related("events", "committee_approvals", "comments")
        .select_related("approved_by", "reviewed_by")
        .order_by("-fiscal_year", "-revision")
    )


def ooda_list(*, plan: Plan) -> QuerySet[OODARecord]:
    return OODARecord.objects.filter(plan=plan).prefetch_related("measures__policy")


# --- My tasks --------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    kind: str  # "evaluate" | "review" | "approve" | "actual"
    plan: Plan
    fiscal_year: int
    deadline: dt.date
    initiative: Initiative | None = None
    evaluation: Evaluation | None = None
    kpi: KPI | None = None

    def is_overdue(self, today: dt.date) -> bool:
        return self.deadline < today


def _departments_with(user: User, municipality: Municipality, roles: list[str]) -> set[Any]:
    """Departments where the user holds one of ``roles`` themselves (governance acts are
    personal: a platform administrator gets none of them), with the 課 under a 部."""
    held = departments_with_role(user, municipality, roles, admin_passes=False)
    return set(held.values_list("pk", flat=True))


def my_tasks(*, user: User, municipality: Municipality, today: dt.date) -> list[Task]:
    """What this person should do in the plan, soonest deadline first.

    Work for fiscal year N is due at the end of N (年度末, 31 March). Only the current
    and the previous fiscal year are listed: older years are closed by the committee.
    """
    current = municipality.current_fiscal_year(today)
    years = [current - 1, current]
    prepare = _departments_with(user, municipality, list(PREPARE_ROLES))
    review = _departments_with(user, municipality, [Role.DX_LEADER])
    is_member = StaffRole.objects.filter(
        user=user, municipality=municipality, role__in=COMMITTEE_ROLES
    ).exists()
    tasks: list[Task] = []
    for plan in Plan.objects.filter(municipality=municipality):
        plan_years = [y for y in years if plan.covers(y)]
        if not plan_years:
            continue

        def due(year: int) -> dt.date:
            return fiscal_year_range(year, municipality.fiscal_year_start_month)[1]

        latest: dict[tuple[object, int], Evaluation] = {}
        for row in (
            Evaluation.objects.filter(plan=plan, fiscal_year__in=plan_years)
            .select_related("initiative__department")
            .order_by("revision")
        ):
            latest[(row.initiative_id, row.fiscal_year)] = row
        if prepare or review:
            owned = Initiative.objects.filter(
                plan=plan, department_id__in=prepare | review
            ).select_related("department")
            for initiative in owned:
                for year in plan_years:
                    evaluation = latest.get((initiative.pk, year))
                    if initiative.department_id in prepare and (
                        evaluation is None or evaluation.is_editable
                    ):
                        tasks.append(
                            Task("evaluate", plan, year, due(year), initiative, evaluation)
                        )
                    elif (
                        initiative.department_id in review
                        and evaluation is not None
                        and evaluation.status == EvaluationStatus.LEADER_REVIEW
                    ):
                        tasks.append(Task("review", plan, year, due(year), initiative, evaluation))
            kpis = KPI.objects.filter(plan=plan).filter(
                Q(department_id__in=prepare)
                | Q(department__isnull=True, initiative__department_id__in=prepare)
            )
            entered = set(
                KPIValue.objects.filter(
                    kpi__in=kpis, kind=KPIValueKind.ACTUAL, fiscal_year__in=plan_years
                ).values_list("kpi_id", "fiscal_year")
            )
            for kpi in kpis:
                for year in plan_years:
                    if (kpi.pk, year) not in entered:
                        tasks.append(Task("actual", plan, year, due(year), kpi=kpi))
        if is_member:
            mine = set(
                CommitteeApproval.objects.filter(member=user, evaluation__plan=plan).values_list(
                    "evaluation_id", flat=True
                )
            )
            for pending in latest.values():
                if pending.status == EvaluationStatus.COMMITTEE and pending.pk not in mine:
                    tasks.append(
                        Task(
                            "approve",
                            plan,
                            pending.fiscal_year,
                            due(pending.fiscal_year),
                            pending.initiative,
                            pending,
                        )
                    )
    order = {"approve": 0, "review": 1, "evaluate": 2, "actual": 3}
    tasks.sort(key=lambda t: (t.deadline, order[t.kind], t.initiative.code if t.initiative else ""))
    return tasks
