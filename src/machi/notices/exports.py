"""効果検証 as CSV: the dashboard's two tables, for Excel (UTF-8 with a BOM, Japanese
headings, every cell made safe from formulas by ``machi.core.csv_files``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone, translation

from machi.core.csv_files import safe_csv_bytes
from machi.notices.selectors import ChannelFigures, NoticeFigures, PeriodFigures

FIGURES_HEADER = (
    "配信対象（通）",
    "送信（通）",
    "配信済み（通）",
    "不達（通）",
    "クリックされた通数",
    "クリック数（延べ）",
    "クリック率（%）",
)
BY_NOTICE_HEADER = ("お知らせ", "公開日時", "チャネル", *FIGURES_HEADER)
OVER_TIME_HEADER = ("期間の初日", "チャネル", *FIGURES_HEADER)


def _figures(f: ChannelFigures) -> list[object]:
    rate = f.click_rate
    return [
        f.targeted,
        f.sent,
        f.delivered,
        f.failed,
        f.clicked,
        f.clicks,
        "" if rate is None else rate,
    ]


def by_notice_csv(rows: Iterable[NoticeFigures]) -> bytes:
    with translation.override("ja"):
        return safe_csv_bytes(
            (
                [
                    r.title,
                    timezone.localtime(r.published_at).strftime("%Y-%m-%d %H:%M")
                    if r.published_at
                    else "",
                    r.channel_label,
                    *_figures(r),
                ]
                for r in rows
            ),
            BY_NOTICE_HEADER,
        )


def over_time_csv(rows: Iterable[PeriodFigures]) -> bytes:
    with translation.override("ja"):
        return safe_csv_bytes(
            ([r.start.isoformat() if r.start else "", r.channel_label, *_figures(r)] for r in rows),
            OVER_TIME_HEADER,
        )
