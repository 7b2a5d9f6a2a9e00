"""KPI actual figures: typed the Japanese way, checked against the KPI's range and period."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from machi.core.models import AuditEntry, Municipality
from machi.plan.models import KPIValue
from machi.plan.services.kpis import kpi_actual_record, kpi_actual_record_automatic
from machi.plan.tests.conftest import PlanWorld

pytestmark = pytest.mark.django_db


def _record(world: PlanWorld, **overrides: object) -> KPIValue:
    values: dict[str, object] = {"fiscal_year": 2024, "value": "61.5", "source_note": "課集計"}
    values.update(overrides)
    return kpi_actual_record(
        actor=world.clerk,
        municipality=world.city,
        kpi=world.kpi,
        **values,  # type: ignore[arg-type]
    )


def test_full_width_digits_are_accepted_and_who_entered_it_is_kept(world: PlanWorld) -> None:
    entry = _record(world, value="６１．５")
    assert entry.value == Decimal("61.5")
    assert entry.entered_by == world.clerk
    assert AuditEntry.objects.filter(action="plan.kpi_actual").count() == 1
    corrected = _record(world, value="62")
    assert corrected.pk == entry.pk and corrected.value == Decimal("62")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"value": "六十"}, "value"),
        ({"value": "101"}, "value"),
        ({"value": "-1"}, "value"),
        ({"value": "1.2345"}, "value"),
        ({"value": "123456789012"}, "value"),
        ({"fiscal_year": 2030}, "fiscal_year"),
        ({"fiscal_year": 2027}, "fiscal_year"),
        ({"source_note": " "}, "source_note"),
    ],
)
def test_bad_figures_are_refused_naming_the_field(
    world: PlanWorld, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _record(world, **overrides)
    assert field in refused.value.message_dict
    assert not KPIValue.objects.filter(kpi=world.kpi, kind="actual", fiscal_year=2024).exists()


def test_other_departments_and_advisers_cannot_enter_figures(world: PlanWorld) -> None:
    for outsider in (world.adviser, world.member):
        with pytest.raises(PermissionDenied):
            kpi_actual_record(
                actor=outsider,
                municipality=world.city,
                kpi=world.kpi,
                fiscal_year=2024,
                value="50",
                source_note="x",
            )


def test_a_figure_counted_by_machi_is_recorded_once_and_audited_on_change(
    world: PlanWorld, other_city: Municipality
) -> None:
    def record(value: str) -> tuple[KPIValue, bool]:
        return kpi_actual_record_automatic(
            municipality=world.city,
            kpi=world.kpi,
            fiscal_year=2024,
            value=Decimal(value),
            source_note="お知らせ配信の自動集計",
            recorded_by="machi（自動集計）",
        )

    entry, changed = record("40")
    assert changed and entry.entered_by is None and entry.entered_by_label == "machi（自動集計）"
    assert record("40") == (entry, False)
    assert AuditEntry.objects.filter(action="plan.kpi_actual").count() == 1
    assert record("41")[1] is True
    assert AuditEntry.objects.filter(action="plan.kpi_actual").count() == 2
    assert KPIValue.objects.filter(kpi=world.kpi, kind="actual", fiscal_year=2024).count() == 1
    with pytest.raises(PermissionDenied):
        kpi_actual_record_automatic(
            municipality=other_city,
            kpi=world.kpi,
            fiscal_year=2024,
            value=Decimal(1),
            source_note="x",
            recorded_by="machi",
        )
