"""Department statistics: volume per procedure per month, processing time (median and 90th
percentile, in days from receipt to decision), overdue cases, and the share filed online,
through the API or at the counter. A fixed number of queries whatever the case count."""

from __future__ import annotations

import datetime as dt
import html
import statistics as stats
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from machi.casework.models import Case
from machi.casework.selectors import departments_of
from machi.core.models import Municipality, User
from machi.procedures.models import FINISHED_STATUSES, Channel, Procedure


@dataclass
class ProcedureFigures:
    procedure: Procedure
    total: int = 0
    channels: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    median_days: float | None = None
    p90_days: float | None = None

    @property
    def online_share(self) -> int:
        """Percentage filed by the resident themselves (online or through the API)."""
        own = self.channels.get(Channel.ONLINE, 0) + self.channels.get(Channel.API, 0)
        return round(100 * own / self.total) if self.total else 0


@dataclass
class Statistics:
    months: list[dt.date]
    rows: list[ProcedureFigures]
    volume: dict[tuple[str, dt.date], int]
    monthly_totals: list[int]


def _month_start(day: dt.date, back: int) -> dt.date:
    year, month = day.year, day.month - back
    while month <= 0:
        month += 12
        year -= 1
    return dt.date(year, month, 1)


def department_statistics(
    *, user: User, municipality: Municipality, months: int = 12, today: dt.date | None = None
) -> Statistics:
    today = today or timezone.localdate()
    zone = ZoneInfo(settings.TIME_ZONE)
    first = _month_start(today, months - 1)
    month_list = [_month_start(today, back) for back in range(months - 1, -1, -1)]
    cases = Case.objects.filter(
        municipality=municipality,
        received_at__gte=dt.datetime.combine(first, dt.time(), tzinfo=zone),
    )
    departments = departments_of(user=user, municipality=municipality)
    if departments is not None:
        cases = cases.filter(department__in=departments)
    procedures = {
        str(p.pk): p
        for p in Procedure.objects.filter(pk__in=cases.values("procedure")).order_by(
            "order", "code"
        )
    }
    figures = {key: ProcedureFigures(procedure) for key, procedure in procedures.items()}
    volume: dict[tuple[str, dt.date], int] = {}
    by_month = (
        cases.annotate(month=TruncMonth("received_at", tzinfo=zone))
        .values("procedure", "month")
        .annotate(n=Count("id"))
    )
    for row in by_month:
        month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        volume[(str(row["procedure"]), month)] = row["n"]
        figures[str(row["procedure"])].total += row["n"]
    for row in cases.values("procedure", "submission__channel").annotate(n=Count("id")):
        figures[str(row["procedure"])].channels[row["submission__channel"]] = row["n"]
    overdue = (
        cases.filter(due_on__lt=today)
        .exclude(submission__status__in=FINISHED_STATUSES)
        .values("procedure")
        .annotate(n=Count("id"))
    )
    for row in overdue:
        figures[str(row["procedure"])].overdue = row["n"]
    durations: dict[str, list[float]] = defaultdict(list)
    finished = cases.filter(submission__status__in=["completed", "rejected"]).values_list(
        "procedure", "received_at", "submission__status_changed_at"
    )
    for procedure_id, received, decided in finished.iterator(chunk_size=5000):
        durations[str(procedure_id)].append((decided - received).total_seconds() / 86400)
    for key, values in durations.items():
        figures[key].median_days = round(stats.median(values), 1)
        figures[key].p90_days = round(
            stats.quantiles(values, n=10, method="inclusive")[-1] if len(values) > 1 else values[0],
            1,
        )
    totals = [sum(volume.get((key, month), 0) for key in procedures) for month in month_list]
    return Statistics(month_list, list(figures.values()), volume, totals)


def monthly_bar_svg(months: list[dt.date], totals: list[int], *, title: str, summary: str) -> str:
    """A bar chart of cases received per month: inline SVG with a title and description
    (the page shows the same figures in a table beside it)."""
    width, height, left, bottom, top = 640, 240, 44, 28, 12
    peak = max(totals, default=0) or 1
    step = (width - left - 8) / max(len(months), 1)
    bars = []
    for index, (month, total) in enumerate(zip(months, totals, strict=True)):
        bar_height = (height - bottom - top) * total / peak
        x = left + index * step + step * 0.15
        y = height - bottom - bar_height
        bars.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" height="{bar_height:.1f}" '
            f'fill="#0031d8"><title>{month:%Y-%m}: {total}</title></rect>'
            f'<text x="{x + step * 0.35:.1f}" y="{height - bottom + 16}" font-size="11" '
            f'text-anchor="middle" fill="#333">{month.month}</text>'
        )
    axis = (
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}" '
        f'stroke="#666"/><text x="{left - 6}" y="{top + 10}" font-size="11" text-anchor="end" '
        f'fill="#333">{peak}</text><text x="{left - 6}" y="{height - bottom}" font-size="11" '
        f'text-anchor="end" fill="#333">0</text>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="volume-chart-title volume-chart-desc" class="stats-chart">'
        f'<title id="volume-chart-title">{html.escape(title)}</title>'
        f'<desc id="volume-chart-desc">{html.escape(summary)}</desc>{axis}{"".join(bars)}</svg>'
    )
