"""書かない窓口: what the details entered once mean for each form (fast, no database).

A move into the city makes the new address the resident's address, and the move itself
selects each form's own choice for it; forms declare which field takes which fact."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from machi.casework.services.counter import counter_facts, move_kind
from machi.core.formdef.definition import DefinitionError, parse_definition
from machi.core.formdef.prefill import prefill_from
from machi.core.models import Municipality

CITY = Municipality(name="亀山市", prefecture="三重県")
MOVED = (dt.date.today() - dt.timedelta(days=3)).isoformat()
MOVE_IN = {
    "name": "津 花子",
    "address": "三重県津市江戸橋1-1",
    "postal_code": "5140001",
    "new_address": "三重県亀山市本丸町577",
    "new_postal_code": "5190195",
    "move_date": MOVED,
}
CATALOG = Path(__file__).parents[2] / "procedures" / "data" / "kameyama-procedures.yaml"


def _form(code: str) -> Any:
    procedures = yaml.safe_load(CATALOG.read_text(encoding="utf-8"))["procedures"]
    return parse_definition(next(p for p in procedures if p["code"] == code)["form"])


@pytest.mark.parametrize(
    ("address", "new_address", "kind"),
    [
        ("三重県津市江戸橋1-1", "三重県亀山市本丸町577", "in"),
        ("三重県津市江戸橋1-1", "亀山市 本丸町577", "in"),
        ("三重県亀山市野村1-1", "三重県亀山市本丸町577", "within"),
        ("三重県亀山市野村1-1", "三重県津市江戸橋1-1", "out"),
        ("三重県亀山市野村1-1", "", None),
    ],
)
def test_the_kind_of_move_comes_from_where_the_two_addresses_are(
    address: str, new_address: str, kind: str | None
) -> None:
    assert move_kind({"address": address, "new_address": new_address}, CITY) == kind


def test_moving_in_the_new_address_is_the_address_and_the_old_one_the_previous() -> None:
    facts = counter_facts(MOVE_IN, CITY)
    assert facts["address"] == "三重県亀山市本丸町577"
    assert facts["postal_code"] == "5190195"
    assert facts["previous_address"] == "三重県津市江戸橋1-1"
    assert facts["previous_postal_code"] == "5140001"
    assert facts["move"] == "in"
    assert facts["move_date"] == MOVED


def test_moving_out_the_address_stays_until_the_move() -> None:
    facts = counter_facts(
        {"address": "三重県亀山市野村1-1", "postal_code": "5190111", "new_address": "三重県津市1"},
        CITY,
    )
    assert facts["address"] == "三重県亀山市野村1-1"
    assert facts["postal_code"] == "5190111"
    assert facts["move"] == "out"


def test_a_new_address_without_its_postal_code_drops_the_old_postal_code() -> None:
    facts = counter_facts({**MOVE_IN, "new_postal_code": ""}, CITY)
    assert "postal_code" not in facts
    assert facts["previous_postal_code"] == "5140001"


def test_the_three_forms_of_a_move_in_start_from_the_new_address_and_the_move() -> None:
    facts = counter_facts(MOVE_IN, CITY)
    allowance = prefill_from(_form("jido-teate"), facts)
    assert allowance["address"] == "三重県亀山市本丸町577"
    insurance = prefill_from(_form("kokuho-kanyu"), facts)
    assert insurance["address"] == "三重県亀山市本丸町577"
    assert insurance["notice_type"] == "join"
    assert insurance["join_reason"] == "moved_in"
    assert insurance["change_date"] == MOVED
    dog = prefill_from(_form("inu-henko"), facts)
    assert dog["address"] == "三重県亀山市本丸町577"
    assert dog["new_place"] == "三重県亀山市本丸町577"
    assert dog["change_type"] == "move_in"
    assert dog["change_date"] == MOVED
    assert "三重県津市江戸橋1-1" not in {*allowance.values(), *insurance.values(), *dog.values()}


def test_a_form_maps_each_meaning_to_its_own_choice_or_to_none() -> None:
    spec = parse_definition(
        {
            "format": "machi-form/1",
            "steps": [
                {
                    "key": "s",
                    "title": "届出",
                    "fields": [
                        {
                            "key": "why",
                            "type": "select",
                            "label": "理由",
                            "prefill": "move",
                            "prefill_choices": {"in": "tennyu", "within": "tenkyo"},
                            "choices": [
                                {"value": "tennyu", "label": "転入"},
                                {"value": "tenkyo", "label": "転居"},
                            ],
                        },
                        {
                            "key": "before",
                            "type": "address",
                            "label": "前住所",
                            "prefill": "previous_address",
                        },
                    ],
                }
            ],
        }
    )
    assert prefill_from(spec, counter_facts(MOVE_IN, CITY)) == {
        "why": "tennyu",
        "before": "三重県津市江戸橋1-1",
    }
    moving_out = {"address": "三重県亀山市野村1-1", "new_address": "三重県津市1"}
    assert prefill_from(spec, counter_facts(moving_out, CITY)) == {"before": "三重県亀山市野村1-1"}


@pytest.mark.parametrize(
    ("field", "path"),
    [
        ({"type": "radio", "prefill": "move", "prefill_choices": {"in": "nope"}}, ".in"),
        ({"type": "radio", "prefill": "move", "prefill_choices": {"abroad": "a"}}, ".abroad"),
        ({"type": "radio", "prefill": "move"}, ""),
        ({"type": "radio", "prefill": "address", "prefill_choices": {"in": "a"}}, ""),
    ],
)
def test_a_mapping_that_cannot_work_is_refused_with_its_path(
    field: dict[str, Any], path: str
) -> None:
    raw = {
        "format": "machi-form/1",
        "steps": [
            {
                "key": "s",
                "title": "届出",
                "fields": [
                    {"key": "f", "label": "理由", "choices": [{"value": "a", "label": "A"}]} | field
                ],
            }
        ],
    }
    with pytest.raises(DefinitionError) as problem:
        parse_definition(raw)
    assert [p for p, _m in problem.value.problems] == [f"steps[0].fields[0].prefill_choices{path}"]
