"""Template helpers for the plan pages: fiscal years, labels, figures and KPI charts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from machi.core.templatetags.content import needs_mark
from machi.plan.charts import ChartLabels, ChartPoint, KPIChart, format_number, kpi_chart_svg
from machi.plan.labels import fiscal_year_name, measure_label, policy_label
from machi.plan.models import KPI, BasicPolicy, Direction, Measure, Plan
from machi.plan.selectors import KPISeries

register = template.Library()


@register.filter
def fiscal_year(year: int | None) -> str:
    """2023 → 令和5年度 (FY2023 on an English page)."""
    return fiscal_year_name(int(year)) if year else ""


@register.filter(name="policy_label")
def policy_label_filter(policy: BasicPolicy) -> str:
    """基本方針2 (Basic policy 2 on an English page)."""
    return policy_label(policy)


@register.filter(name="measure_label")
def measure_label_filter(measure: Measure) -> str:
    """基本方針2 (6) (Basic policy 2 (6) on an English page)."""
    return measure_label(measure)


@register.filter
def figure(value: Decimal | None) -> str:
    return format_number(Decimal(value)) if value is not None else "—"


def _with_unit(value: Decimal, kpi: KPI) -> str:
    """A figure and its unit inside a sentence. On an English page a Japanese unit (件, 人)
    is content written by staff: it follows the figure in brackets, as a gloss."""
    if needs_mark(kpi.unit):
        return f"{format_number(value)} ({kpi.unit})"
    return f"{format_number(value)}{kpi.unit}"


def _summary(series: KPISeries) -> str:
    kpi = series.kpi
    parts = []
    if kpi.baseline_value is not None and kpi.baseline_fiscal_year:
        parts.append(
            _("Baseline %(value)s in %(year)s.")
            % {
                "value": _with_unit(kpi.baseline_value, kpi),
                "year": fiscal_year_name(kpi.baseline_fiscal_year),
            }
        )
    latest = series.latest_actual
    if latest is not None:
        parts.append(
            _("Latest actual %(value)s in %(year)s.")
            % {
                "value": _with_unit(latest.value, kpi),
                "year": fiscal_year_name(latest.fiscal_year),
            }
        )
    if series.targets:
        last = max(series.targets)
        parts.append(
            _("Target %(value)s in %(year)s.")
            % {
                "value": _with_unit(series.targets[last], kpi),
                "year": fiscal_year_name(last),
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
            fiscal_year=fiscal_year_name,
            summary=_summary(series),
            figure=lambda value: _with_unit(value, kpi),
            lang_of=lambda text: "ja" if needs_mark(text) else "",
        ),
    )
    # The SVG escapes every text it contains (machi.plan.charts).
    return mark_safe(kpi_chart_svg(chart, chart_id=f"kpi-{kpi.pk}"))  # noqa: S308


@register.filter
def kpi_rows(series: KPISeries, plan: Plan) -> list[Any]:
    return list(series.rows(plan))
