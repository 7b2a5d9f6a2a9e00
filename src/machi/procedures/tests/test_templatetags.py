"""Dates on the resident pages are in Japan's time, in 和暦 first."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from machi.procedures.templatetags.procedures_tags import wareki


def test_a_time_after_midnight_in_japan_shows_the_japanese_date() -> None:
    late_utc = dt.datetime(2026, 11, 30, 16, 54, tzinfo=dt.UTC)  # 01:54 on 1 December in Tokyo
    with translation.override("ja"):
        assert wareki(late_utc) == "令和8年12月1日（2026-12-01）"
        assert wareki(dt.date(2019, 5, 1)) == "令和元年5月1日（2019-05-01）"
    with translation.override("en"):
        assert wareki(late_utc) == "2026-12-01 (令和8年12月1日)"
    assert wareki(None) == ""
