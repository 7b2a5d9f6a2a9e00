"""効果検証: how each channel reached residents, per notice and over weeks or months, as
charts with their tables and as CSV; and recording the DX plan's KPI from the figures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from machi.core.access import staff_required
from machi.core.csv_files import csv_attachment
from machi.core.models import User
from machi.core.permissions import has_role
from machi.core.tenant_request import MunicipalRequest
from machi.notices import charts, exports, selectors
from machi.notices.models import Channel
from machi.notices.permissions import WRITER_ROLES
from machi.notices.selectors import MeasurePeriod, PeriodFigures
from machi.notices.services.measure import plan_kpis_record


def _user(request: MunicipalRequest) -> User:
    """Staff who write or approve notices (notices.permissions.WRITER_ROLES)."""
    user = request.user
    assert isinstance(user, User)
    if not has_role(user, request.municipality, WRITER_ROLES):
        raise PermissionDenied(_("This page is for staff who write notices."))
    return user


def _period(request: MunicipalRequest) -> str:
    period = request.GET.get("period", "")
    return period if period in MeasurePeriod.UNITS else MeasurePeriod.DEFAULT


def _period_choices() -> list[tuple[str, str]]:
    return [
        (MeasurePeriod.WEEKS_8, _("The last 8 weeks, by week")),
        (MeasurePeriod.WEEKS_26, _("The last 26 weeks, by week")),
        (MeasurePeriod.MONTHS_6, _("The last 6 months, by month")),
        (MeasurePeriod.MONTHS_12, _("The last 12 months, by month")),
    ]


def _label(f: PeriodFigures, period: str) -> str:
    assert f.start is not None
    unit, _count = MeasurePeriod.UNITS[period]
    return f.start.strftime("%m/%d") if unit == "week" else f.start.strftime("%Y-%m")


def _charts(over_time: list[PeriodFigures], period: str) -> list[dict[str, Any]]:
    starts: list[str] = []
    by_channel: dict[str, list[PeriodFigures]] = {}
    for f in over_time:
        label = _label(f, period)
        if label not in starts:
            starts.append(label)
        by_channel.setdefault(f.channel, []).append(f)
    names = {c: str(Channel(c).label) for c in by_channel}
    delivered = [
        charts.Series(names[c], [float(f.delivered) for f in rows])
        for c, rows in by_channel.items()
    ]
    rate = [
        charts.Series(
            names[c],
            [None if f.click_rate is None else float(f.click_rate) for f in rows],
        )
        for c, rows in by_channel.items()
    ]
    legend = [
        format_html("{} {}", mark_safe(charts.legend_swatch(i)), names[c])  # noqa: S308 -- our own SVG, no input
        for i, c in enumerate(by_channel)
    ]
    return [
        {
            "id": "chart-delivered",
            "caption": _("Messages delivered per channel"),
            "svg": mark_safe(  # noqa: S308 -- every string in it is escaped
                charts.line_chart_svg(
                    chart_id="chart-delivered",
                    title=_("Messages delivered per channel"),
                    summary=_(
                        "Lines per channel of the messages delivered in each period. "
                        "The figures are in the table below the charts."
                    ),
                    labels=starts,
                    series=delivered,
                    tip=_("{series}, {label}: {value} delivered"),
                )
            ),
            "legend": legend,
        },
        {
            "id": "chart-rate",
            "caption": _("Click rate per channel (clicked messages per delivered message)"),
            "svg": mark_safe(  # noqa: S308 -- every string in it is escaped
                charts.line_chart_svg(
                    chart_id="chart-rate",
                    title=_("Click rate per channel"),
                    summary=_(
                        "Lines per channel of the share of delivered messages whose link was "
                        "followed, in per cent. A period with nothing delivered has no point. "
                        "The figures are in the table below the charts."
                    ),
                    labels=starts,
                    series=rate,
                    tip=_("{series}, {label}: {value}"),
                    unit="%",
                )
            ),
            "legend": legend,
        },
    ]


@staff_required
def measure(request: MunicipalRequest) -> HttpResponse:
    _user(request)
    period = _period(request)
    since = selectors.measure_since(period)
    over_time = selectors.measure_over_time(municipality=request.municipality, period=period)
    return render(
        request,
        "notices/staff_measure.html",
        {
            "period": period,
            "periods": _period_choices(),
            "since": since,
            "by_notice": selectors.measure_by_notice(
                municipality=request.municipality, since=since
            ),
            "over_time": [(f, _label(f, period)) for f in over_time],
            "totals": selectors.measure_totals(over_time),
            "subscribers": [
                (str(Channel(c).label), n)
                for c, n in selectors.active_subscriptions_by_channel(
                    municipality=request.municipality
                ).items()
            ],
            "charts": _charts(over_time, period),
        },
    )


def _filename(request: MunicipalRequest, what: str, period: str) -> str:
    today = timezone.localdate().strftime("%Y%m%d")
    return f"{request.municipality.code}_notices_{what}_{period}_{today}.csv"


@staff_required
def measure_by_notice_csv(request: MunicipalRequest) -> HttpResponse:
    _user(request)
    period = _period(request)
    rows = selectors.measure_by_notice(
        municipality=request.municipality, since=selectors.measure_since(period)
    )
    return csv_attachment(
        exports.by_notice_csv(rows), "utf-8-sig", _filename(request, "by_notice", period)
    )


@staff_required
def measure_over_time_csv(request: MunicipalRequest) -> HttpResponse:
    _user(request)
    period = _period(request)
    rows = selectors.measure_over_time(municipality=request.municipality, period=period)
    return csv_attachment(
        exports.over_time_csv(rows), "utf-8-sig", _filename(request, "by_channel", period)
    )


@staff_required
@require_POST
def measure_kpi_record(request: MunicipalRequest) -> HttpResponse:
    """Record the DX plan's KPI for measure 1-(6) from today's figures (as the nightly run)."""
    _user(request)
    outcomes = plan_kpis_record(municipality=request.municipality)
    if not outcomes:
        flash.info(request, _("The DX plan has no KPI for measure 1-(6) that machi can count."))
    for done in outcomes:
        values = {
            "kpi": done.kpi_code,
            "year": done.fiscal_year,
            "value": f"{done.value:,}",
        }
        if done.changed:
            flash.success(
                request, _("%(kpi)s: %(value)s recorded for fiscal year %(year)s.") % values
            )
        else:
            flash.info(request, _("%(kpi)s: fiscal year %(year)s already has %(value)s.") % values)
    return redirect("notices:staff_measure")
