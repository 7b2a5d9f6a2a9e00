"""A question in English is answered from the Japanese FAQ through the multilingual
encoders, and the reply says the answer is in Japanese (web chat, API, LINE text)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from machi.assistant.analysis import is_japanese as asked_in_japanese
from machi.assistant.services.faq import faq_import_csv

pytestmark = pytest.mark.django_db

NOTE_EN = "The answer is in Japanese"
NOTE_JA = "回答は日本語のみです"


FAQ = """id,category,question,answer,keywords,procedure
juminhyo,証明書,住民票の写しはどこで取得できますか。,市民課と関支所の窓口で取得できます。手数料は1通300円です。,,
sodai,ごみ,粗大ごみを出したいのですが、どうすればよいですか。,粗大ごみは電話かインターネットで申し込んでください。,,
gomi-day,ごみ,ごみの収集日を知りたい。,地区ごとの収集日はごみカレンダーで確かめられます。,,
hoikuen,子育て,保育園に申し込みたい。,保育園の入園申込みは子ども未来課で受け付けています。,,
kokuho,保険,国民健康保険に加入するには？,会社の健康保険をやめたときは14日以内に保険年金課で手続してください。,,
dog,ペット,犬を飼い始めたら何をすればよいですか。,生後91日以上の犬は登録と毎年の狂犬病予防注射が必要です。,,
"""


@pytest.fixture
def demo(city: Any, settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    """A small FAQ encoded by both multilingual encoders, as the import's task does."""
    settings.MACHI_ASSISTANT_ENCODERS = ["use", "e5"]
    with django_capture_on_commit_callbacks(execute=True):
        faq_import_csv(actor=None, municipality=city, content=FAQ.encode())


@pytest.mark.parametrize(
    ("question", "japanese"),
    [
        ("where can I get my residence certificate", False),
        ("garbage day for plastic?", False),
        ("住民票 where", True),
        ("ﾏｲﾅﾝﾊﾞｰ", True),
        ("12345", True),  # nothing to tell: treated as Japanese, no note
        ("🍜🍜", True),
    ],
)
def test_the_question_language_is_told_by_its_script(question: str, japanese: bool) -> None:
    assert asked_in_japanese(question) is japanese


def test_an_english_question_finds_the_japanese_entry_and_says_so(demo: None) -> None:
    client = Client(HTTP_HOST="localhost")
    page = client.post("/assistant/", {"q": "where can I get a copy of my residence certificate"})
    html = page.content.decode()
    assert page.status_code == 200
    assert NOTE_EN in html and NOTE_JA in html
    # The 住民票 entry is the answer or one of the offered candidates.
    assert "住民票の写しはどこで取得できますか" in html
    assert "人に問い合わせる" in html


def test_a_japanese_question_gets_no_language_note(demo: None) -> None:
    html = Client(HTTP_HOST="localhost").post("/assistant/", {"q": "住民票ほしい"}).content.decode()
    assert "住民票の写しはどこで取得できますか" in html
    assert NOTE_EN not in html


def test_the_api_names_the_answer_language_and_the_note(demo: None) -> None:
    client = Client(HTTP_HOST="localhost")
    english = client.post(
        "/api/v1/assistant/questions/",
        {"question": "how do I throw away a big old sofa"},
        content_type="application/json",
    ).json()
    assert english["answer_language"] == "ja"
    assert english["note"] and NOTE_EN in english["note"]
    shown = [english["answer"]] if english["answer"] else english["suggestions"]
    assert any("粗大ごみ" in (entry["question"] + entry["answer"]) for entry in shown)
    japanese = client.post(
        "/api/v1/assistant/questions/",
        {"question": "粗大ごみを出したい"},
        content_type="application/json",
    ).json()
    assert japanese["note"] is None


def test_an_unknown_encoder_name_stops_start_up(settings: Any) -> None:
    from django.core.checks import run_checks

    settings.MACHI_ASSISTANT_ENCODERS = ["use", "bert"]
    errors = [m for m in run_checks(tags=["machi"]) if m.id == "machi.E005"]
    assert errors and "bert" in errors[0].msg
    settings.MACHI_ASSISTANT_ENCODERS = ["use", "e5"]
    assert not [m for m in run_checks(tags=["machi"]) if m.id == "machi.E005"]
