"""Template helpers for the plan pages: 和暦 fiscal years, figures and KPI charts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from machi.core.japanese.fiscal_year import fiscal_year_label
from machi.plan.charts import ChartLabels, ChartPoint, KPIChart, format_number, kpi_chart_svg
from machi.plan.models import Direction, Plan
from machi.plan.selectors import KPISeries

register = template.Library()


@register.filter
def wareki_fy(year: int | None) -> str:
    """2023 → 令和5年度."""
    return fiscal_year_label(int(year)) if year else ""


@register.filter
def figure(value: Decimal | None) -> str:
    return format_number(Decimal(value)) if value is not None else "—"


def _summary(series: KPISeries) -> str:
    kpi = series.kpi
    parts = []
    if kpi.baseline_value is not None and kpi.baseline_fiscal_year:
        parts.append(
            _("Baseline %(value)s%(unit)s in %(year)s.")
            % {
                "value": format_number(kpi.baseline_value),
                "unit": kpi.unit,
                "year": fiscal_year_label(kpi.baseline_fiscal_year),
            }
        )
    latest = series.latest_actual
    if latest is not None:
        parts.append(
            _("Latest actual %(value)s%(unit)s in %(year)s.")
            % {
                "value": format_number(latest.value),
                "unit": kpi.unit,
                "year": fiscal_year_label(latest.fiscal_year),
            }
        )
    if series.targets:
        last = max(series.targets)
        parts.append(
            _("Target %(value)s%(unit)s in %(year)s.")
            % {
                "value": format_number(series.targets[last]),
                "unit": kpi.unit,
                "year": fiscal_year_label(last),
            }
        )
    parts.append(
        _("Higher is better.") if kpi.direction == Direction.HIGHER else _("Lower is better.")
    )
    return " ".join(parts)


@register.simple_tag
def kpi_chart(series: KPISeries, plan: Plan) -> SafeString:
    kpi = series.kpi
    baseline = None
    if kpi.baseline_value is not None and kpi.baseline_fiscal_year:
        baseline = ChartPoint(kpi.baseline_fiscal_year, kpi.baseline_value)
    chart = KPIChart(
        title=kpi.name,
        unit=kpi.unit,
        first_fiscal_year=plan.first_fiscal_year,
        last_fiscal_year=plan.last_fiscal_year,
        baseline=baseline,
        actuals=tuple(ChartPoint(y, v.value) for y, v in sorted(series.actuals.items())),
        targets=tuple(ChartPoint(y, v) for y, v in sorted(series.targets.items())),
        labels=ChartLabels(
            baseline=_("Baseline"),
            actual=_("Actual"),
            target=_("Target"),
            fiscal_year=fiscal_year_label,
            summary=_summary(series),
        ),
    )
    # The SVG escapes every text it contains (machi.plan.charts).
    return mark_safe(kpi_chart_svg(chart, chart_id=f"kpi-{kpi.pk}"))  # noqa: S308


@register.filter
def kpi_rows(series: KPISeries, plan: Plan) -> list[Any]:
    return list(series.rows(plan))
