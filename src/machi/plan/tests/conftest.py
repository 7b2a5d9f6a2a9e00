"""A small 亀山市 plan for the tests: the real structure file plus two initiatives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from machi.core.models import Department, Municipality, Role, User
from machi.plan.models import KPI, Initiative, Plan
from machi.testing.copies import TableCopies
from machi.testing.factories import DepartmentFactory
from machi.testing.fixtures import make_municipality, make_staff
from machi.testing.plans import DEMO, IMPLEMENTATION, STRUCTURE, import_text

__all__ = ["DEMO", "IMPLEMENTATION", "STRUCTURE", "import_text"]


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


def _build_world() -> dict[str, Any]:
    """Build through the services; what is kept is each object's key."""
    city = make_municipality()
    health = DepartmentFactory(municipality=city, code="300", name="健康福祉部")
    kodomo = DepartmentFactory(municipality=city, code="310", name="子ども未来課", parent=health)
    digital = DepartmentFactory(municipality=city, code="120", name="デジタル推進課")
    import_text(STRUCTURE.read_text(encoding="utf-8"), STRUCTURE.name)
    import_text(IMPLEMENTATION)
    plan = Plan.objects.get(municipality=city, code="kameyama-dx")
    made = {
        "city": city,
        "plan": plan,
        "kodomo": kodomo,
        "digital": digital,
        "initiative": Initiative.objects.get(plan=plan, code="1-1-01"),
        "kpi": KPI.objects.get(plan=plan, code="KPI-01"),
        "clerk": make_staff(city, "clerk.kodomo@example.jp", department=kodomo),
        "leader": make_staff(
            city, "leader.kodomo@example.jp", role=Role.DX_LEADER, department=kodomo
        ),
        "member": make_staff(city, "member@example.jp", role=Role.DX_COMMITTEE),
        "chair": make_staff(city, "cio@example.jp", role=Role.DX_COMMITTEE_CHAIR),
        "adviser": make_staff(city, "adviser@example.jp", role=Role.DIGITAL_ADVISOR),
        "admin": make_staff(city, "admin@example.jp", role=Role.PLATFORM_ADMIN),
    }
    return {name: (type(thing), thing.pk) for name, thing in made.items()}


@pytest.fixture
def world(db: Any, table_copies: TableCopies) -> PlanWorld:
    """亀山市 with the real plan imported and a member of staff in each plan role; built
    once per worker, then copied (``machi.testing.copies``)."""
    keys = table_copies.load("plan world", _build_world)
    return PlanWorld(**{name: model.objects.get(pk=pk) for name, (model, pk) in keys.items()})


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
