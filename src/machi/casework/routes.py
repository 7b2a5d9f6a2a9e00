"""Approval routes (決裁ルート) as data: reading and checking a route's steps.

Each step is ``{"rank": 1-5}`` (1 係長, 2 課長, 3 部長, 4 副市長, 5 市長) with optional
``"department": "<code>"`` (default: the department that owns the case), ``"consult": true``
for 合議 (another department agrees) and ``"with_previous": true`` to run in parallel with
the step before (every parallel step must approve before the route goes on).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from machi.core.models import ApproverRank

MAX_STEPS = 12


class RouteError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class StepSpec:
    order: int
    rank: int
    department: str | None
    consult: bool


def parse_route(raw: Any, department_codes: Iterable[str]) -> list[StepSpec]:
    """The steps of a route, numbered in order (parallel steps share a number).

    Raises:
        RouteError: every problem, with the step's position.
    """
    codes = set(department_codes)
    problems: list[str] = []
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_STEPS:
        raise RouteError([_("Give from 1 to %(max)d steps.") % {"max": MAX_STEPS}])
    steps: list[StepSpec] = []
    order = 0
    for index, item in enumerate(raw):
        where = f"steps[{index}]"
        if not isinstance(item, Mapping):
            problems.append(f"{where}: " + _('Each step is an object such as {"rank": 2}.'))
            continue
        unknown = set(item) - {"rank", "department", "consult", "with_previous"}
        if unknown:
            problems.append(f"{where}: " + _("Unknown setting.") + " " + ", ".join(sorted(unknown)))
        rank = item.get("rank")
        if rank not in ApproverRank.values:
            problems.append(
                f"{where}.rank: " + _("Use 1 (係長), 2 (課長), 3 (部長), 4 (副市長) or 5 (市長).")
            )
            continue
        department = item.get("department")
        if department is not None and str(department) not in codes:
            problems.append(f"{where}.department: " + _("No department has this code."))
        consult = bool(item.get("consult", False))
        if consult and department is None:
            problems.append(f"{where}.consult: " + _("A 合議 step names the other department."))
        parallel = bool(item.get("with_previous", False))
        if parallel and index == 0:
            problems.append(f"{where}.with_previous: " + _("The first step has no step before it."))
        if not parallel or index == 0:
            order += 1
        steps.append(
            StepSpec(order, int(rank), str(department) if department is not None else None, consult)
        )
    if problems:
        raise RouteError(problems)
    return steps
