"""効果検証 feeds the DX plan: the actual figure of measure 1-(6)'s KPIs (情報発信の多様化)
recorded from what the delivery engine counted, as open data's generators publish the
plan's KPIs.

Each :class:`KPIFigure` is one figure machi can count honestly and the words a KPI's name
must contain for it to be that figure (亀山市's demo plan: 「市公式LINEの友だち登録者数」 is
the LINE subscribers). A KPI of measure 1-(6) that matches no figure is left for staff to
enter. The figure is recorded for the current fiscal year, in every plan of the
municipality whose period covers it; running again the same day, or any day with the same
count, changes nothing (``kpi_actual_record_automatic`` is idempotent per fiscal year).
Runs nightly (celery beat: ``notices.plan_kpis_record``), on demand with
``manage.py notices_record_kpis`` or the dashboard's button, and in the demo loader.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from machi.core.models import Municipality
from machi.notices.models import Channel, Message, MessageStatus
from machi.notices.selectors import active_subscriptions_by_channel
from machi.plan.models import KPI
from machi.plan.services.kpis import kpi_actual_record_automatic

MEASURE = (1, 6)  # 基本方針1 (6) 情報発信の多様化の検討
RECORDED_BY = "machi（お知らせ配信の自動集計）"


def _fiscal_year_start(municipality: Municipality, fiscal_year: int) -> dt.datetime:
    first = dt.date(fiscal_year, municipality.fiscal_year_start_month, 1)
    return timezone.make_aware(dt.datetime.combine(first, dt.time()))


def _line_subscribers(municipality: Municipality, fiscal_year: int, now: dt.datetime) -> int:
    return active_subscriptions_by_channel(municipality=municipality, at=now)[Channel.LINE]


def _subscribers(municipality: Municipality, fiscal_year: int, now: dt.datetime) -> int:
    return sum(active_subscriptions_by_channel(municipality=municipality, at=now).values())


def _delivered(municipality: Municipality, fiscal_year: int, now: dt.datetime) -> int:
    return Message.objects.filter(
        municipality=municipality,
        notice__isnull=False,
        status=MessageStatus.DELIVERED,
        created_at__gte=_fiscal_year_start(municipality, fiscal_year),
        created_at__lte=now,
    ).count()


def _channels(municipality: Municipality, fiscal_year: int, now: dt.datetime) -> int:
    return (
        Message.objects.filter(
            municipality=municipality,
            notice__isnull=False,
            status=MessageStatus.DELIVERED,
            created_at__gte=_fiscal_year_start(municipality, fiscal_year),
            created_at__lte=now,
        )
        .values("channel")
        .distinct()
        .count()
    )


@dataclass(frozen=True)
class KPIFigure:
    key: str
    words: tuple[str, ...]  # every one is in the KPI's name (NFKC, case as written)
    count: Callable[[Municipality, int, dt.datetime], int]
    source: str  # the KPI value's 出典


# The first figure whose words all appear in a KPI's name is its figure.
FIGURES = (
    KPIFigure(
        "line-subscribers",
        ("LINE", "登録"),
        _line_subscribers,
        "machiお知らせ配信のLINE購読者数（自動集計）",
    ),
    KPIFigure(
        "channels",
        ("チャネル",),
        _channels,
        "machiお知らせ配信で配信実績のあるチャネル数（自動集計）",
    ),
    KPIFigure(
        "subscribers",
        ("登録者",),
        _subscribers,
        "machiお知らせ配信の購読者数（全チャネル、自動集計）",
    ),
    KPIFigure(
        "delivered", ("配信", "件"), _delivered, "machiお知らせ配信の配信済み通数（自動集計）"
    ),
)


def figure_for(kpi: KPI) -> KPIFigure | None:
    for figure in FIGURES:
        if all(word in kpi.name for word in figure.words):
            return figure
    return None


@dataclass(frozen=True)
class KPIRecorded:
    """What one run did for one KPI."""

    kpi_code: str
    kpi_name: str
    fiscal_year: int
    value: Decimal
    changed: bool


def plan_kpis_record(
    *, municipality: Municipality, now: dt.datetime | None = None
) -> list[KPIRecorded]:
    """Record this fiscal year's actual of each countable KPI of measure 1-(6)."""
    now = now or timezone.now()
    fiscal_year = municipality.current_fiscal_year(timezone.localdate(now))
    kpis = (
        KPI.objects.filter(
            plan__municipality=municipality,
            plan__first_fiscal_year__lte=fiscal_year,
            plan__last_fiscal_year__gte=fiscal_year,
            measure__policy__number=MEASURE[0],
            measure__number=MEASURE[1],
        )
        .select_related("plan")
        .order_by("plan__code", "code")
    )
    done = []
    for kpi in kpis:
        figure = figure_for(kpi)
        if figure is None:
            continue
        value = Decimal(figure.count(municipality, fiscal_year, now))
        _entry, changed = kpi_actual_record_automatic(
            municipality=municipality,
            kpi=kpi,
            fiscal_year=fiscal_year,
            value=value,
            source_note=figure.source,
            recorded_by=RECORDED_BY,
        )
        done.append(KPIRecorded(kpi.code, kpi.name, fiscal_year, value, changed))
    return done
