"""The assistant's JSON API refuses what its schema does not allow, in its documented
error body ``{code, detail, problems}``: numbers where text is asked, JSON nested too
deeply, broken feedback; and the schema lists those answers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from machi.assistant.models import Turn

pytestmark = pytest.mark.django_db

QUESTIONS = "/api/v1/assistant/questions/"


def _post(path: str, body: Any) -> Any:
    if not isinstance(body, str):
        import json

        body = json.dumps(body)
    return Client().post(path, body, content_type="application/json")


@pytest.mark.parametrize("question", [0, 1.5, True, ["ごみ"], {"q": "ごみ"}, None])
def test_a_question_that_is_not_text_is_refused(city: Any, question: Any) -> None:
    response = _post(QUESTIONS, {"question": question})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert [p["field"] for p in body["problems"]] == ["question"]
    assert not Turn.objects.exists()


def test_json_nested_fifty_thousand_levels_is_refused(city: Any) -> None:
    response = _post(QUESTIONS, '{"question": ' + "[" * 50_000 + "]" * 50_000 + "}")
    assert response.status_code == 400
    assert response.json()["code"] == "too_deep"
    assert "入れ子" in response.json()["detail"]


def test_a_lone_surrogate_in_the_question_is_refused(city: Any) -> None:
    response = _post(QUESTIONS, '{"question": "ごみ\\udc00"}')
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_characters"
    assert not Turn.objects.exists()


def test_feedback_without_a_token_is_a_documented_400(city: Any) -> None:
    reply = _post(QUESTIONS, {"question": "ごみの出し方"}).json()
    url = f"{QUESTIONS}{reply['turn']}/feedback/"
    response = _post(url, {"resolved": True, "feedback_token": 12345})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "feedback_token" in [p["field"] for p in response.json()["problems"]]
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    feedback = schema["paths"]["/api/v1/assistant/questions/{turn_id}/feedback/"]["post"]
    assert {"204", "400", "404"} <= set(feedback["responses"])
