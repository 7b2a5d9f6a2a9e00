"""Whatever arrives from a page or the API, the engine either refuses it as forged or
returns plain JSON; the step pages never fail with a server error; dates read back."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from machi.core.formdef.definition import FormSpec, parse_definition
from machi.core.formdef.engine import (
    ForgedInput,
    Outcome,
    clean_answers,
    clean_step,
    computed_rows,
    read_page,
    summarize,
)
from machi.core.formdef.expressions import LIMIT, computed_values
from machi.core.japanese.wareki import ERAS, SUPPORTED_FROM, parse_date, to_wareki
from machi.procedures.models import Draft
from machi.testing.applications import Catalog, post_step, start

TODAY = dt.date(2026, 4, 1)
CHOICES = [{"value": "a", "label": "甲", "price": 100}, {"value": "b", "label": "乙", "price": 250}]

RICH: dict[str, Any] = {
    "format": "machi-form/1",
    "steps": [
        {
            "key": "first",
            "title": "一",
            "fields": [
                {
                    "key": "name",
                    "type": "text",
                    "label": "氏名",
                    "required": True,
                    "max_length": 30,
                },
                {"key": "kana", "type": "kana", "label": "フリガナ"},
                {"key": "memo", "type": "textarea", "label": "メモ"},
                {"key": "address", "type": "address", "label": "住所"},
                {"key": "mail", "type": "email", "label": "メール", "contact": True},
                {"key": "kind", "type": "select", "label": "種別", "choices": CHOICES},
                {
                    "key": "how",
                    "type": "radio",
                    "label": "方法",
                    "required": True,
                    "choices": CHOICES,
                },
                {"key": "tick", "type": "checkbox", "label": "確認"},
                {
                    "key": "extras",
                    "type": "checkbox",
                    "label": "追加",
                    "choices": CHOICES,
                    "show_if": {"field": "how", "equals": "a"},
                },
                {
                    "key": "count",
                    "type": "number",
                    "label": "数",
                    "min": -5,
                    "max": 1000,
                    "required": {"field": "kind", "in": ["b"]},
                },
            ],
        },
        {
            "key": "second",
            "title": "二",
            "show_if": {"any": [{"field": "how", "equals": "a"}, {"field": "count", "gte": 3}]},
            "fields": [
                {"key": "amount", "type": "yen", "label": "金額"},
                {"key": "day", "type": "date", "label": "日", "date_range": "future"},
                {"key": "born", "type": "date", "label": "生年月日", "date_range": "past"},
                {"key": "zip", "type": "postal_code", "label": "郵便番号"},
                {
                    "key": "tel",
                    "type": "phone",
                    "label": "電話",
                    "show_if": {"not": {"field": "tick", "equals": True}},
                },
                {"key": "docs", "type": "file", "label": "書類", "max_files": 3},
                {
                    "key": "rows",
                    "type": "group",
                    "label": "明細",
                    "min_items": 0,
                    "max_items": 4,
                    "fields": [
                        {"key": "what", "type": "select", "label": "品", "choices": CHOICES},
                        {"key": "qty", "type": "number", "label": "数量", "required": True},
                        {"key": "price", "type": "yen", "label": "単価"},
                        {"key": "opts", "type": "checkbox", "label": "付属", "choices": CHOICES},
                        {"key": "ok", "type": "checkbox", "label": "済"},
                        {"key": "when", "type": "date", "label": "日付"},
                        {"key": "note", "type": "text", "label": "備考", "max_length": 10},
                    ],
                },
            ],
        },
    ],
    "computed": [
        {
            "key": "fee",
            "label": "手数料",
            "expr": {
                "add": [
                    {
                        "sum": {
                            "group": "rows",
                            "of": {
                                "add": [
                                    {"mul": [{"price": "what"}, {"field": "qty"}]},
                                    {"mul": [{"field": "price"}, {"field": "qty"}, 1000]},
                                    {"price": "opts"},
                                ]
                            },
                        }
                    },
                    {"mul": [{"field": "amount"}, {"field": "amount"}, {"field": "count"}]},
                    {"price": "extras"},
                    {"price": "kind"},
                ]
            },
        },
        {"key": "n", "label": "件数", "kind": "number", "expr": {"count": "rows"}},
        {
            "key": "pick",
            "label": "選択",
            "expr": {
                "if": {
                    "when": {"field": "tick", "filled": True},
                    "then": {"max": [{"field": "count"}, -(10**15)]},
                    "else": {"min": [{"field": "amount"}, 10**15]},
                }
            },
        },
    ],
}
SPEC: FormSpec = parse_definition(RICH)
TOP_KEYS = list(SPEC.fields_by_key)
ROW_KEYS = [c.key for c in SPEC.fields_by_key["rows"].fields]

# -- arbitrary JSON-like values ------------------------------------------------------------

interesting_text = st.sampled_from(
    [
        "",
        " ",
        "a",
        "b",
        "c",
        "yes",
        "on",
        "no",
        "１２３",
        "-3",
        "1,200円",
        "令和8年4月1日",
        "R8.5.1",
        "2099-12-31",
        "1800-01-01",
        "〒５１９－０１９５",
        "０５９５-８２-１１１１",
        "ﾔﾏﾀﾞ ﾀﾛｳ",
        "taro＠example.jp",
        "0b6f6a1e-6b0f-4f5c-9a57-3b0f1f0c2a11",
        "\x00\x01\x1f\x7f",
        "\u202e\u200b\ufeff",
        "𠮷野家",
        "1" * 400,
    ]
)
long_text = st.builds(lambda c, n: c * n, st.characters(), st.integers(0, 12000))
texts = st.one_of(interesting_text, st.text(max_size=50), long_text)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0, 1, -1, 10**12, 10**12 + 1, -(10**12) - 1, 2**63, -(2**63)]),
    st.floats(allow_nan=True, allow_infinity=True),
    texts,
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(
            st.one_of(st.sampled_from(ROW_KEYS), st.text(max_size=8)), inner, max_size=5
        ),
    ),
    max_leaves=12,
)
row = st.dictionaries(
    st.one_of(st.sampled_from(ROW_KEYS), st.text(max_size=8)), json_values, max_size=8
)
answers_data = st.dictionaries(
    st.one_of(st.sampled_from(TOP_KEYS), st.text(max_size=10)),
    st.one_of(json_values, st.lists(row, max_size=6)),
    max_size=14,
)
known_answers = st.dictionaries(
    st.sampled_from(TOP_KEYS), st.one_of(json_values, st.lists(row, max_size=6)), max_size=14
)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def round_trips(value: object) -> bool:
    return json.loads(json.dumps(value)) == value


def has_no_floats(value: object) -> bool:
    if isinstance(value, float):
        return False
    if isinstance(value, list):
        return all(has_no_floats(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and has_no_floats(v) for k, v in value.items())
    return True


def check_outcome(outcome: Outcome) -> None:
    """What the engine returns can be stored as JSON, read back unchanged, and summed."""
    for key, value in outcome.answers.items():
        assert key in SPEC.fields_by_key, key
        assert has_no_floats(value), (key, value)
        assert round_trips(value), (key, value)
    assert round_trips(outcome.answers)
    for error in outcome.errors:
        assert error.message and error.label and error.input_id.startswith("f-")
    values = computed_values(SPEC, outcome.answers)
    for value in values.values():
        assert isinstance(value, int) and not isinstance(value, bool)
        assert -LIMIT <= value <= LIMIT
    summarize(SPEC, outcome.answers, "ja")
    computed_rows(SPEC, outcome.answers, "en")


def stored(data: dict[str, Any]) -> dict[str, Any]:
    """Answers as a draft holds them: whatever was cleaned from ``data``."""
    return clean_answers(SPEC, data, language="ja", today=TODAY, strict=False).answers


@settings(max_examples=100, deadline=None)
@given(data=answers_data, strict=st.booleans())
@example(data={"name": "x", "how": "a", "count": 0, "rows": [{"qty": "0"}]}, strict=True)
@example(data={"amount": 10**12, "count": 1000, "how": "a", "rows": [{}] * 6}, strict=True)
def test_clean_answers_refuses_or_returns_plain_json(data: dict[str, Any], strict: bool) -> None:
    try:
        outcome = clean_answers(SPEC, data, language="ja", today=TODAY, strict=strict)
    except ForgedInput as exc:
        assert strict and exc.keys
        event("refused as forged")
        return
    event("cleaned" if outcome.ok else "cleaned with errors")
    check_outcome(outcome)


@settings(max_examples=100, deadline=None)
@given(before=known_answers, raw=answers_data, which=st.integers(0, 1), locked=st.booleans())
def test_clean_step_refuses_or_returns_plain_json(
    before: dict[str, Any], raw: dict[str, Any], which: int, locked: bool
) -> None:
    answers = stored(before)
    verified = {"name": "亀山 太郎"} if locked else None
    try:
        outcome = clean_step(
            SPEC, SPEC.steps[which], raw, answers, language="ja", today=TODAY, locked=verified
        )
    except ForgedInput as exc:
        assert exc.keys
        event("refused as forged")
        return
    event("cleaned" if outcome.ok else "cleaned with errors")
    check_outcome(outcome)
    if locked and which == 0:
        assert outcome.answers["name"] == "亀山 太郎"


def page_names() -> st.SearchStrategy[str]:
    plain = st.sampled_from([f"f-{key}" for key in TOP_KEYS])
    in_group = st.builds(
        lambda i, child: f"f-rows-{i}-{child}",
        st.integers(0, 1200),
        st.sampled_from([*ROW_KEYS, "_item", "zzz"]),
    )
    other = st.one_of(st.text(max_size=12), st.text(max_size=12).map(lambda s: f"f-{s}"))
    return st.one_of(plain, in_group, other, st.sampled_from(["form_version", "_action"]))


posted = st.lists(st.tuples(page_names(), st.one_of(texts, st.text(max_size=20))), max_size=25)


@settings(max_examples=100, deadline=None)
@given(before=known_answers, pairs=posted, which=st.integers(0, 1))
def test_read_page_then_clean_step_refuses_or_returns_plain_json(
    before: dict[str, Any], pairs: list[tuple[str, str]], which: int
) -> None:
    answers = stored(before)
    page = SPEC.steps[which]
    post = QueryDict(urlencode(pairs))
    try:
        raw = read_page(page, post, answers)
    except ForgedInput as exc:
        assert exc.keys
        event("page refused")
        return
    assert round_trips(raw)
    for value in raw.values():
        assert isinstance(value, str | list)
    try:
        outcome = clean_step(SPEC, page, raw, answers, language="en", today=TODAY)
    except ForgedInput as exc:
        assert exc.keys
        event("step refused")
        return
    event("cleaned" if outcome.ok else "cleaned with errors")
    check_outcome(outcome)


# -- dates ---------------------------------------------------------------------------------

ZENKAKU = str.maketrans("0123456789", "０１２３４５６７８９")


@st.composite
def typed_dates(draw: st.DrawFn) -> tuple[dt.date, str]:
    """A valid date and one way a person might type it."""
    style = draw(st.sampled_from(["kanji", "letter", "iso", "slash", "dot", "nen"]))
    if style in ("kanji", "letter"):
        day = draw(st.dates(min_value=SUPPORTED_FROM, max_value=dt.date(9999, 12, 31)))
        wareki = to_wareki(day)
        if style == "kanji":
            year = str(wareki.year)
            if wareki.year == 1 and draw(st.booleans()):
                year = "元"
            text = f"{wareki.era}{year}年{wareki.month}月{wareki.day}日"
        else:
            letter = next(e.letter for e in ERAS if e.name == wareki.era)
            letter = letter.lower() if draw(st.booleans()) else letter
            sep = draw(st.sampled_from("./-"))
            text = f"{letter}{wareki.year}{sep}{wareki.month}{sep}{wareki.day}"
    else:
        day = draw(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
        month, date = (
            (f"{day.month:02}", f"{day.day:02}")
            if draw(st.booleans())
            else (
                str(day.month),
                str(day.day),
            )
        )
        text = {
            "iso": f"{day.year}-{month}-{date}",
            "slash": f"{day.year}/{month}/{date}",
            "dot": f"{day.year}.{month}.{date}",
            "nen": f"{day.year}年{month}月{date}日",
        }[style]
    if draw(st.booleans()):
        text = text.translate(ZENKAKU)
    if draw(st.booleans()):
        text = f" {text}\u3000"
    return day, text


@settings(max_examples=300, deadline=None)
@given(typed=typed_dates())
def test_parse_date_reads_back_wareki_and_seireki(typed: tuple[dt.date, str]) -> None:
    day, text = typed
    assert parse_date(text) == day


@settings(max_examples=100, deadline=None)
@given(day=st.dates(min_value=SUPPORTED_FROM, max_value=dt.date(9999, 12, 31)))
def test_wareki_of_a_date_reads_back(day: dt.date) -> None:
    assert parse_date(str(to_wareki(day))) == day


# -- the step pages never fail -------------------------------------------------------------

GOMI_VALID = {
    "items": {
        "f-items-0-_item": "1",
        "f-items-0-item": "sofa",
        "f-items-0-count": "1",
        "f-items-1-_item": "1",
        "f-items-1-item": "bicycle",
        "f-items-1-count": "２",
    },
    "where": {
        "f-address": "三重県亀山市本丸町577",
        "f-day": "2099-01-05",
        "f-delivery": "mail",
        "f-email": "taro@example.jp",
        "f-phone": "0595-82-1111",
    },
}
GOMI_ITEMS = {"f-items-0-_item": "1", "f-items-0-item": "sofa", "f-items-0-count": "1"}
page_value = st.one_of(
    interesting_text,
    st.text(max_size=50),
    st.builds(lambda c, n: c * n, st.characters(), st.integers(0, 2500)),
    st.sampled_from(["sofa", "bicycle", "mail", "phone", "2099-01-05", "R81.1.5", "5", "0"]),
)


@st.composite
def gomi_posts(draw: st.DrawFn) -> tuple[str, bool, list[tuple[str, str]]]:
    """A page's answers: mostly right, some replaced, some left out, perhaps names the page
    never had, perhaps a button (add or remove a row, save for later)."""
    page = draw(st.sampled_from(["items", "where"]))
    refresh = draw(st.booleans())
    pairs: list[tuple[str, str]] = []
    for name, value in GOMI_VALID[page].items():
        change = draw(st.sampled_from(["keep", "keep", "replace", "drop", "twice"]))
        if change == "keep":
            pairs.append((name, value))
        elif change == "replace":
            pairs.append((name, draw(page_value)))
        elif change == "twice":
            pairs += [(name, value), (name, draw(page_value))]
    rows = st.builds(
        lambda i, c: f"f-items-{i}-{c}",
        st.integers(0, 60),
        st.sampled_from(["item", "count", "_item", "price"]),
    )
    names = st.one_of(rows, st.text(max_size=15).map(lambda s: f"f-{s}"), st.text(max_size=8))
    pairs += draw(st.lists(st.tuples(names, page_value), max_size=4))
    if draw(st.booleans()):
        action = draw(
            st.sampled_from(["", "save", "add:items", "remove:items:0", "remove:items:9", "x"])
        )
        pairs.append(("_action", action))
    if draw(st.booleans()):
        pairs.append(("return_to", "check"))
    pairs = draw(st.permutations(pairs))
    return page, refresh, [("form_version", "1"), *pairs]


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=gomi_posts())
def test_step_pages_never_fail_with_a_server_error(
    catalog: Catalog, case: tuple[str, bool, list[tuple[str, str]]]
) -> None:
    page, refresh, pairs = case
    client = Client(raise_request_exception=False)
    base = start(client, "gomi")
    if page == "where":
        assert post_step(client, base, "items", GOMI_ITEMS).status_code == 302
    url = f"{base}/steps/{page}/" + ("refresh/" if refresh else "")
    response = client.post(url, urlencode(pairs), content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 302, 400), response.content.decode()[:3000]
    event(f"{page}{' refresh' if refresh else ''}: {response.status_code}")
    # whatever was posted, the draft still holds answers that are plain JSON
    draft = Draft.objects.get(pk=base.rsplit("/", 1)[-1])
    assert round_trips(draft.answers) and has_no_floats(draft.answers)


@pytest.mark.django_db
@pytest.mark.parametrize("refresh", [False, True])
def test_removing_a_row_with_a_superscript_number_is_not_a_server_error(
    catalog: Catalog, refresh: bool
) -> None:
    client = Client(raise_request_exception=False)
    base = start(client, "gomi")
    url = f"{base}/steps/items/" + ("refresh/" if refresh else "")
    response = client.post(url, {"form_version": "1", **GOMI_ITEMS, "_action": "remove:items:²"})
    assert response.status_code in (200, 302, 400)
