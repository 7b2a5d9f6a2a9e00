"""The definition reader: staff write a form in JSON; every mistake is named with its path
so they can fix all of them at once in the admin."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from machi.core.formdef.definition import (
    MAX_STEPS,
    DefinitionError,
    FormSpec,
    parse_definition,
)

GOOD: dict[str, Any] = {
    "format": "machi-form/1",
    "steps": [
        {
            "key": "applicant",
            "title": "申請者",
            "title_en": "Applicant",
            "fields": [
                {
                    "key": "name",
                    "type": "text",
                    "label": "氏名",
                    "required": True,
                    "prefill": "name",
                },
                {"key": "name_kana", "type": "kana", "label": "フリガナ", "max_length": 50},
                {
                    "key": "email",
                    "type": "email",
                    "label": "メールアドレス",
                    "contact": True,
                    "prefill": "email",
                },
                {"key": "birthdate", "type": "date", "label": "生年月日", "date_range": "past"},
            ],
        },
        {
            "key": "order",
            "title": "申込内容",
            "fields": [
                {
                    "key": "delivery",
                    "type": "radio",
                    "label": "受取方法",
                    "required": True,
                    "choices": [
                        {"value": "mail", "label": "郵送", "price": 140},
                        {"value": "counter", "label": "窓口"},
                    ],
                },
                {
                    "key": "address",
                    "type": "address",
                    "label": "送付先",
                    "required": {"field": "delivery", "equals": "mail"},
                    "show_if": {"field": "delivery", "equals": "mail"},
                },
                {"key": "copies", "type": "number", "label": "通数", "min": 1, "max": 10},
                {
                    "key": "items",
                    "type": "group",
                    "label": "品目",
                    "min_items": 1,
                    "max_items": 5,
                    "fields": [
                        {
                            "key": "item",
                            "type": "select",
                            "label": "品目",
                            "choices": [
                                {"value": "sofa", "label": "ソファ", "price": 1000},
                                {"value": "desk", "label": "机", "price": 500},
                            ],
                        },
                        {"key": "count", "type": "number", "label": "数", "min": 1},
                    ],
                },
                {"key": "photo", "type": "file", "label": "写真", "max_files": 2},
            ],
        },
    ],
    "computed": [
        {
            "key": "fee",
            "label": "手数料",
            "kind": "yen",
            "expr": {
                "add": [
                    {"mul": [300, {"field": "copies"}]},
                    {"price": "delivery"},
                    {
                        "sum": {
                            "group": "items",
                            "of": {"mul": [{"price": "item"}, {"field": "count"}]},
                        }
                    },
                ]
            },
        },
        {"key": "rows", "label": "品目数", "kind": "number", "expr": {"count": "items"}},
    ],
}


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def good() -> dict[str, Any]:
    return copy.deepcopy(GOOD)


def problems(raw: Any) -> dict[str, str]:
    """Path → message of every problem; fails the test when the definition is accepted."""
    with pytest.raises(DefinitionError) as caught:
        parse_definition(raw)
    found: dict[str, str] = {}
    for path, message in caught.value.problems:
        found.setdefault(path, message)
    return found


def field_of(raw: dict[str, Any], step: int, index: int) -> dict[str, Any]:
    field: dict[str, Any] = raw["steps"][step]["fields"][index]
    return field


def add_field(raw: dict[str, Any], step: int, field: dict[str, Any]) -> str:
    """Append ``field`` to a step; return its path."""
    fields = raw["steps"][step]["fields"]
    fields.append(field)
    return f"steps[{step}].fields[{len(fields) - 1}]"


# -- a good definition -------------------------------------------------------------------


def test_good_definition_is_read_into_steps_fields_and_computed_values() -> None:
    spec = parse_definition(good())
    assert isinstance(spec, FormSpec)
    assert [s.key for s in spec.steps] == ["applicant", "order"]
    assert spec.steps[0].text("en") == "Applicant"
    assert spec.steps[1].text("en") == "申込内容"  # no English title: the Japanese one
    assert list(spec.fields_by_key) == [
        "name",
        "name_kana",
        "email",
        "birthdate",
        "delivery",
        "address",
        "copies",
        "items",
        "photo",
    ]
    assert spec.step_of["address"] == "order"
    assert [c.key for c in spec.computed] == ["fee", "rows"]
    assert spec.computed[1].kind == "number"


def test_good_definition_keeps_the_settings_of_each_field() -> None:
    spec = parse_definition(good())
    name, kana = spec.field("name"), spec.field("name_kana")
    assert name is not None and name.required is True and name.prefill == "name"
    assert name.max_length == 200  # the default length of a one-line text
    assert kana is not None and kana.max_length == 50
    delivery = spec.field("delivery")
    assert delivery is not None
    assert [(c.value, c.price) for c in delivery.choices] == [("mail", 140), ("counter", None)]
    address = spec.field("address")
    assert address is not None
    assert address.show_if == {"field": "delivery", "equals": "mail"}
    assert address.required == {"field": "delivery", "equals": "mail"}
    items = spec.field("items")
    assert items is not None
    assert (items.min_items, items.max_items) == (1, 5)
    assert [c.key for c in items.fields] == ["item", "count"]
    photo = spec.field("photo")
    assert photo is not None and (photo.max_files, photo.max_size_mb) == (2, 10)
    email = spec.field("email")
    assert email is not None and email.contact is True


def test_a_single_checkbox_needs_no_choices_and_keeps_a_yes_or_no() -> None:
    raw = good()
    add_field(raw, 0, {"key": "agree", "type": "checkbox", "label": "同意する", "required": True})
    agree = parse_definition(raw).field("agree")
    assert agree is not None and not agree.is_multiple and agree.choices == ()


def test_conditions_may_combine_all_any_and_not() -> None:
    raw = good()
    field_of(raw, 1, 4)["show_if"] = {
        "all": [
            {"field": "delivery", "in": ["mail"]},
            {"any": [{"field": "copies", "gte": 2}, {"field": "name", "filled": True}]},
            {"not": {"field": "copies", "lte": 0}},
        ]
    }
    parse_definition(raw)


# -- mistakes, each with its exact path --------------------------------------------------


def test_a_definition_must_be_an_object() -> None:
    assert "" in problems(["not", "an", "object"])


def test_wrong_format_string_is_refused() -> None:
    raw = good()
    raw["format"] = "machi-form/2"
    found = problems(raw)
    assert found == {"format": 'Must be "machi-form/1".'}


def test_no_steps_or_too_many_steps_are_refused() -> None:
    raw = good()
    raw["steps"] = []
    assert "steps" in problems(raw)
    raw = good()
    step = raw["steps"][0]
    raw["steps"] = []
    for index in range(MAX_STEPS + 1):
        more = copy.deepcopy(step)
        more["key"] = f"step_{index}"
        for field in more["fields"]:
            field["key"] = f"{field['key']}_{index}"
        raw["steps"].append(more)
    found = problems(raw)
    assert found["steps"] == f"Give from 1 to {MAX_STEPS} steps."


def test_exactly_the_maximum_number_of_steps_is_fine() -> None:
    raw = {
        "format": "machi-form/1",
        "steps": [
            {
                "key": f"s{n}",
                "title": "t",
                "fields": [{"key": f"f{n}", "type": "text", "label": "l"}],
            }
            for n in range(MAX_STEPS)
        ],
    }
    assert len(parse_definition(raw).steps) == MAX_STEPS


def test_unknown_field_type_is_refused_and_lists_the_types() -> None:
    raw = good()
    field_of(raw, 0, 1)["type"] = "katakana"
    found = problems(raw)
    assert set(found) == {"steps[0].fields[1].type"}
    message = found["steps[0].fields[1].type"]
    assert message.startswith("Unknown field type. Use one of:")
    assert "kana" in message and "postal_code" in message


def test_unknown_setting_is_refused() -> None:
    raw = good()
    field_of(raw, 0, 0)["mandatory"] = True
    assert problems(raw) == {"steps[0].fields[0].mandatory": "Unknown setting."}


def test_duplicate_key_in_the_form_is_refused_where_it_is_used_again() -> None:
    raw = good()
    field_of(raw, 1, 2)["key"] = "name"  # "copies" renamed to a key of step 1
    found = problems(raw)
    assert found["steps[1].fields[2].key"] == "This key is used twice."
    assert "steps[0].fields[0].key" not in found  # the first use is fine


def test_duplicate_step_key_is_refused() -> None:
    raw = good()
    raw["steps"][1]["key"] = "applicant"
    assert problems(raw) == {"steps[1].key": "This key is used twice."}


def test_duplicate_key_in_a_group_is_refused() -> None:
    raw = good()
    field_of(raw, 1, 3)["fields"].append({"key": "count", "type": "number", "label": "数"})
    found = problems(raw)
    assert found == {"steps[1].fields[3].fields[2].key": "This key is used twice."}


def test_computed_key_that_is_also_a_field_key_is_refused() -> None:
    raw = good()
    raw["computed"][1]["key"] = "copies"
    assert problems(raw) == {"computed[1].key": "This key is used twice."}


@pytest.mark.parametrize(
    "key",
    ["Name", "1st", "first-name", "名前", "", "_name", "a" * 41, "name kana", 7, None],
)
def test_bad_key_syntax_is_refused_with_an_example(key: Any) -> None:
    raw = good()
    field_of(raw, 0, 0)["key"] = key
    found = problems(raw)
    assert "steps[0].fields[0].key" in found
    assert "e.g. name_kana" in found["steps[0].fields[0].key"]


def test_a_key_of_forty_characters_is_fine() -> None:
    raw = good()
    field_of(raw, 0, 0)["key"] = "a" * 40
    parse_definition(raw)


def test_bad_step_key_is_refused() -> None:
    raw = good()
    raw["steps"][0]["key"] = "Step 1"
    assert "steps[0].key" in problems(raw)


def test_field_without_label_is_refused() -> None:
    raw = good()
    field_of(raw, 0, 0)["label"] = "  "
    assert problems(raw) == {"steps[0].fields[0].label": "Must not be empty."}


def test_step_without_fields_is_refused() -> None:
    raw = good()
    raw["steps"][0]["fields"] = []
    assert problems(raw)["steps[0].fields"] == "A step needs at least one field."


def test_select_without_choices_is_refused() -> None:
    raw = good()
    path = add_field(raw, 0, {"key": "ward", "type": "select", "label": "地区"})
    assert problems(raw) == {f"{path}.choices": "Give at least one choice."}


def test_radio_with_an_empty_list_of_choices_is_refused() -> None:
    raw = good()
    field_of(raw, 1, 0)["choices"] = []
    assert "steps[1].fields[0].choices" in problems(raw)


def test_duplicate_choice_values_are_refused_at_the_second_one() -> None:
    raw = good()
    field_of(raw, 1, 0)["choices"][1]["value"] = "mail"
    found = problems(raw)
    assert found == {"steps[1].fields[0].choices[1].value": "This value is used twice."}


def test_negative_price_is_refused() -> None:
    raw = good()
    field_of(raw, 1, 0)["choices"][0]["price"] = -140
    assert problems(raw) == {
        "steps[1].fields[0].choices[0].price": "Must be from 0 to 1,000,000,000."
    }


def test_choices_on_a_text_field_are_refused() -> None:
    raw = good()
    field_of(raw, 0, 0)["choices"] = [{"value": "a", "label": "A"}]
    assert "steps[0].fields[0].choices" in problems(raw)


def test_condition_on_a_later_field_is_refused() -> None:
    raw = good()
    field_of(raw, 1, 0)["show_if"] = {"field": "copies", "gte": 2}  # copies comes after
    found = problems(raw)
    assert found == {
        "steps[1].fields[0].show_if.field": "Refer to a field that comes earlier in the form."
    }


def test_condition_on_the_field_itself_is_refused() -> None:
    raw = good()
    field_of(raw, 1, 2)["required"] = {"field": "copies", "filled": True}
    found = problems(raw)
    assert found == {
        "steps[1].fields[2].required.field": "Refer to a field that comes earlier in the form."
    }


def test_condition_on_an_unknown_field_is_refused() -> None:
    raw = good()
    field_of(raw, 1, 2)["show_if"] = {"field": "nothing", "equals": "x"}
    assert "steps[1].fields[2].show_if.field" in problems(raw)


def test_step_condition_on_a_field_of_the_same_step_is_refused() -> None:
    raw = good()
    raw["steps"][1]["show_if"] = {"field": "delivery", "equals": "mail"}
    assert "steps[1].show_if.field" in problems(raw)


def test_step_condition_on_an_earlier_step_is_fine() -> None:
    raw = good()
    raw["steps"][1]["show_if"] = {"field": "name", "filled": True}
    spec = parse_definition(raw)
    assert spec.steps[1].show_if == {"field": "name", "filled": True}


@pytest.mark.parametrize("target", ["items", "photo"])
def test_condition_on_a_group_or_a_file_is_refused(target: str) -> None:
    raw = good()
    path = add_field(
        raw,
        1,
        {
            "key": "note",
            "type": "text",
            "label": "備考",
            "show_if": {"field": target, "filled": True},
        },
    )
    assert problems(raw) == {f"{path}.show_if.field": "Conditions cannot look at groups or files."}


def test_condition_on_a_field_inside_a_group_is_refused() -> None:
    raw = good()
    path = add_field(
        raw,
        1,
        {"key": "note", "type": "text", "label": "備考", "show_if": {"field": "count", "gte": 1}},
    )
    assert f"{path}.show_if.field" in problems(raw)


@pytest.mark.parametrize(
    "condition",
    [
        {"field": "delivery", "contains": "mail"},
        {"field": "delivery"},
        {"field": "delivery", "equals": "mail", "not_equals": "counter"},
        {"field": "delivery", "equals": "mail", "because": "x"},
    ],
)
def test_unknown_or_missing_condition_operator_is_refused(condition: dict[str, Any]) -> None:
    raw = good()
    field_of(raw, 1, 1)["show_if"] = condition
    found = problems(raw)
    message = found["steps[1].fields[1].show_if"]
    assert "equals, not_equals, in, filled, gte, lte" in message


@pytest.mark.parametrize(
    "condition",
    [
        {},
        [],
        "delivery == mail",
        {"all": []},
        {"any": "x"},
        {"all": [], "any": []},
        {"not": {}, "field": "x"},
    ],
)
def test_malformed_condition_is_refused_at_its_path(condition: Any) -> None:
    raw = good()
    field_of(raw, 1, 1)["show_if"] = condition
    found = problems(raw)
    assert any(path.startswith("steps[1].fields[1].show_if") for path in found), found


def test_in_without_a_list_is_refused() -> None:
    raw = good()
    field_of(raw, 1, 1)["show_if"] = {"field": "delivery", "in": "mail"}
    assert problems(raw)["steps[1].fields[1].show_if.in"] == '"in" takes a list of values.'


def test_condition_value_that_is_not_a_choice_is_refused() -> None:
    raw = good()
    field_of(raw, 1, 1)["show_if"] = {"field": "delivery", "equals": "post"}
    found = problems(raw)
    assert found == {"steps[1].fields[1].show_if.equals": "post is not a choice of that field."}


@pytest.mark.parametrize(
    ("operator", "operand"), [("gte", "2"), ("lte", True), ("gte", 1.5), ("filled", "yes")]
)
def test_condition_operand_of_the_wrong_kind_is_refused(operator: str, operand: Any) -> None:
    raw = good()
    path = add_field(
        raw,
        1,
        {
            "key": "note",
            "type": "text",
            "label": "備考",
            "show_if": {"field": "copies", operator: operand},
        },
    )
    assert f"{path}.show_if.{operator}" in problems(raw)


def test_nested_condition_problem_has_the_nested_path() -> None:
    raw = good()
    field_of(raw, 1, 1)["show_if"] = {
        "all": [
            {"field": "delivery", "equals": "mail"},
            {"not": {"field": "later", "filled": True}},
        ]
    }
    assert "steps[1].fields[1].show_if.all[1].not.field" in problems(raw)


def test_min_greater_than_max_is_refused() -> None:
    raw = good()
    field_of(raw, 1, 2).update({"min": 10, "max": 1})
    assert problems(raw) == {"steps[1].fields[2].max": "The maximum is smaller than the minimum."}


def test_min_on_a_text_field_is_refused() -> None:
    raw = good()
    field_of(raw, 0, 0)["min"] = 1
    assert "steps[0].fields[0].min" in problems(raw)


def test_min_that_is_not_a_whole_number_is_refused() -> None:
    raw = good()
    field_of(raw, 1, 2)["min"] = "1"
    assert problems(raw) == {"steps[1].fields[2].min": "Must be a whole number."}


@pytest.mark.parametrize(("kind", "length"), [("text", 0), ("text", 10001), ("number", 5)])
def test_bad_max_length_is_refused(kind: str, length: int) -> None:
    raw = good()
    path = add_field(raw, 0, {"key": "extra", "type": kind, "label": "追加", "max_length": length})
    assert f"{path}.max_length" in problems(raw)


def test_unknown_prefill_source_is_refused_and_lists_the_sources() -> None:
    raw = good()
    field_of(raw, 0, 0)["prefill"] = "full_name"
    found = problems(raw)
    assert set(found) == {"steps[0].fields[0].prefill"}
    assert "name_kana" in found["steps[0].fields[0].prefill"]


def test_prefill_inside_a_group_is_refused() -> None:
    raw = good()
    field_of(raw, 1, 3)["fields"].append(
        {"key": "owner", "type": "text", "label": "所有者", "prefill": "name"}
    )
    assert problems(raw) == {
        "steps[1].fields[3].fields[2].prefill": "Fields inside a group are not prefilled."
    }


def test_contact_on_a_field_that_is_not_an_email_is_refused() -> None:
    raw = good()
    field_of(raw, 0, 0)["contact"] = True
    assert problems(raw) == {
        "steps[0].fields[0].contact": "Only an e-mail field can be the contact address."
    }


@pytest.mark.parametrize(("kind", "date_range"), [("date", "someday"), ("text", "past")])
def test_bad_date_range_is_refused(kind: str, date_range: str) -> None:
    raw = good()
    path = add_field(raw, 0, {"key": "when", "type": kind, "label": "日", "date_range": date_range})
    assert f"{path}.date_range" in problems(raw)


def test_group_inside_a_group_is_refused() -> None:
    raw = good()
    field_of(raw, 1, 3)["fields"].append(
        {
            "key": "parts",
            "type": "group",
            "label": "部品",
            "fields": [{"key": "part", "type": "text", "label": "部品"}],
        }
    )
    assert problems(raw) == {
        "steps[1].fields[3].fields[2].type": "A repeating group cannot contain this type."
    }


def test_file_inside_a_group_is_refused() -> None:
    raw = good()
    field_of(raw, 1, 3)["fields"].append({"key": "picture", "type": "file", "label": "写真"})
    assert problems(raw) == {
        "steps[1].fields[3].fields[2].type": "A repeating group cannot contain this type."
    }


def test_show_if_on_a_group_child_is_refused() -> None:
    raw = good()
    field_of(raw, 1, 3)["fields"][1]["show_if"] = {"field": "delivery", "equals": "mail"}
    assert problems(raw) == {
        "steps[1].fields[3].fields[1].show_if": "Fields inside a group cannot be conditional."
    }


def test_group_without_fields_is_refused() -> None:
    raw = good()
    field_of(raw, 1, 3)["fields"] = []
    assert "steps[1].fields[3].fields" in problems(raw)


def test_fields_on_a_field_that_is_not_a_group_are_refused() -> None:
    raw = good()
    field_of(raw, 0, 0)["fields"] = [{"key": "x", "type": "text", "label": "x"}]
    assert "steps[0].fields[0].fields" in problems(raw)


@pytest.mark.parametrize(("min_items", "max_items"), [(3, 2), (-1, 5), (1, 51)])
def test_group_item_limits_out_of_order_are_refused(min_items: int, max_items: int) -> None:
    raw = good()
    field_of(raw, 1, 3).update({"min_items": min_items, "max_items": max_items})
    assert "steps[1].fields[3].max_items" in problems(raw)


@pytest.mark.parametrize(
    ("name", "value"), [("max_files", 11), ("max_size_mb", 21), ("max_files", -1)]
)
def test_file_limits_out_of_range_are_refused(name: str, value: int) -> None:
    raw = good()
    field_of(raw, 1, 4)[name] = value
    assert f"steps[1].fields[4].{name}" in problems(raw)


@pytest.mark.parametrize("name", ["max_files", "max_size_mb"])
def test_file_limit_of_zero_is_refused(name: str) -> None:
    raw = good()
    field_of(raw, 1, 4)[name] = 0
    try:
        parse_definition(raw)
    except DefinitionError as exc:
        paths = {path for path, _message in exc.problems}
    else:
        paths = set()
    assert f"steps[1].fields[4].{name}" in paths


def test_required_that_is_neither_a_bool_nor_a_condition_is_refused() -> None:
    raw = good()
    field_of(raw, 0, 0)["required"] = "yes"
    assert problems(raw) == {"steps[0].fields[0].required": "Must be true, false or a condition."}


# -- computed values ---------------------------------------------------------------------


def test_price_of_a_field_without_prices_is_refused() -> None:
    raw = good()
    raw["computed"][1]["expr"] = {"price": "name"}
    assert problems(raw) == {"computed[1].expr.price": "That field has no choice with a price."}


def test_price_of_a_group_child_outside_sum_is_refused() -> None:
    raw = good()
    raw["computed"][1]["expr"] = {"price": "item"}
    assert "computed[1].expr.price" in problems(raw)


def test_field_of_a_text_field_cannot_be_counted() -> None:
    raw = good()
    raw["computed"][1]["expr"] = {"field": "name"}
    assert problems(raw) == {"computed[1].expr.field": "Only number and yen fields can be counted."}


def test_sum_over_something_that_is_not_a_group_is_refused() -> None:
    raw = good()
    raw["computed"][1]["expr"] = {"sum": {"group": "copies", "of": {"field": "count"}}}
    found = problems(raw)
    assert found == {
        "computed[1].expr.sum": '"sum" takes {"group": <repeating group>, "of": <expression>}.'
    }


def test_sum_without_of_is_refused() -> None:
    raw = good()
    raw["computed"][1]["expr"] = {"sum": {"group": "items"}}
    assert "computed[1].expr.sum" in problems(raw)


def test_sum_over_a_group_refers_to_the_groups_own_fields() -> None:
    raw = good()
    raw["computed"][1]["expr"] = {"sum": {"group": "items", "of": {"field": "copies"}}}
    assert "computed[1].expr.sum.of.field" in problems(raw)


def test_unknown_computed_operator_is_refused() -> None:
    raw = good()
    raw["computed"][1]["expr"] = {"avg": [1, 2]}
    assert problems(raw) == {"computed[1].expr": "Unknown operator avg."}


@pytest.mark.parametrize("expr", [None, True, 1.5, "100", {"add": [1], "mul": [2]}, {}])
def test_expression_that_is_not_a_number_or_one_operator_is_refused(expr: Any) -> None:
    raw = good()
    raw["computed"][1]["expr"] = expr
    assert "computed[1].expr" in problems(raw)


def test_empty_list_for_add_is_refused() -> None:
    raw = good()
    raw["computed"][1]["expr"] = {"add": []}
    assert "computed[1].expr.add" in problems(raw)


def test_count_of_something_that_is_not_a_group_is_refused() -> None:
    raw = good()
    raw["computed"][1]["expr"] = {"count": "copies"}
    assert problems(raw) == {"computed[1].expr.count": "Refer to a repeating group."}


def test_if_needs_when_then_and_else() -> None:
    raw = good()
    raw["computed"][1]["expr"] = {"if": {"when": {"field": "copies", "gte": 2}, "then": 1}}
    assert "computed[1].expr.if" in problems(raw)


def test_condition_inside_if_is_checked() -> None:
    raw = good()
    raw["computed"][1]["expr"] = {
        "if": {"when": {"field": "delivery", "equals": "drone"}, "then": 1, "else": 0}
    }
    assert "computed[1].expr.if.when.equals" in problems(raw)


def test_unknown_computed_kind_is_refused() -> None:
    raw = good()
    raw["computed"][1]["kind"] = "percent"
    assert problems(raw) == {"computed[1].kind": 'Use "yen" or "number".'}


def test_computed_that_is_not_a_list_is_refused() -> None:
    raw = good()
    raw["computed"] = {"fee": 100}
    assert problems(raw) == {"computed": "Must be a list."}


# -- every problem at once ---------------------------------------------------------------


def test_several_problems_are_reported_together() -> None:
    raw = good()
    raw["format"] = "form"
    field_of(raw, 0, 0)["type"] = "string"
    field_of(raw, 0, 2)["key"] = "E-mail"
    field_of(raw, 1, 0)["choices"][1]["value"] = "mail"
    field_of(raw, 1, 2).update({"min": 5, "max": 2})
    field_of(raw, 1, 3)["fields"].append(
        {
            "key": "x",
            "type": "group",
            "label": "x",
            "fields": [{"key": "y", "type": "text", "label": "y"}],
        }
    )
    raw["computed"][1]["expr"] = {"avg": []}
    found = problems(raw)
    assert {
        "format",
        "steps[0].fields[0].type",
        "steps[0].fields[2].key",
        "steps[1].fields[0].choices[1].value",
        "steps[1].fields[2].max",
        "steps[1].fields[3].fields[2].type",
        "computed[1].expr",
    } <= set(found)


def test_error_text_names_every_problem_with_its_path() -> None:
    raw = good()
    field_of(raw, 0, 0)["type"] = "string"
    raw["computed"][1]["kind"] = "percent"
    with pytest.raises(DefinitionError) as caught:
        parse_definition(raw)
    text = str(caught.value)
    assert "steps[0].fields[0].type: Unknown field type." in text
    assert 'computed[1].kind: Use "yen" or "number".' in text
