"""Load 亀山市's plan and the demo 実施計画, then run FY2025's evaluations through the cycle.

Idempotent: the files are upserted, and evaluations are only made where none exist.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from machi.core.models import User
from machi.plan.models import KPIValueKind, Plan
from machi.plan.plan_file import parse_plan_file
from machi.plan.selectors import kpi_progress_grade
from machi.plan.services.evaluations import (
    evaluation_approve,
    evaluation_review,
    evaluation_save,
    evaluation_submit,
)
from machi.plan.services.importing import plan_import

DATA = Path(__file__).resolve().parents[2] / "data"
PLAN_FILES = ["kameyama-dx-plan.yaml", "kameyama-dx-implementation-demo.yaml"]
DEMO_FISCAL_YEAR = 2025
# Left part-way through the cycle so the task lists have something in them.
STOP_AT_LEADER = {"1-4-01"}
STOP_AT_COMMITTEE = {"1-3-01"}

COMMENTS = {
    "A": (
        "計画どおりに進捗しており、目標値を達成した。",
        "次年度も同じ体制で継続し、対象を広げる。",
    ),
    "B": (
        "概ね計画どおりだが、一部の取組に遅れがある。",
        "遅れている取組の工程を見直し、上半期に挽回する。",
    ),
    "C": (
        "目標値に届かず、取組に遅れが生じている。",
        "原因を分析し、関係課と調整のうえ手法を見直す。",
    ),
    "D": (
        "大幅に遅れており、計画の見直しが必要である。",
        "DX推進委員会で事業の進め方を再検討する。",
    ),
}


class Command(BaseCommand):
    help = "Load the 亀山市 DX plan, the demo implementation plan and demo evaluations."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        for name in PLAN_FILES:
            path = DATA / name
            plan_import(
                actor=None,
                plan_file=parse_plan_file(path.read_text(encoding="utf-8")),
                source_label=name,
            )
        plan = Plan.objects.select_related("municipality").get(
            municipality__code="242101", code="kameyama-dx"
        )
        made = self._evaluate(plan)
        self.stdout.write(
            f"DX plan {plan.name}: {plan.measures.count()} measures, "
            f"{plan.initiatives.count()} initiatives, {plan.kpis.count()} KPIs; "
            f"{made} demo evaluations added."
        )

    def _evaluate(self, plan: Plan) -> int:
        city = plan.municipality
        chair = User.objects.get(email="cio@kameyama.demo")
        member = User.objects.get(email="committee@kameyama.demo")
        made = 0
        initiatives = plan.initiatives.select_related("department", "plan").prefetch_related(
            "kpis__values"
        )
        for initiative in initiatives:
            if initiative.evaluations.filter(fiscal_year=DEMO_FISCAL_YEAR).exists():
                continue
            leader = User.objects.filter(
                email=f"dx{initiative.department.code}@kameyama.demo"
            ).first()
            if leader is None:
                continue
            grade = _grade_from_kpis(initiative)
            comment, next_action = COMMENTS[grade]
            evaluation = evaluation_save(
                actor=leader,
                municipality=city,
                initiative=initiative,
                fiscal_year=DEMO_FISCAL_YEAR,
                grade=grade,
                comment=comment,
                next_action=next_action,
            )
            made += 1
            evaluation_submit(actor=leader, municipality=city, evaluation=evaluation)
            if initiative.code in STOP_AT_LEADER:
                continue
            evaluation_review(actor=leader, municipality=city, evaluation=evaluation)
            if initiative.code in STOP_AT_COMMITTEE:
                continue
            evaluation_approve(actor=member, municipality=city, evaluation=evaluation)
            evaluation_approve(actor=chair, municipality=city, evaluation=evaluation)
        return made


def _grade_from_kpis(initiative: Any) -> str:
    """Demo only: derive a plausible grade from how the KPIs did against their targets."""
    grades = []
    for kpi in initiative.kpis.all():
        values = {(v.kind, v.fiscal_year): v.value for v in kpi.values.all()}
        actual = values.get((KPIValueKind.ACTUAL, DEMO_FISCAL_YEAR))
        target = values.get((KPIValueKind.TARGET, DEMO_FISCAL_YEAR))
        grades.append(kpi_progress_grade(kpi, actual, target))
    known = [g for g in grades if g]
    if not known:
        return "B" if initiative.status != "not_started" else "C"
    return max(known)  # the worst KPI sets the tone
