"""The form engine on the server: conditions, computed values, each field type, cleaning a
step or a whole set of answers, reading a posted page, and the summary people check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.http import QueryDict
from django.utils import translation

from machi.core.formdef.conditions import condition_holds, is_required
from machi.core.formdef.definition import DefinitionError, Field, FormSpec, parse_definition
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
from machi.core.formdef.fieldtypes import (
    FieldInvalid,
    display_value,
    format_date,
    parse_value,
)

TODAY = dt.date(2026, 4, 1)

DEFINITION: dict[str, Any] = {
    "format": "machi-form/1",
    "steps": [
        {
            "key": "about",
            "title": "申請者",
            "title_en": "Applicant",
            "fields": [
                {
                    "key": "name",
                    "type": "text",
                    "label": "氏名",
                    "required": True,
                    "max_length": 20,
                },
                {"key": "kana", "type": "kana", "label": "フリガナ"},
                {
                    "key": "delivery",
                    "type": "radio",
                    "label": "受取方法",
                    "label_en": "Delivery",
                    "required": True,
                    "choices": [
                        {"value": "mail", "label": "郵送", "label_en": "By post", "price": 140},
                        {"value": "phone", "label": "電話連絡"},
                        {"value": "counter", "label": "窓口"},
                    ],
                },
                {
                    "key": "email",
                    "type": "email",
                    "label": "メールアドレス",
                    "required": {"field": "delivery", "equals": "mail"},
                    "show_if": {"field": "delivery", "equals": "mail"},
                },
                {
                    "key": "phone",
                    "type": "phone",
                    "label": "電話番号",
                    "show_if": {"field": "delivery", "equals": "phone"},
                },
                {"key": "agree", "type": "checkbox", "label": "同意する", "required": True},
            ],
        },
        {
            "key": "order",
            "title": "申込内容",
            "fields": [
                {
                    "key": "pets",
                    "type": "checkbox",
                    "label": "ペット",
                    "choices": [
                        {"value": "dog", "label": "犬", "price": 100},
                        {"value": "cat", "label": "猫", "price": 200},
                    ],
                },
                {
                    "key": "note",
                    "type": "text",
                    "label": "窓口への連絡",
                    "show_if": {"field": "delivery", "equals": "counter"},
                },
                {"key": "copies", "type": "number", "label": "通数", "min": 0, "max": 10},
                {"key": "amount", "type": "yen", "label": "金額"},
                {"key": "postal", "type": "postal_code", "label": "郵便番号"},
                {"key": "day", "type": "date", "label": "希望日", "date_range": "future"},
                {
                    "key": "items",
                    "type": "group",
                    "label": "品目",
                    "item_label": "品目",
                    "max_items": 3,
                    "fields": [
                        {
                            "key": "item",
                            "type": "select",
                            "label": "品目",
                            "required": True,
                            "choices": [
                                {"value": "sofa", "label": "ソファ", "price": 1000},
                                {"value": "bicycle", "label": "自転車", "price": 500},
                            ],
                        },
                        {"key": "count", "type": "number", "label": "数", "required": True},
                        {
                            "key": "parts",
                            "type": "checkbox",
                            "label": "付属品",
                            "choices": [
                                {"value": "cushion", "label": "クッション"},
                                {"value": "lamp", "label": "ライト"},
                            ],
                        },
                    ],
                },
                {"key": "photo", "type": "file", "label": "写真", "max_files": 2},
            ],
        },
        {
            "key": "dog",
            "title": "犬について",
            "show_if": {"field": "pets", "equals": "dog"},
            "fields": [{"key": "dog_name", "type": "text", "label": "犬の名前", "required": True}],
        },
    ],
    "computed": [
        {
            "key": "fee",
            "label": "手数料",
            "label_en": "Fee",
            "expr": {
                "add": [
                    {
                        "sum": {
                            "group": "items",
                            "of": {"mul": [{"price": "item"}, {"field": "count"}]},
                        }
                    },
                    {"price": "pets"},
                    {"mul": [300, {"field": "copies"}]},
                ]
            },
        },
        {"key": "rows", "label": "品目数", "kind": "number", "expr": {"count": "items"}},
        {
            "key": "postage",
            "label": "送料",
            "expr": {
                "if": {"when": {"field": "delivery", "equals": "mail"}, "then": 140, "else": 0}
            },
        },
        {
            "key": "cheapest",
            "label": "最小",
            "expr": {"min": [{"field": "amount"}, {"mul": [300, {"field": "copies"}]}]},
        },
        {
            "key": "dearest",
            "label": "最大",
            "expr": {"max": [{"field": "amount"}, {"mul": [300, {"field": "copies"}]}]},
        },
    ],
}

SPEC: FormSpec = parse_definition(DEFINITION)
ABOUT, ORDER, DOG = SPEC.steps

ABOUT_BY_MAIL = {
    "name": "亀山 太郎",
    "delivery": "mail",
    "email": "taro@example.jp",
    "agree": "yes",
}


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def field(key: str) -> Field:
    found = SPEC.field(key)
    assert found is not None
    return found


def parse(kind: str, raw: object, **settings: Any) -> object:
    return parse_value(Field(key="x", type=kind, label="項目", **settings), raw, today=TODAY)


def refused(kind: str, raw: object, **settings: Any) -> str:
    with pytest.raises(FieldInvalid) as caught:
        parse(kind, raw, **settings)
    return caught.value.message


def step(
    page: Any, raw: dict[str, Any], answers: dict[str, Any] | None = None, **kw: Any
) -> Outcome:
    return clean_step(SPEC, page, raw, answers or {}, language="ja", today=TODAY, **kw)


def messages(outcome: Outcome) -> dict[str, str]:
    return {e.path: e.message for e in outcome.errors}


def about_answers(**changes: Any) -> dict[str, Any]:
    outcome = step(ABOUT, {**ABOUT_BY_MAIL, **changes})
    assert outcome.ok, outcome.errors
    return outcome.answers


# -- conditions --------------------------------------------------------------------------


def test_no_condition_always_holds() -> None:
    assert condition_holds(None, {})


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ({"field": "d", "equals": "mail"}, {"d": "mail"}, True),
        ({"field": "d", "equals": "mail"}, {"d": "phone"}, False),
        ({"field": "d", "equals": "mail"}, {}, False),
        ({"field": "d", "not_equals": "mail"}, {"d": "phone"}, True),
        ({"field": "d", "not_equals": "mail"}, {}, True),
        ({"field": "d", "not_equals": "mail"}, {"d": "mail"}, False),
        ({"field": "d", "in": ["mail", "phone"]}, {"d": "phone"}, True),
        ({"field": "d", "in": ["mail", "phone"]}, {"d": "counter"}, False),
        ({"field": "d", "filled": True}, {"d": "x"}, True),
        ({"field": "d", "filled": True}, {"d": ""}, False),
        ({"field": "d", "filled": True}, {"d": []}, False),
        ({"field": "d", "filled": False}, {}, True),
        ({"field": "d", "filled": False}, {"d": False}, True),
        ({"field": "n", "gte": 2}, {"n": 2}, True),
        ({"field": "n", "gte": 2}, {"n": 1}, False),
        ({"field": "n", "gte": 2}, {}, False),
        ({"field": "n", "gte": 1}, {"n": True}, False),  # a tick is not a number
        ({"field": "n", "gte": 2}, {"n": "3"}, False),
        ({"field": "n", "lte": 2}, {"n": 2}, True),
        ({"field": "n", "lte": 2}, {"n": 3}, False),
        ({"field": "n", "lte": 2}, {"n": -5}, True),
    ],
)
def test_simple_conditions(
    condition: dict[str, Any], answers: dict[str, Any], expected: bool
) -> None:
    assert condition_holds(condition, answers) is expected


def test_checkbox_list_equals_a_value_when_that_value_is_ticked() -> None:
    ticked = {"pets": ["dog", "cat"]}
    assert condition_holds({"field": "pets", "equals": "dog"}, ticked)
    assert not condition_holds({"field": "pets", "equals": "bird"}, ticked)
    assert not condition_holds({"field": "pets", "not_equals": "cat"}, ticked)
    assert condition_holds({"field": "pets", "in": ["bird", "cat"]}, ticked)
    assert not condition_holds({"field": "pets", "equals": "dog"}, {"pets": []})


def test_all_any_and_not_combine() -> None:
    mail = {"field": "d", "equals": "mail"}
    many = {"field": "n", "gte": 3}
    answers = {"d": "mail", "n": 1}
    assert not condition_holds({"all": [mail, many]}, answers)
    assert condition_holds({"any": [mail, many]}, answers)
    assert condition_holds({"not": many}, answers)
    assert condition_holds({"all": [mail, {"not": many}]}, answers)
    assert not condition_holds({"any": [{"not": mail}, many]}, answers)


def test_required_may_be_a_condition() -> None:
    assert is_required(True, {}) and not is_required(False, {"d": "mail"})
    assert is_required({"field": "d", "equals": "mail"}, {"d": "mail"})
    assert not is_required({"field": "d", "equals": "mail"}, {"d": "phone"})


# -- computed values ---------------------------------------------------------------------


def test_fee_sums_price_times_count_over_the_group() -> None:
    answers = {"items": [{"item": "sofa", "count": 2}, {"item": "bicycle", "count": 3}]}
    values = computed_values(SPEC, answers)
    assert values["fee"] == 2 * 1000 + 3 * 500
    assert values["rows"] == 2


def test_price_of_a_checkbox_list_is_the_sum_of_the_ticked_prices() -> None:
    assert computed_values(SPEC, {"pets": ["dog", "cat"]})["fee"] == 300
    assert computed_values(SPEC, {"pets": ["cat"], "copies": 2})["fee"] == 200 + 600


def test_if_chooses_a_branch_from_the_answers() -> None:
    assert computed_values(SPEC, {"delivery": "mail"})["postage"] == 140
    assert computed_values(SPEC, {"delivery": "counter"})["postage"] == 0


def test_min_and_max() -> None:
    values = computed_values(SPEC, {"amount": 1000, "copies": 2})
    assert (values["cheapest"], values["dearest"]) == (600, 1000)


def test_empty_answers_count_as_zero() -> None:
    assert computed_values(SPEC, {}) == {
        "fee": 0,
        "rows": 0,
        "postage": 0,
        "cheapest": 0,
        "dearest": 0,
    }
    partial = {"items": [{"item": "sofa"}, {"count": 4}, {}], "copies": None}
    values = computed_values(SPEC, partial)
    assert values["fee"] == 0  # a row without a count or without an item costs nothing
    assert values["rows"] == 3


def test_values_of_the_wrong_kind_count_as_zero() -> None:
    answers = {"copies": True, "amount": "1000", "items": "sofa", "pets": "dog"}
    values = computed_values(SPEC, answers)
    assert values["fee"] == 100  # only the dog's price
    assert values["rows"] == 0


def test_results_are_clamped_at_ten_to_the_twelve() -> None:
    huge = {"copies": 10**12, "items": [{"item": "sofa", "count": 10**12}] * 3}
    values = computed_values(SPEC, huge)
    assert values["fee"] == LIMIT == 10**12
    assert values["dearest"] == LIMIT
    assert computed_values(SPEC, {"copies": -(10**12)})["cheapest"] == -LIMIT


def test_a_price_above_the_limit_is_refused_and_totals_are_clamped() -> None:
    def form(price: int, expr: object) -> dict[str, object]:
        return {
            "format": "machi-form/1",
            "steps": [
                {
                    "key": "s",
                    "title": "s",
                    "fields": [
                        {
                            "key": "plan",
                            "type": "select",
                            "label": "プラン",
                            "choices": [{"value": "big", "label": "大", "price": price}],
                        }
                    ],
                }
            ],
            "computed": [{"key": "fee", "label": "手数料", "expr": expr}],
        }

    with pytest.raises(DefinitionError):
        parse_definition(form(10**13, {"price": "plan"}))
    spec = parse_definition(form(10**9, {"mul": [{"price": "plan"}, 10**9]}))
    assert computed_values(spec, {"plan": "big"})["fee"] == LIMIT


def test_computed_rows_give_label_and_text() -> None:
    answers = {"items": [{"item": "sofa", "count": 1}], "delivery": "mail"}
    rows = computed_rows(SPEC, answers, "ja")
    assert rows[0] == ("手数料", "1,000円", 1000)
    assert rows[1] == ("品目数", "1", 1)
    assert computed_rows(SPEC, answers, "en")[0] == ("Fee", "¥1,000", 1000)


# -- field types -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("１２３", 123), ("123", 123), (" 42 ", 42), ("1,200", 1200), ("１，２００", 1200), (7, 7)],
)
def test_numbers_in_zenkaku_or_hankaku_are_read(raw: object, expected: int) -> None:
    assert parse("number", raw) == expected


@pytest.mark.parametrize("raw", ["1.5", "abc", "1e3", "①", "12,00", True, 1.5, [1]])
def test_text_that_is_not_a_whole_number_is_refused(raw: object) -> None:
    assert refused("number", raw)


def test_number_messages_say_what_to_enter() -> None:
    assert refused("number", "1.5") == "Enter a whole number using digits, for example 2."
    assert refused("number", "0", minimum=1, maximum=1000) == "Enter 1 or more."
    assert refused("number", "1001", minimum=1, maximum=1000) == "Enter 1,000 or less."
    assert refused("number", str(10**13)) == "This number is too large. Check the digits."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("〒５１９－０１９５", "5190195"),
        ("519-0195", "5190195"),
        ("5190195", "5190195"),
        ("〒519 0195", "5190195"),
    ],
)
def test_postal_codes_are_stored_as_seven_digits(raw: str, expected: str) -> None:
    assert parse("postal_code", raw) == expected


def test_a_short_postal_code_is_refused_with_an_example() -> None:
    assert "7 digits" in refused("postal_code", "519-01")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("０５９５-８２-１１１１", "0595821111"),
        ("0595-82-1111", "0595821111"),
        ("(0595) 82-1111", "0595821111"),
        ("090-1234-5678", "09012345678"),
        ("+81 90-1234-5678", "09012345678"),
    ],
)
def test_phone_numbers_are_stored_as_digits(raw: str, expected: str) -> None:
    assert parse("phone", raw) == expected


def test_a_phone_number_without_area_code_is_refused_with_an_example() -> None:
    assert "0595-82-1111" in refused("phone", "82-1111")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("令和8年4月1日", "2026-04-01"),
        ("令和元年5月1日", "2019-05-01"),
        ("R8.4.1", "2026-04-01"),
        ("r8/4/1", "2026-04-01"),
        ("平成31年4月30日", "2019-04-30"),
        ("昭和64年1月7日", "1989-01-07"),
        ("２０２６年４月１日", "2026-04-01"),
        ("2026/4/1", "2026-04-01"),
        ("2026-04-01", "2026-04-01"),
        (" 2026.4.1 ", "2026-04-01"),
    ],
)
def test_wareki_and_seireki_dates_are_stored_in_iso(raw: str, expected: str) -> None:
    assert parse("date", raw) == expected


def test_impossible_dates_are_refused_with_a_reason() -> None:
    assert "2月30日" in refused("date", "2026-02-30")
    assert "令和元年5月1日" in refused("date", "平成31年5月1日")
    assert "R6.4.1" in refused("date", "next tuesday")


def test_past_and_future_ranges_include_today() -> None:
    assert parse("date", "2026-04-01", date_range="past") == "2026-04-01"
    assert parse("date", "2026-04-01", date_range="future") == "2026-04-01"
    assert (
        refused("date", "2026-04-02", date_range="past") == "Enter a date that is today or earlier."
    )
    assert refused("date", "令和8年3月31日", date_range="future") == (
        "Enter a date that is today or later."
    )


def test_hankaku_kana_is_converted_to_zenkaku() -> None:
    assert parse("kana", "ﾔﾏﾀﾞ ﾀﾛｳ") == "ヤマダ　タロウ"
    assert parse("kana", "カメヤマ　ハナコ") == "カメヤマ　ハナコ"


def test_hiragana_is_converted_to_katakana() -> None:
    assert parse("kana", "やまだ たろう") == "ヤマダ　タロウ"


@pytest.mark.parametrize("raw", ["山田", "Yamada", "ヤマダ2"])
def test_kana_field_refuses_other_scripts_and_says_so(raw: str) -> None:
    message = refused("kana", raw)
    assert "katakana or hiragana" in message and "Kanji" in message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,200円", 1200),
        ("￥1200", 1200),
        ("¥1,200", 1200),
        ("１，２００円", 1200),
        ("0円", 0),
        (500, 500),
    ],
)
def test_yen_amounts(raw: object, expected: int) -> None:
    assert parse("yen", raw) == expected


def test_yen_refuses_negative_and_decimal_amounts() -> None:
    assert "cannot be negative" in refused("yen", "-100円")
    assert "cannot be negative" in refused("yen", -100)
    assert "without decimals" in refused("yen", "12.5円")


@pytest.mark.parametrize(
    "raw",
    [
        "taro＠example.jp",
        "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ",
        " taro@example.jp ",
        "taro @ example.jp",
    ],
)
def test_email_in_zenkaku_is_normalised(raw: str) -> None:
    assert parse("email", raw) == "taro@example.jp"


@pytest.mark.parametrize("raw", ["taro", "taro@", "@example.jp", "taro@@example.jp"])
def test_bad_email_is_refused_with_an_example(raw: str) -> None:
    assert refused("email", raw) == "Enter an e-mail address in the form name@example.jp."


def test_choice_not_in_the_list_is_refused() -> None:
    assert parse_value(field("delivery"), "mail", today=TODAY) == "mail"
    with pytest.raises(FieldInvalid, match="Choose one of the options shown"):
        parse_value(field("delivery"), "drone", today=TODAY)
    with pytest.raises(FieldInvalid, match="Choose one of the options shown"):
        parse_value(field("delivery"), ["mail"], today=TODAY)
    with pytest.raises(FieldInvalid, match="Choose from the options shown"):
        parse_value(field("pets"), ["dog", "bird"], today=TODAY)


def test_checkbox_list_keeps_the_order_of_the_definition() -> None:
    assert parse_value(field("pets"), ["cat", "dog", "cat"], today=TODAY) == ["dog", "cat"]
    assert parse_value(field("pets"), "cat", today=TODAY) == ["cat"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("yes", True), ("on", True), ("ON", True), ("true", True), ("1", True), (True, True),
     ("no", False), ("off", False), ("0", False), (False, False)],
)  # fmt: skip
def test_single_checkbox(raw: object, expected: bool) -> None:
    assert parse("checkbox", raw) is expected


def test_single_checkbox_refuses_other_text() -> None:
    assert refused("checkbox", "maybe") == "Tick the box or leave it empty."


def test_text_longer_than_the_limit_is_refused_with_the_limit() -> None:
    assert parse("text", "あ" * 20, max_length=20) == "あ" * 20
    message = refused("text", "あ" * 21, max_length=20)
    assert message == "Use 20 characters or fewer (you entered 21)."


def test_nul_and_control_characters_are_removed() -> None:
    assert parse("text", "亀\x00山\x07市\x1b\x7f") == "亀山市"
    assert parse("textarea", "一行目\n二行目\tタブ\r\n") == "一行目\n二行目\tタブ"
    assert parse("number", "1\x002") == 12
    assert parse("postal_code", "519\x00-0195") == "5190195"


def test_text_field_refuses_values_that_are_not_text() -> None:
    for raw in (True, [], {"a": 1}, 1.5):
        assert refused("text", raw) == "Enter text."
    assert parse("text", 123) == "123"


def test_file_values_are_ids_of_attachments() -> None:
    photo = field("photo")
    first, second = "0b6f6a1e-6b0f-4f5c-9a57-3b0f1f0c2a11", "2a9c7e43-0b26-41c3-a5d6-7f9e0e1b6c22"
    assert parse_value(photo, [first, first.upper()], today=TODAY) == [first]
    with pytest.raises(FieldInvalid, match="Attach the file again"):
        parse_value(photo, ["../../etc/passwd"], today=TODAY)
    with pytest.raises(FieldInvalid, match="at most 2 files"):
        parse_value(photo, [first, second, "3e1d2c4b-5a69-4788-9900-aabbccddeeff"], today=TODAY)


# -- display -----------------------------------------------------------------------------


def test_format_date_shows_reiwa() -> None:
    assert format_date("2026-11-30", "ja") == "令和8年11月30日（2026-11-30）"
    assert format_date("2026-11-30", "en") == "2026-11-30 (令和8年11月30日)"
    assert format_date("2019-05-01", "ja").startswith("令和元年5月1日")
    assert format_date("not a date", "ja") == "not a date"


@pytest.mark.parametrize(
    ("key", "value", "language", "expected"),
    [
        ("amount", 1200, "ja", "1,200円"),
        ("amount", 1200, "en", "¥1,200"),
        ("copies", 12345, "ja", "12,345"),
        ("copies", 0, "ja", "0"),
        ("postal", "5190195", "ja", "〒519-0195"),
        ("phone", "0595821111", "ja", "0595-82-1111"),
        ("phone", "09012345678", "ja", "090-1234-5678"),
        ("delivery", "mail", "ja", "郵送"),
        ("delivery", "mail", "en", "By post"),
        ("delivery", "phone", "en", "電話連絡"),
        ("pets", ["cat", "dog"], "ja", "犬、猫"),
        ("agree", True, "en", "Yes"),
        ("agree", False, "en", "No"),
        ("name", "", "ja", ""),
        ("day", "2026-04-01", "ja", "令和8年4月1日（2026-04-01）"),
        ("photo", ["0b6f6a1e-6b0f-4f5c-9a57-3b0f1f0c2a11"], "en", "(file)"),
    ],
)
def test_display_value(key: str, value: object, language: str, expected: str) -> None:
    assert display_value(field(key), value, language) == expected


def test_display_value_names_attached_files() -> None:
    names = {"0b6f6a1e-6b0f-4f5c-9a57-3b0f1f0c2a11": "住民票.pdf"}
    assert display_value(field("photo"), list(names), "ja", names) == "住民票.pdf"


# -- cleaning a step ---------------------------------------------------------------------


def test_clean_step_merges_into_the_earlier_answers() -> None:
    earlier = about_answers()
    outcome = step(ORDER, {"copies": "２", "amount": "1,200円", "pets": ["dog"]}, earlier)
    assert outcome.ok
    assert outcome.answers == {
        "name": "亀山 太郎",
        "delivery": "mail",
        "email": "taro@example.jp",
        "agree": True,
        "copies": 2,
        "amount": 1200,
        "pets": ["dog"],
    }
    assert earlier == about_answers()  # the answers given are not changed in place


def test_clean_step_replaces_and_removes_answers_of_its_own_fields() -> None:
    earlier = {**about_answers(), "copies": 2, "amount": 500}
    outcome = step(ORDER, {"copies": "3", "amount": ""}, earlier)
    assert outcome.answers["copies"] == 3
    assert "amount" not in outcome.answers


def test_answer_to_a_field_hidden_by_a_same_step_condition_is_dropped() -> None:
    before = about_answers()
    assert before["email"] == "taro@example.jp"
    outcome = step(
        ABOUT,
        {**ABOUT_BY_MAIL, "delivery": "phone", "phone": "0595-82-1111"},
        before,
    )
    assert outcome.ok
    assert "email" not in outcome.answers
    assert outcome.answers["phone"] == "0595821111"


def test_required_if_condition() -> None:
    outcome = step(ABOUT, {**ABOUT_BY_MAIL, "email": ""})
    assert messages(outcome) == {"email": "Enter メールアドレス."}
    error = outcome.errors[0]
    assert (error.input_id, error.label) == ("f-email", "メールアドレス")
    outcome = step(ABOUT, {**ABOUT_BY_MAIL, "delivery": "counter", "email": ""})
    assert outcome.ok


def test_missing_answers_are_named_with_how_to_fix_them() -> None:
    outcome = step(ABOUT, {"name": "  ", "agree": "no"})
    assert messages(outcome) == {
        "name": "Enter 氏名.",
        "delivery": "Choose 受取方法.",
        "agree": "Tick the box to confirm: 同意する.",
    }
    assert not outcome.ok


def test_wrong_answer_keeps_the_others_and_names_the_field() -> None:
    outcome = step(ABOUT, {**ABOUT_BY_MAIL, "kana": "山田"})
    assert list(messages(outcome)) == ["kana"]
    assert "katakana or hiragana" in messages(outcome)["kana"]
    assert outcome.answers["name"] == "亀山 太郎"


def test_errors_are_in_english_when_the_page_is() -> None:
    outcome = clean_step(SPEC, ABOUT, {}, {}, language="en", today=TODAY)
    assert messages(outcome)["delivery"] == "Choose Delivery."


def test_key_that_is_not_on_the_page_is_refused() -> None:
    with pytest.raises(ForgedInput) as caught:
        step(ABOUT, {**ABOUT_BY_MAIL, "is_admin": "yes", "copies": "3"})
    assert caught.value.keys == ["copies", "is_admin"]


def test_locked_verified_answer_cannot_be_changed_and_is_kept() -> None:
    locked = {"name": "亀山 花子"}
    with pytest.raises(ForgedInput) as caught:
        step(ABOUT, ABOUT_BY_MAIL, locked=locked)
    assert caught.value.keys == ["name"]
    raw = {k: v for k, v in ABOUT_BY_MAIL.items() if k != "name"}
    outcome = step(ABOUT, raw, locked=locked)
    assert outcome.ok
    assert outcome.answers["name"] == "亀山 花子"


def test_field_whose_earlier_step_condition_is_false_is_refused() -> None:
    by_mail = about_answers()
    with pytest.raises(ForgedInput) as caught:
        step(ORDER, {"note": "午後に伺います"}, by_mail)
    assert caught.value.keys == ["note"]
    at_counter = about_answers(delivery="counter", email="")
    outcome = step(ORDER, {"note": "午後に伺います"}, at_counter)
    assert outcome.answers["note"] == "午後に伺います"


def test_group_rows_are_cleaned_and_blank_rows_ignored() -> None:
    rows = [
        {"item": "", "count": ""},
        {"item": "sofa", "count": "２", "parts": ["lamp", "cushion"]},
        {},
        {"item": "bicycle", "count": "1", "parts": []},
        {"item": "  ", "count": "   "},
    ]
    outcome = step(ORDER, {"items": rows})
    assert outcome.ok, outcome.errors
    assert outcome.answers["items"] == [
        {"item": "sofa", "count": 2, "parts": ["cushion", "lamp"]},
        {"item": "bicycle", "count": 1},
    ]
    assert computed_values(SPEC, outcome.answers)["fee"] == 2500


def test_group_row_errors_name_the_item_and_its_position() -> None:
    rows = [{"item": "sofa", "count": "1"}, {"item": "", "count": ""}, {"item": "sofa"}]
    outcome = step(ORDER, {"items": rows})
    assert messages(outcome) == {"items[1].count": "Enter 数."}
    error = outcome.errors[0]
    assert error.label == "品目 2: 数"
    assert error.input_id == "f-items-2-count"  # the input on the page, blank rows counted


def test_group_min_and_max_items() -> None:
    spec = parse_definition(
        {
            "format": "machi-form/1",
            "steps": [
                {
                    "key": "s",
                    "title": "s",
                    "fields": [
                        {
                            "key": "kids",
                            "type": "group",
                            "label": "子",
                            "item_label": "お子さん",
                            "min_items": 2,
                            "max_items": 3,
                            "fields": [{"key": "kid", "type": "text", "label": "名前"}],
                        }
                    ],
                }
            ],
        }
    )
    page = spec.steps[0]

    def errors(count: int) -> dict[str, str]:
        raw = {"kids": [{"kid": f"子{n}"} for n in range(count)] + [{"kid": ""}]}
        outcome = clean_step(spec, page, raw, {}, language="en", today=TODAY)
        return messages(outcome)

    assert errors(1) == {"kids": "Add at least 2 お子さん."}
    assert errors(2) == {} and errors(3) == {}
    assert errors(4) == {"kids": "Add at most 3. Remove the extra ones."}


def test_required_group_with_no_rows_asks_for_one() -> None:
    spec = parse_definition(
        {
            "format": "machi-form/1",
            "steps": [
                {
                    "key": "s",
                    "title": "s",
                    "fields": [
                        {
                            "key": "kids",
                            "type": "group",
                            "label": "子",
                            "required": True,
                            "fields": [{"key": "kid", "type": "text", "label": "名前"}],
                        }
                    ],
                }
            ],
        }
    )
    outcome = clean_step(
        spec, spec.steps[0], {"kids": [{"kid": " "}]}, {}, language="en", today=TODAY
    )
    assert messages(outcome) == {"kids": "Add at least 1 子."}


def test_unknown_key_in_a_group_row_is_refused() -> None:
    with pytest.raises(ForgedInput) as caught:
        step(ORDER, {"items": [{"item": "sofa", "count": "1", "price": "0"}]})
    assert caught.value.keys == ["items[0].price"]


def test_zero_is_an_answer_on_a_page() -> None:
    outcome = step(ORDER, {"copies": "0", "amount": "0円"}, about_answers())
    assert outcome.ok
    assert outcome.answers.get("copies") == 0
    assert outcome.answers.get("amount") == 0


def test_zero_is_an_answer_for_a_required_number() -> None:
    spec = parse_definition(
        {
            "format": "machi-form/1",
            "steps": [
                {
                    "key": "s",
                    "title": "s",
                    "fields": [
                        {"key": "n", "type": "number", "label": "人数", "required": True, "min": 0}
                    ],
                }
            ],
        }
    )
    outcome = clean_answers(spec, {"n": 0}, language="en", today=TODAY)
    assert outcome.ok, outcome.errors
    assert outcome.answers == {"n": 0}


# -- cleaning all answers ----------------------------------------------------------------

ALL_GOOD: dict[str, Any] = {
    **ABOUT_BY_MAIL,
    "pets": ["dog"],
    "copies": "2",
    "items": [{"item": "sofa", "count": "1"}],
    "dog_name": "ポチ",
}


def test_clean_answers_cleans_every_step_that_applies() -> None:
    outcome = clean_answers(SPEC, ALL_GOOD, language="ja", today=TODAY)
    assert outcome.ok, outcome.errors
    assert outcome.answers["dog_name"] == "ポチ"
    assert outcome.answers["copies"] == 2
    assert outcome.answers["agree"] is True


def test_clean_answers_reports_missing_answers_of_every_step() -> None:
    outcome = clean_answers(SPEC, {"pets": ["dog"]}, language="ja", today=TODAY)
    assert set(messages(outcome)) == {"name", "delivery", "agree", "dog_name"}


@pytest.mark.parametrize(
    "extra",
    [
        {"is_admin": True},
        {"note": "窓口で"},  # only for delivery at the counter
        {"phone": "0595821111"},  # only when delivery is by phone
        {"dog_name": "ポチ", "pets": ["cat"]},  # the dog step does not apply
    ],
)
def test_strict_refuses_unknown_keys_and_answers_that_do_not_apply(extra: dict[str, Any]) -> None:
    data = {**ALL_GOOD, **extra}
    with pytest.raises(ForgedInput):
        clean_answers(SPEC, data, language="ja", today=TODAY)
    outcome = clean_answers(SPEC, data, language="ja", today=TODAY, strict=False)
    assert set(outcome.answers) <= set(SPEC.fields_by_key)
    for key in set(extra) - {"pets"}:
        assert key not in outcome.answers


def test_strict_refuses_answers_to_locked_fields() -> None:
    locked = {"name": "亀山 花子"}
    with pytest.raises(ForgedInput) as caught:
        clean_answers(SPEC, ALL_GOOD, language="ja", today=TODAY, locked=locked)
    assert caught.value.keys == ["name"]
    outcome = clean_answers(SPEC, ALL_GOOD, language="ja", today=TODAY, locked=locked, strict=False)
    assert outcome.answers["name"] == "亀山 花子"


def test_strict_accepts_empty_answers_to_questions_that_do_not_apply() -> None:
    outcome = clean_answers(
        SPEC, {**ALL_GOOD, "note": "", "phone": None}, language="ja", today=TODAY
    )
    assert outcome.ok


def test_wrong_answer_to_a_question_that_applies_is_an_error_not_forgery() -> None:
    outcome = clean_answers(SPEC, {**ALL_GOOD, "copies": "たくさん"}, language="ja", today=TODAY)
    assert list(messages(outcome)) == ["copies"]


# -- reading a posted page ---------------------------------------------------------------


def post(**values: str | list[str]) -> QueryDict:
    data = QueryDict(mutable=True)
    data["csrfmiddlewaretoken"] = "token"
    data["form_version"] = "1"
    for name, value in values.items():
        data.setlist(name.replace("__", "-"), value if isinstance(value, list) else [value])
    return data


def test_read_page_reads_plain_fields_and_ignores_other_names() -> None:
    raw = read_page(ABOUT, post(f__name="亀山 太郎", f__delivery="mail", f__agree="yes"), {})
    assert raw == {"name": "亀山 太郎", "delivery": "mail", "agree": "yes"}


def test_read_page_reads_a_querystring_with_groups_and_checkbox_lists() -> None:
    body = (
        "f-pets=dog&f-pets=cat&f-copies=%EF%BC%92"
        "&f-items-0-_item=1&f-items-0-item=sofa&f-items-0-count=1"
        "&f-items-0-parts=lamp&f-items-0-parts=cushion"
        "&f-items-1-_item=1"
        "&f-items-10-_item=1&f-items-10-item=bicycle&f-items-10-count=3"
        "&f-photo=ignored&_action=&form_version=1"
    )
    raw = read_page(ORDER, QueryDict(body), about_answers())
    assert raw == {
        "pets": ["dog", "cat"],
        "copies": "２",
        "items": [
            {"item": "sofa", "count": "1", "parts": ["lamp", "cushion"]},
            {},
            {"item": "bicycle", "count": "3"},
        ],
    }
    outcome = step(ORDER, raw, about_answers())
    assert outcome.ok, outcome.errors
    assert outcome.answers["items"] == [
        {"item": "sofa", "count": 1, "parts": ["cushion", "lamp"]},
        {"item": "bicycle", "count": 3},
    ]
    assert outcome.answers["pets"] == ["dog", "cat"]


def test_read_page_keeps_a_row_that_only_has_its_marker() -> None:
    raw = read_page(ORDER, post(f__items__0___item="1"), about_answers())
    assert raw == {"items": [{}]}


@pytest.mark.parametrize(
    "name",
    [
        "f-is_admin",
        "f-name",  # a field of another step
        "f-note",  # hidden by an answer of the earlier step
        "f-items",  # a group is only posted row by row
        "f-items-0-price",  # not a field of the group
        "f-pets-0-item",  # not a group
        "f-items-x-item",
        "f-",
    ],
)
def test_read_page_refuses_names_the_page_does_not_have(name: str) -> None:
    data = post(f__copies="1")
    data[name] = "1"
    with pytest.raises(ForgedInput):
        read_page(ORDER, data, about_answers())


def test_read_page_accepts_a_field_revealed_on_the_page() -> None:
    raw = read_page(ABOUT, post(f__delivery="phone", f__email="a@example.jp"), {})
    assert raw == {"delivery": "phone", "email": "a@example.jp"}
    assert "email" not in step(ABOUT, {**raw, "name": "x", "agree": "on"}).answers


# -- the summary -------------------------------------------------------------------------


def test_summary_lists_only_steps_and_fields_that_apply_with_display_text() -> None:
    answers = clean_answers(
        SPEC,
        {**ALL_GOOD, "pets": ["cat"], "dog_name": "", "day": "R8.5.3", "postal": "5190195"},
        language="ja",
        today=TODAY,
    ).answers
    sections = summarize(SPEC, answers, "ja")
    assert [s.title for s in sections] == ["申請者", "申込内容"]  # no dog step
    about = {row.key: row.value for row in sections[0].rows}
    assert about == {
        "name": "亀山 太郎",
        "kana": "",
        "delivery": "郵送",
        "email": "taro@example.jp",
        "agree": "Yes",
    }
    assert "phone" not in about
    order = {row.key: row for row in sections[1].rows}
    assert "note" not in order
    assert order["pets"].value == "猫"
    assert order["day"].value == "令和8年5月3日（2026-05-03）"
    assert order["postal"].value == "〒519-0195"
    assert order["items"].items == ((("品目", "ソファ"), ("数", "1")),)


def test_summary_in_english_uses_english_labels() -> None:
    sections = summarize(SPEC, about_answers(), "en")
    assert sections[0].title == "Applicant"
    rows = {row.key: row for row in sections[0].rows}
    assert (rows["delivery"].label, rows["delivery"].value) == ("Delivery", "By post")


def test_thousands_of_digits_are_refused_not_a_server_error() -> None:
    from machi.core.formdef.fieldtypes import FieldInvalid, parse_value

    number = Field(key="n", type="number", label="数")
    yen = Field(key="y", type="yen", label="金額")
    text = Field(key="t", type="text", label="文", max_length=10000)
    for item, raw in ((number, "1" * 4301), (yen, "9" * 5000), (text, 10**4400)):
        with pytest.raises(FieldInvalid):
            parse_value(item, raw, today=dt.date(2026, 11, 30))
