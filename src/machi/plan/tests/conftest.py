"""A small 亀山市 plan for the tests: the real structure file plus two initiatives."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from machi.core.models import Department, Municipality, Role, User
from machi.core.services.tenancy import department_upsert
from machi.plan.models import KPI, Initiative, Plan
from machi.plan.plan_file import parse_plan_file
from machi.plan.services.importing import plan_import
from machi.testing.fixtures import make_staff

DATA = Path(__file__).resolve().parents[1] / "data"
STRUCTURE = DATA / "kameyama-dx-plan.yaml"
DEMO = DATA / "kameyama-dx-implementation-demo.yaml"

IMPLEMENTATION = """\
format: machi-plan/1
municipality: "242101"
plan:
  code: kameyama-dx
initiatives:
  - code: "1-1-01"
    measure: "1-1"
    title: 子育て・介護関係手続のオンライン化
    department: "310"
    status: in_progress
    schedule:
      2022: 対象手続の洗い出し
      2023: オンライン化
  - code: "2-6-01"
    measure: "2-6"
    title: 電子決裁の拡充
    department: "120"
    status: not_started
kpis:
  - code: KPI-01
    measure: "1-1"
    initiative: "1-1-01"
    name: 子育て・介護関係26手続のオンライン化率
    unit: "%"
    direction: higher
    baseline: {fiscal_year: 2021, value: 0}
    targets: {2022: 20, 2023: 50, 2024: 80, 2025: 100, 2026: 100}
    actuals:
      - {fiscal_year: 2022, value: 23.1, source: 子ども未来課集計}
  - code: KPI-02
    measure: "2-6"
    initiative: "2-6-01"
    name: 紙の使用量
    unit: 枚
    direction: lower
    baseline: {fiscal_year: 2021, value: 1200000}
    targets: {2026: 600000}
"""


def import_text(text: str, label: str = "test.yaml") -> Any:
    return plan_import(actor=None, plan_file=parse_plan_file(text), source_label=label)


@dataclass
class PlanWorld:
    city: Municipality
    plan: Plan
    kodomo: Department
    digital: Department
    initiative: Initiative
    kpi: KPI
    clerk: User
    leader: User
    member: User
    chair: User
    adviser: User
    admin: User


@pytest.fixture
def world(city: Municipality) -> PlanWorld:
    health = department_upsert(municipality=city, code="300", name="健康福祉部")
    kodomo = department_upsert(municipality=city, code="310", name="子ども未来課", parent=health)
    digital = department_upsert(municipality=city, code="120", name="デジタル推進課")
    import_text(STRUCTURE.read_text(encoding="utf-8"), STRUCTURE.name)
    import_text(IMPLEMENTATION)
    plan = Plan.objects.get(municipality=city, code="kameyama-dx")
    return PlanWorld(
        city=city,
        plan=plan,
        kodomo=kodomo,
        digital=digital,
        initiative=Initiative.objects.get(plan=plan, code="1-1-01"),
        kpi=KPI.objects.get(plan=plan, code="KPI-01"),
        clerk=make_staff(city, "clerk.kodomo@example.jp", department=kodomo),
        leader=make_staff(city, "leader.kodomo@example.jp", role=Role.DX_LEADER, department=kodomo),
        member=make_staff(city, "member@example.jp", role=Role.DX_COMMITTEE),
        chair=make_staff(city, "cio@example.jp", role=Role.DX_COMMITTEE_CHAIR),
        adviser=make_staff(city, "adviser@example.jp", role=Role.DIGITAL_ADVISOR),
        admin=make_staff(city, "admin@example.jp", role=Role.PLATFORM_ADMIN),
    )


def draft_evaluation(world: PlanWorld, by: User | None = None, **overrides: str) -> Any:
    from machi.plan.services import evaluations

    values = {"grade": "B", "comment": "概ね順調。", "next_action": "対象手続を拡大する。"}
    values.update(overrides)
    return evaluations.evaluation_save(
        actor=by or world.clerk,
        municipality=world.city,
        initiative=world.initiative,
        fiscal_year=2025,
        **values,
    )


def evaluation_before_committee(world: PlanWorld, **overrides: str) -> Any:
    """A self-assessment the clerk submitted and the DXリーダー confirmed."""
    from machi.plan.services import evaluations

    evaluation = draft_evaluation(world, **overrides)
    evaluations.evaluation_submit(actor=world.clerk, municipality=world.city, evaluation=evaluation)
    return evaluations.evaluation_review(
        actor=world.leader, municipality=world.city, evaluation=evaluation
    )
