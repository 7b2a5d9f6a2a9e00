"""The resident's chat on the web and through the API: answers, もしかして, feedback,
hand-off to a person, masking of personal data, and bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from machi.assistant.models import FaqEntry, Feedback, Turn
from machi.assistant.services.faq import faq_import_csv
from machi.core.models import Municipality
from machi.procedures.models import Draft
from machi.procedures.tests.conftest import Catalog

pytestmark = pytest.mark.django_db

FAQ = """id,category,question,answer,keywords,procedure
mynumber-lost,マイナンバーカード,マイナンバーカードをなくしたときは？,コールセンターで一時停止し、市民課で再交付を申請してください。,,
gomi-day,ごみ,ごみの収集日を知りたい,地区ごとの収集日はごみカレンダーで確かめられます。,,
sodai,ごみ,粗大ごみを出したい,粗大ごみは申込制です。オンラインで申し込めます。,,gomi
"""


@pytest.fixture
def faq(catalog: Catalog, city: Municipality) -> Municipality:
    faq_import_csv(actor=None, municipality=city, content=FAQ.encode())
    return city


def _ask(client: Client, text: str, **headers: Any) -> Any:
    return client.post("/assistant/", {"q": text}, **headers)


def test_a_clear_question_gets_the_answer_and_is_logged_masked(faq: Municipality) -> None:
    client = Client()
    page = _ask(client, "マイナカードなくした 電話は090-1234-5678").content.decode()
    assert "コールセンターで一時停止" in page
    assert "解決した" in page and "人に問い合わせる" in page
    turn = Turn.objects.get()
    assert turn.answered and turn.entry == FaqEntry.objects.get(code="mynumber-lost")
    assert "090" not in turn.question and "[電話番号]" in turn.question


def test_an_unclear_question_offers_suggestions_and_the_inquiry_form(faq: Municipality) -> None:
    page = _ask(Client(), "ごみ袋の値段").content.decode()
    assert "もしかして" in page or "Did you mean" in page
    assert "ごみの収集日を知りたい" in page
    assert not Turn.objects.get().answered
    nothing = _ask(Client(), "今日の天気は").content.decode()
    assert "見つかりません" in nothing or "found nothing" in nothing


def test_an_answer_links_its_online_procedure(faq: Municipality) -> None:
    page = _ask(Client(), "粗大ごみを出したい").content.decode()
    assert 'href="/procedures/gomi/"' in page


def test_htmx_gets_only_the_new_turn(faq: Municipality) -> None:
    response = _ask(Client(), "マイナカードなくした", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'class="chat-turn"' in html


@pytest.mark.parametrize(
    ("text", "status", "expected"),
    [
        ("", 400, "質問を入力"),
        ("   \x00\x1f\u200b ", 400, "質問を入力"),
        ("あ" * 10_000, 400, "長すぎます"),
        ("🍜🍜🍜", 200, ""),
        ("<script>alert(1)</script>", 200, "&lt;script&gt;"),
        ("住民票 résumé ПРИВЕТ مرحبا", 200, ""),
    ],
)
def test_strange_input_gets_a_sensible_reply_never_an_error(
    faq: Municipality, text: str, status: int, expected: str
) -> None:
    response = _ask(Client(HTTP_ACCEPT_LANGUAGE="ja"), text)
    assert response.status_code == status
    html = response.content.decode()
    assert expected in html
    assert "<script>alert(1)</script>" not in html


def test_too_many_questions_are_refused_for_a_while(faq: Municipality, settings: Any) -> None:
    settings.MACHI_ASSISTANT_QUESTIONS_PER_MINUTE = 3
    client = Client(REMOTE_ADDR="192.0.2.50")
    statuses = [_ask(client, "ごみの収集日").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert Turn.objects.count() == 3
    assert _ask(Client(REMOTE_ADDR="192.0.2.51"), "ごみの収集日").status_code == 200


def test_feedback_is_recorded_only_from_the_same_browser(faq: Municipality) -> None:
    client = Client()
    _ask(client, "マイナカードなくした")
    turn = Turn.objects.get()
    assert (
        Client().post(f"/assistant/turns/{turn.pk}/feedback/", {"resolved": "0"}).status_code == 404
    )
    done = client.post(
        f"/assistant/turns/{turn.pk}/feedback/", {"resolved": "0"}, HTTP_HX_REQUEST="true"
    )
    assert "人に問い合わせる" in done.content.decode()
    turn.refresh_from_db()
    assert turn.feedback == Feedback.UNRESOLVED


def test_handoff_opens_the_inquiry_form_with_the_conversation() -> None:
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())
    client = Client(HTTP_HOST="localhost")
    _ask(client, "ごみの収集日を知りたい")
    _ask(client, "うちの地区はいつ？")
    response = client.post("/assistant/handoff/")
    assert response.status_code == 302
    draft = Draft.objects.get()
    assert draft.procedure.code == "otoiawase"
    assert "うちの地区はいつ" in draft.answers["body"]
    assert "ごみの収集日を知りたい" in draft.answers["body"]
    assert client.get(response["Location"]).status_code == 200


def test_the_widget_is_on_resident_pages(faq: Municipality) -> None:
    home = Client().get("/").content.decode()
    assert 'class="chat-widget"' in home
    assert 'action="/assistant/"' in home


def test_api_answers_and_takes_feedback_with_its_token(faq: Municipality) -> None:
    client = Client()
    reply = client.post(
        "/api/v1/assistant/questions/",
        {"question": "マイナカードなくした"},
        content_type="application/json",
    ).json()
    assert reply["confident"] is True
    assert reply["answer"]["question"] == "マイナンバーカードをなくしたときは？"
    url = f"/api/v1/assistant/questions/{reply['turn']}/feedback/"
    forged = client.post(
        url, {"resolved": True, "feedback_token": "x"}, content_type="application/json"
    )
    assert forged.status_code == 404
    ok = client.post(
        url,
        {"resolved": True, "feedback_token": reply["feedback_token"]},
        content_type="application/json",
    )
    assert ok.status_code == 204
    assert Turn.objects.get(pk=reply["turn"]).feedback == Feedback.RESOLVED
    empty = client.post(
        "/api/v1/assistant/questions/", {"question": ""}, content_type="application/json"
    )
    assert empty.status_code == 400 and empty.json()["code"] == "empty"
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/assistant/questions/" in schema
