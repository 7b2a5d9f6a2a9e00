"""Department statistics: volume per procedure per month, processing time (median and 90th
percentile, in days from receipt to decision), overdue cases, and the share filed online,
through the API or at the counter. A fixed number of queries whatever the case count."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from machi.casework.selectors import department_ids_of
from machi.core.models import Municipality, User
from machi.procedures.models import (
    FINISHED_STATUSES,
    Channel,
    Procedure,
    Submission,
    SubmissionStatus,
)

DECIDED_STATUSES = [SubmissionStatus.COMPLETED, SubmissionStatus.REJECTED]
OPEN_STATUSES = [s for s in SubmissionStatus.values if s not in FINISHED_STATUSES]


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
    """The first day of the month ``back`` months before ``day``'s (negative: after)."""
    year, month = divmod(day.year * 12 + day.month - 1 - back, 12)
    return dt.date(year, month + 1, 1)


def quantile_of_histogram(histogram: list[tuple[int, int]], q: float) -> float:
    """The q-quantile of values given as sorted ``(value, count)`` pairs, interpolated
    between neighbours like ``statistics.quantiles(method="inclusive")``."""
    total = sum(count for _value, count in histogram)
    position = q * (total - 1)
    low_index, fraction = int(position), position - int(position)
    low = high = None
    seen = 0
    for value, count in histogram:
        if low is None and low_index < seen + count:
            low = value
        if low_index + 1 < seen + count:
            high = value
            break
        seen += count
    assert low is not None
    return low + ((high if high is not None else low) - low) * fraction


def department_statistics(
    *, user: User, municipality: Municipality, months: int = 12, today: dt.date | None = None
) -> Statistics:
    today = today or timezone.localdate()
    zone = ZoneInfo(settings.TIME_ZONE)
    month_list = [_month_start(today, back) for back in range(months - 1, -1, -1)]
    bounds = [dt.datetime.combine(month, dt.time(), tzinfo=zone) for month in month_list]
    bounds.append(dt.datetime.combine(_month_start(today, -1), dt.time(), tzinfo=zone))
    # Read from the applications themselves (each has exactly one case, in the same
    # department): volume, channel and processing time need no join.
    received = Submission.objects.filter(municipality=municipality, submitted_at__gte=bounds[0])
    # Overdue now, whenever received: starts from the unfinished applications (an index on
    # department and status), not from the whole history.
    open_cases = Submission.objects.filter(
        municipality=municipality, status__in=OPEN_STATUSES, case__due_on__lt=today
    )
    department_ids = department_ids_of(user=user, municipality=municipality)
    if department_ids is not None:
        received = received.filter(department__in=department_ids)
        open_cases = open_cases.filter(department__in=department_ids)
    # Counts per month as conditional aggregates (no per-row date functions), grouped by
    # procedure and channel: one pass over the period.
    per_month = {
        f"m{index}": Count("pk", filter=Q(submitted_at__gte=start, submitted_at__lt=end))
        for index, (start, end) in enumerate(pairwise(bounds))
    }
    grouped = list(
        received.order_by().values("procedure", "channel").annotate(n=Count("pk"), **per_month)
    )
    # Processing time as a histogram of whole hours: a few rows per procedure, however
    # many applications were decided.
    histogram = (
        received.filter(status__in=DECIDED_STATUSES)
        .values_list("procedure", "processing_hours")
        .annotate(n=Count("pk"))
        .order_by("procedure", "processing_hours")
    )
    # Grouping by department too lets SQLite seek the (department, status) index.
    overdue: dict[Any, int] = defaultdict(int)
    for _department, procedure_id, count in (
        open_cases.order_by().values_list("department", "procedure").annotate(n=Count("pk"))
    ):
        overdue[procedure_id] += count
    procedures = Procedure.objects.filter(
        pk__in={row["procedure"] for row in grouped} | set(overdue)
    )
    figures = {str(p.pk): ProcedureFigures(p) for p in procedures.order_by("order", "code")}
    volume: dict[tuple[str, dt.date], int] = defaultdict(int)
    for row in grouped:
        key = str(row["procedure"])
        figures[key].total += row["n"]
        figures[key].channels[row["channel"]] = row["n"]
        for index, month in enumerate(month_list):
            volume[(key, month)] += row[f"m{index}"]
    for procedure_id, count in overdue.items():
        figures[str(procedure_id)].overdue = count
    hours: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for procedure_id, value, count in histogram:
        if value is not None:
            hours[str(procedure_id)].append((value, count))
    for key, values in hours.items():
        figures[key].median_days = round(quantile_of_histogram(values, 0.5) / 24, 1)
        figures[key].p90_days = round(quantile_of_histogram(values, 0.9) / 24, 1)
    totals = [sum(volume.get((key, month), 0) for key in figures) for month in month_list]
    return Statistics(month_list, list(figures.values()), dict(volume), totals)
