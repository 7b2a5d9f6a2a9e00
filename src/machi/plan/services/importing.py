"""plan_import: load a checked plan file into the database, all or nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from machi.core.audit_actions import AuditAction
from machi.core.models import Department, Municipality, User
from machi.core.services.audit import audit_record
from machi.plan.models import (
    KPI,
    BasicPolicy,
    Initiative,
    KPIValue,
    KPIValueKind,
    Measure,
    Plan,
)
from machi.plan.plan_file import PlanFile, PlanFileInvalid, PlanFileProblem

M = TypeVar("M", bound=models.Model)


@dataclass
class ImportReport:
    plan: Plan
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, state: str) -> None:
        if state == "unchanged":
            return
        bucket = self.created if state == "created" else self.updated
        bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> tuple[M, str]:
    """Create or update one row; save only what differs, so a re-import writes nothing."""
    row = model._default_manager.filter(**lookup).first()
    if row is None:
        return model._default_manager.create(**lookup, **values), "created"
    changed = [name for name, value in values.items() if _field_value(row, name) != value]
    if not changed:
        return row, "unchanged"
    for name in changed:
        setattr(row, name, values[name])
    row.save()
    return row, "updated"


def _field_value(row: models.Model, name: str) -> Any:
    field = row._meta.get_field(name)
    if field.is_relation:
        return getattr(row, getattr(field, "attname", name)) and getattr(row, name)
    return getattr(row, name)


@transaction.atomic
def plan_import(*, actor: User | None, plan_file: PlanFile, source_label: str) -> ImportReport:
    """Create or update the plan in ``plan_file``. Nothing is saved if any row is refused.

    Rows are matched by number (policies, measures) and code (initiatives, KPIs), so
    importing the same file twice changes nothing. Rows missing from the file are kept.
    """
    problems: list[PlanFileProblem] = []
    header = plan_file.plan
    municipality = Municipality.objects.filter(code=plan_file.municipality_code).first()
    if municipality is None:
        raise PlanFileInvalid(
            [
                PlanFileProblem(
                    1,
                    _("municipality %(code)s is not set up here (manage.py municipality_upsert).")
                    % {"code": plan_file.municipality_code},
                )
            ]
        )
    plan = Plan.objects.select_for_update().filter(municipality=municipality, code=header.code)
    existing = plan.first()
    report = ImportReport(plan=existing or Plan())
    if plan_file.policies:
        report.plan = _upsert_plan(municipality, plan_file, report)
    elif existing is None:
        raise PlanFileInvalid(
            [
                PlanFileProblem(
                    header.line,
                    _("plan “%(code)s” does not exist yet: import its policies first.")
                    % {"code": header.code},
                )
            ]
        )
    plan_obj = report.plan
    measures = {m.key: m for m in Measure.objects.filter(plan=plan_obj).select_related("policy")}
    departments = {d.code: d for d in Department.objects.filter(municipality=municipality)}
    initiatives = {i.code: i for i in Initiative.objects.filter(plan=plan_obj)}
    now = timezone.now()

    for row in plan_file.initiatives:
        measure = measures.get(row.measure_key)
        department = departments.get(row.department_code)
        row_problems = _period_problems(plan_obj, row.line_of("schedule"), row.schedule)
        if measure is None:
            row_problems.append(_no_measure(row.line_of("measure"), row.measure_key))
        if department is None:
            row_problems.append(
                PlanFileProblem(
                    row.line_of("department"),
                    _("department “%(code)s” does not exist in %(city)s.")
                    % {"code": row.department_code, "city": municipality.name},
                )
            )
        if row_problems:
            problems.extend(row_problems)
            continue
        initiative, state = _upsert(
            Initiative,
            {"plan": plan_obj, "code": row.code},
            {
                "measure": measure,
                "title": row.title,
                "department": department,
                "status": row.status,
                "description": row.description,
                "schedule": {str(year): text for year, text in sorted(row.schedule.items())},
                "is_demo": row.is_demo,
            },
        )
        initiatives[row.code] = initiative
        report.count("initiatives", state)

    entered_by_label = str(actor) if actor else _("import: %(file)s") % {"file": source_label}
    for kpi_row in plan_file.kpis:
        measure = measures.get(kpi_row.measure_key)
        row_problems = _period_problems(plan_obj, kpi_row.line_of("targets"), kpi_row.targets)
        for actual_row in kpi_row.actuals:
            row_problems += _period_problems(plan_obj, actual_row.line, {actual_row.fiscal_year: 0})
        if measure is None:
            row_problems.append(_no_measure(kpi_row.line_of("measure"), kpi_row.measure_key))
        kpi_initiative: Initiative | None = None
        if kpi_row.initiative_code:
            kpi_initiative = initiatives.get(kpi_row.initiative_code)
            if kpi_initiative is None or (measure and kpi_initiative.measure_id != measure.pk):
                row_problems.append(
                    PlanFileProblem(
                        kpi_row.line_of("initiative"),
                        _("initiative “%(code)s” is not an initiative of measure %(measure)s.")
                        % {"code": kpi_row.initiative_code, "measure": kpi_row.measure_key},
                    )
                )
        if (
            kpi_row.baseline_fiscal_year is not None
            and kpi_row.baseline_fiscal_year > plan_obj.last_fiscal_year
        ):
            row_problems.append(
                PlanFileProblem(
                    kpi_row.line, _("the baseline fiscal year is after the plan period.")
                )
            )
        if row_problems:
            problems.extend(row_problems)
            continue
        kpi, state = _upsert(
            KPI,
            {"plan": plan_obj, "code": kpi_row.code},
            {
                "measure": measure,
                "initiative": kpi_initiative,
                "name": kpi_row.name,
                "unit": kpi_row.unit,
                "direction": kpi_row.direction,
                "description": kpi_row.description,
                "minimum": kpi_row.minimum,
                "maximum": kpi_row.maximum,
                "baseline_fiscal_year": kpi_row.baseline_fiscal_year,
                "baseline_value": kpi_row.baseline_value,
                "is_demo": kpi_row.is_demo,
            },
        )
        report.count("kpis", state)
        for year, value in kpi_row.targets.items():
            state = _put_value(
                kpi, KPIValueKind.TARGET, year, value, "", actor, entered_by_label, now
            )
            report.count("kpi values", state)
        for actual in kpi_row.actuals:
            state = _put_value(
                kpi,
                KPIValueKind.ACTUAL,
                actual.fiscal_year,
                actual.value,
                actual.source,
                actor,
                entered_by_label,
                now,
            )
            report.count("kpi values", state)

    if problems:
        raise PlanFileInvalid(sorted(problems, key=lambda p: p.line))
    if not report.changed:
        return report
    audit_record(
        action=AuditAction.PLAN_IMPORT,
        actor=actor,
        municipality=municipality,
        target=plan_obj,
        data={"source": source_label, "created": report.created, "updated": report.updated},
    )
    return report


def _upsert_plan(municipality: Municipality, plan_file: PlanFile, report: ImportReport) -> Plan:
    header = plan_file.plan
    plan, state = _upsert(
        Plan,
        {"municipality": municipality, "code": header.code},
        {
            "name": header.name or "",
            "name_en": header.name_en,
            "adopted": header.adopted,
            "first_fiscal_year": header.first_fiscal_year,
            "last_fiscal_year": header.last_fiscal_year,
            "principle": header.principle or "",
            "principle_description": header.principle_description,
            "source": header.source,
        },
    )
    report.count("plans", state)
    for policy_row in plan_file.policies:
        policy, state = _upsert(
            BasicPolicy,
            {"plan": plan, "number": policy_row.number},
            {"title": policy_row.title, "description": policy_row.description},
        )
        report.count("policies", state)
        for measure_row in policy_row.measures:
            _measure, state = _upsert(
                Measure,
                {"policy": policy, "number": measure_row.number},
                {
                    "plan": plan,
                    "title": measure_row.title,
                    "description": measure_row.description,
                },
            )
            report.count("measures", state)
    return plan


def _put_value(
    kpi: KPI,
    kind: str,
    fiscal_year: int,
    value: object,
    source: str,
    actor: User | None,
    label: str,
    now: object,
) -> str:
    current = KPIValue.objects.filter(kpi=kpi, kind=kind, fiscal_year=fiscal_year).first()
    if current is not None and current.value == value and current.source_note == source:
        return "unchanged"  # keep who entered it and when
    KPIValue.objects.update_or_create(
        kpi=kpi,
        kind=kind,
        fiscal_year=fiscal_year,
        defaults={
            "value": value,
            "source_note": source,
            "entered_by": actor,
            "entered_by_label": label,
            "entered_at": now,
        },
    )
    return "created" if current is None else "updated"


def _period_problems(plan: Plan, line: int, by_year: Mapping[int, object]) -> list[PlanFileProblem]:
    return [
        PlanFileProblem(
            line,
            _("fiscal year %(year)d is outside the plan period %(first)d–%(last)d.")
            % {"year": year, "first": plan.first_fiscal_year, "last": plan.last_fiscal_year},
        )
        for year in sorted(by_year)
        if not plan.covers(year)
    ]


def _no_measure(line: int, key: str) -> PlanFileProblem:
    return PlanFileProblem(line, _("measure %(key)s is not in this plan.") % {"key": key})
