"""Scenario menus: staff-defined question flows, checked before they are saved, that
residents walk through without typing (and without JavaScript)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from machi.assistant.models import Scenario
from machi.assistant.scenario_definition import scenario_problems
from machi.assistant.services.scenarios import scenarios_import
from machi.core.models import Municipality

GOOD = {
    "format": "machi-scenario/1",
    "start": "item",
    "nodes": {
        "item": {
            "text": "何を出しますか？",
            "options": [
                {"label": "大きいもの", "next": "sodai"},
                {"label": "家電", "answer": "お店に引き取りを頼んでください。"},
            ],
        },
        "sodai": {
            "text": "粗大ごみは申込制です。",
            "options": [
                {"label": "申し込む", "url": "/procedures/sodai-gomi/"},
                {"label": "戻る", "next": "item"},
            ],
        },
    },
}


def test_a_good_menu_has_no_problems() -> None:
    assert scenario_problems(GOOD) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(format="x"), "format"),
        (lambda d: d.update(start="nowhere"), "start"),
        (lambda d: d["nodes"]["item"]["options"].append({"label": "x", "next": "gone"}), "gone"),
        (lambda d: d["nodes"]["item"]["options"].append({"label": "x"}), "options[2]"),
        (
            lambda d: d["nodes"]["item"]["options"].append({"label": "x", "url": "javascript:1"}),
            "url",
        ),
        (lambda d: d["nodes"]["item"].update(options=[]), "nodes.item.options"),
        (
            lambda d: d["nodes"].update(
                lost={"text": "t", "options": [{"label": "a", "answer": "b"}]}
            ),
            "lost",
        ),
        (lambda d: d["nodes"]["item"]["options"][0].update(label="あ" * 41), "label"),
    ],
)
def test_every_problem_is_named_with_its_place(change: object, expected: str) -> None:
    import copy

    definition = copy.deepcopy(GOOD)
    change(definition)  # type: ignore[operator]
    problems = scenario_problems(definition)
    assert problems and any(expected in p for p in problems), problems


@pytest.mark.django_db
def test_an_invalid_file_imports_nothing(city: Municipality) -> None:
    bad = "- code: ok\n  title: OK\n  definition: {format: machi-scenario/1, start: a, nodes: {}}\n"
    with pytest.raises(ValidationError) as refused:
        scenarios_import(municipality=city, text=bad)
    assert "[0].nodes" in " ".join(refused.value.messages)
    assert not Scenario.objects.exists()
    with pytest.raises(ValidationError):
        scenarios_import(municipality=city, text="{not: [valid")


@pytest.mark.django_db
def test_residents_walk_the_demo_menu_without_javascript() -> None:
    call_command("load_demo", stdout=StringIO())
    client = Client(HTTP_HOST="localhost")
    menus = client.get("/assistant/menus/").content.decode()
    assert "ごみの出し方" in menus
    start = client.get("/assistant/menus/gomi-dashikata/").content.decode()
    assert "何を出しますか？" in start
    assert 'href="/assistant/menus/gomi-dashikata/sodai/"' in start
    assert "<details><summary>テレビ・冷蔵庫・洗濯機・エアコン</summary>" in start
    sodai = client.get("/assistant/menus/gomi-dashikata/sodai/").content.decode()
    assert 'href="/procedures/sodai-gomi/"' in sodai
    assert client.get("/assistant/menus/gomi-dashikata/nowhere/").status_code == 404
    assert client.get("/assistant/menus/no-such-menu/").status_code == 404
    call_command("load_demo", stdout=StringIO())  # repeating changes nothing
    assert Scenario.objects.count() == 1
