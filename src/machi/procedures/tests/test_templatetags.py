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
        # The 和暦 is Japanese on an English page: marked for screen readers.
        assert wareki(late_utc) == '2026-12-01 (<span lang="ja">令和8年12月1日</span>)'
    assert wareki(None) == ""


def test_marked_content_marks_only_the_japanese_of_an_english_gloss() -> None:
    from machi.core.templatetags.content import lang_unless_gloss, marked

    with translation.override("en"):
        assert marked("Dog registration (犬の登録)") == (
            'Dog registration (<span lang="ja">犬の登録</span>)'
        )
        assert (
            marked("住民票の写し（コンビニ交付）")
            == '<span lang="ja">住民票の写し（コンビニ交付）</span>'
        )
        assert marked("<b>ポチ</b>") == '<span lang="ja">&lt;b&gt;ポチ&lt;/b&gt;</span>'
        assert marked("Pochi & co") == "Pochi &amp; co"
        assert lang_unless_gloss("Dog registration (犬の登録)") == ""
        assert lang_unless_gloss("柴犬") == ' lang="ja"'
    with translation.override("ja"):
        assert marked("犬の登録") == "犬の登録"
        assert lang_unless_gloss("柴犬") == ""
