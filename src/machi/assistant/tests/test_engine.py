"""The FAQ engine answers residents' phrasing: abbreviations, typos, half-width kana,
colloquial endings; it is sure when the entry covers the question and unsure otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from machi.assistant.engine import CONFIDENT, FaqDocument, FaqEngine
from machi.assistant.evaluation import load_faqs
from machi.assistant.synonym_table import default_synonyms, parse_synonyms_csv
from machi.assistant.tuning_defaults import default_tuning

DATA = Path(__file__).parent / "data"
LEXICAL_ONLY = default_tuning(("lexical",))


@pytest.fixture(scope="module")
def engine() -> FaqEngine:
    return FaqEngine(load_faqs(DATA / "faqs.csv"), tuning=LEXICAL_ONLY)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("マイナカードなくした", "f1"),  # abbreviation + colloquial verb
        ("こくほ やめたい", "f3"),  # hiragana abbreviation
        ("住民表ほしい", "f4"),  # wrong kanji
        ("ﾏｲﾅﾝﾊﾞｰｶｰﾄﾞ 暗証番号わすれた", "f2"),  # half-width katakana
        ("引越しするんだけど", "f6"),  # spelling variant, 話し言葉
        ("粗大ゴミ 出したい", "f5"),
    ],
)
def test_residents_phrasing_finds_the_entry(engine: FaqEngine, query: str, expected: str) -> None:
    [first, *_rest] = engine.search(query)
    assert first.key == expected
    assert first.confidence >= CONFIDENT


@pytest.mark.parametrize("query", ["今日の天気は", "近くの美味しいラーメン屋", "🍜🍜🍜", ""])
def test_out_of_scope_is_not_answered_with_confidence(engine: FaqEngine, query: str) -> None:
    assert all(hit.confidence < CONFIDENT for hit in engine.search(query))


def test_strange_input_never_breaks_the_engine(engine: FaqEngine) -> None:
    for query in [
        "あ" * 10_000,
        "<script>alert(1)</script>",
        "\x00\x1f\u200b",
        "住民票 résumé ПРИВЕТ",
    ]:
        hits = engine.search(query)
        assert all(0.0 <= hit.confidence <= 1.0 for hit in hits)


def test_synonyms_add_the_canonical_phrase_and_keep_the_original() -> None:
    table = default_synonyms()
    expanded = table.expand("粗大ゴミと転居届")
    assert expanded.startswith("粗大ゴミと転居届")
    assert "粗大ごみ" in expanded and "引っ越し" in expanded
    assert "\nごみ" not in expanded  # the longer phrase won; ゴミ alone did not fire
    custom = parse_synonyms_csv("canonical,variants\n関支所,せきししょ 関の支所\n")
    assert custom.expand("せきししょ はどこ").endswith("関支所")


def test_empty_faq_and_fields_nobody_filled() -> None:
    assert FaqEngine([], tuning=LEXICAL_ONLY).search("住民票") == []
    only = FaqEngine([FaqDocument("a", "住民票の写し", "市民課で取れます。")], tuning=LEXICAL_ONLY)
    assert [h.key for h in only.search("住民票")] == ["a"]


def test_katakana_variants_match_whole_words_only() -> None:
    table = default_synonyms()
    assert table.rewrite("マイナ 作りたい") == "マイナンバーカード 作りたい"
    assert table.rewrite("マイナンバー通知カード") == "マイナンバー通知カード"
    assert table.rewrite("マイナスになった") == "マイナスになった"
    assert table.rewrite("ソファー 捨てたい") == "粗大ごみ 捨てたい"
