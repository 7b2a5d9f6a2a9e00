"""JSON from outside is read within limits: nesting depth, size, and text PostgreSQL can
store. The parser never recurses per level, so 50,000 levels are a clean refusal."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.forms import JSONField
from hypothesis import given
from hypothesis import strategies as st

from machi.core import json_input
from machi.core.json_input import JSONInputError

DEEP = "[" * 50_000 + "]" * 50_000


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet=st.characters(codec="utf-8")),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=20,
)


@given(JSON_VALUES)
def test_depth_is_counted_like_the_parsed_value(value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False)
    assert json_input.nesting_depth(text) == _depth(value)


@given(JSON_VALUES)
def test_what_json_reads_within_the_limits_is_read_the_same(value: Any) -> None:
    text = json.dumps(value)
    if "\\u0000" in text:
        with pytest.raises(JSONInputError):
            json_input.loads(text)
        assert json_input.loads(text, allow_nul=True) == value
    else:
        assert json_input.loads(text) == value


@pytest.mark.parametrize("raw", [DEEP, DEEP.encode(), '{"a":' * 50_000 + "1" + "}" * 50_000])
def test_fifty_thousand_levels_are_refused_without_recursion(raw: str | bytes) -> None:
    with pytest.raises(JSONInputError) as refused:
        json_input.loads(raw)
    assert refused.value.code == "too_deep"
    assert "64" in refused.value.message
    assert "入れ子" in refused.value.message and "nested" in refused.value.message


def test_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps({"q": "[" * 1000 + '"\\' + "{" * 1000})
    assert json_input.loads(text) == json.loads(text)


def test_sixty_four_levels_are_read_sixty_five_are_not() -> None:
    assert json_input.loads("[" * 64 + "]" * 64) is not None
    with pytest.raises(JSONInputError):
        json_input.loads("[" * 65 + "]" * 65)


def test_too_large_is_refused(settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    with pytest.raises(JSONInputError) as refused:
        json_input.loads(json.dumps({"a": "x" * 1000}))
    assert refused.value.code == "too_large"


@pytest.mark.parametrize("text", ['"\\ud800"', '{"\\udfff": 1}', '["a", ["\\u0000"]]'])
def test_lone_surrogates_and_nul_are_refused(text: str) -> None:
    with pytest.raises(JSONInputError) as refused:
        json_input.loads(text)
    assert refused.value.code == "invalid_characters"


def test_a_surrogate_pair_is_one_character_and_is_read() -> None:
    assert json_input.loads('"\\ud83d\\ude00"') == "😀"


def test_a_django_json_form_field_refuses_deep_json_as_a_field_error() -> None:
    field = JSONField(decoder=json_input.BoundedJSONDecoder)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        field.clean(DEEP)
    with pytest.raises(ValidationError):
        field.clean('{"a": "\\u0000"}')
    assert field.clean('{"a": [1, 2]}') == {"a": [1, 2]}
