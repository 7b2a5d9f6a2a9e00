"""KPI figures entered by staff: actual values per fiscal year, with their source."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from machi.core.audit_actions import AuditAction
from machi.core.models import Municipality, User
from machi.core.services.audit import audit_record
from machi.plan.models import KPI, KPIValue, KPIValueKind
from machi.plan.permissions import can_enter_actuals
from machi.plan.services._common import (
    check_fiscal_year,
    check_in_range,
    parse_figure,
)


@transaction.atomic
def kpi_actual_record(
    *,
    actor: User,
    municipality: Municipality,
    kpi: KPI,
    fiscal_year: int,
    value: str | Decimal,
    source_note: str,
) -> KPIValue:
    """Record (or correct) the actual figure of one fiscal year. Corrections are audited."""
    if kpi.plan.municipality_id != municipality.pk:
        raise PermissionDenied(_("This KPI belongs to another municipality."))
    if not can_enter_actuals(actor, kpi, municipality):
        raise PermissionDenied(_("Only the KPI's department can enter its figures."))
    check_fiscal_year(kpi.plan, fiscal_year, "fiscal_year")
    if fiscal_year > municipality.current_fiscal_year():
        raise ValidationError(
            {"fiscal_year": _("Actual figures can be entered once the fiscal year has begun.")},
            code="future",
        )
    number = parse_figure(value, "value")
    check_in_range(number, kpi.minimum, kpi.maximum, "value")
    source = (source_note or "").strip()
    if not source:
        raise ValidationError(
            {"source_note": _("Say where the figure comes from (for example 市民課集計).")},
            code="required",
        )
    if len(source) > 200:
        raise ValidationError(
            {"source_note": _("The source is longer than 200 characters.")}, code="max_length"
        )
    previous = (
        KPIValue.objects.select_for_update()
        .filter(kpi=kpi, kind=KPIValueKind.ACTUAL, fiscal_year=fiscal_year)
        .first()
    )
    old_value = str(previous.value) if previous else None
    entry, _created = KPIValue.objects.update_or_create(
        kpi=kpi,
        kind=KPIValueKind.ACTUAL,
        fiscal_year=fiscal_year,
        defaults={
            "value": number,
            "source_note": source,
            "entered_by": actor,
            "entered_by_label": str(actor),
            "entered_at": timezone.now(),
        },
    )
    audit_record(
        action=AuditAction.PLAN_KPI_ACTUAL,
        actor=actor,
        municipality=municipality,
        target=kpi,
        data={"fiscal_year": fiscal_year, "value": str(number), "previous": old_value},
    )
    return entry


AUTOMATIC_LABEL_MAX = 150


@transaction.atomic
def kpi_actual_record_automatic(
    *,
    municipality: Municipality,
    kpi: KPI,
    fiscal_year: int,
    value: Decimal,
    source_note: str,
    recorded_by: str,
) -> tuple[KPIValue, bool]:
    """Record the actual figure of one fiscal year counted by machi itself (another app's
    figures, e.g. notices' delivery counts), with no person entering it.

    ``recorded_by`` names what counted it (shown as 登録者). Idempotent: the same value
    again changes nothing and writes no audit entry; a new value of the same fiscal year
    replaces the previous one (audited, with the previous value). Returns the entry and
    whether it changed."""
    if kpi.plan.municipality_id != municipality.pk:
        raise PermissionDenied(_("This KPI belongs to another municipality."))
    check_fiscal_year(kpi.plan, fiscal_year, "fiscal_year")
    if fiscal_year > municipality.current_fiscal_year():
        raise ValidationError(
            {"fiscal_year": _("Actual figures can be entered once the fiscal year has begun.")},
            code="future",
        )
    number = parse_figure(value, "value")
    check_in_range(number, kpi.minimum, kpi.maximum, "value")
    source = source_note.strip()[:200]
    previous = (
        KPIValue.objects.select_for_update()
        .filter(kpi=kpi, kind=KPIValueKind.ACTUAL, fiscal_year=fiscal_year)
        .first()
    )
    if previous is not None and previous.value == number and previous.source_note == source:
        return previous, False
    entry, _created = KPIValue.objects.update_or_create(
        kpi=kpi,
        kind=KPIValueKind.ACTUAL,
        fiscal_year=fiscal_year,
        defaults={
            "value": number,
            "source_note": source,
            "entered_by": None,
            "entered_by_label": recorded_by[:AUTOMATIC_LABEL_MAX],
            "entered_at": timezone.now(),
        },
    )
    audit_record(
        action=AuditAction.PLAN_KPI_ACTUAL,
        municipality=municipality,
        target=kpi,
        data={
            "fiscal_year": fiscal_year,
            "value": str(number),
            "previous": str(previous.value) if previous else None,
            "recorded_by": recorded_by,
        },
    )
    return entry, True
