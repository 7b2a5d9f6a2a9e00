"""Staff side of the assistant: the dashboard groups what residents asked in vain, "add to
FAQ" pre-fills a new entry with their wording, the preview shows the ranking, and saving
makes the assistant answer from the next question."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from machi.assistant.models import FaqEntry, Turn
from machi.assistant.services.faq import faq_import_csv
from machi.core.models import Municipality, Role, User
from machi.testing.applications import Catalog, signed_in
from machi.testing.fixtures import make_staff

pytestmark = pytest.mark.django_db

FAQ = """id,category,question,answer,keywords,procedure
mynumber-lost,マイナンバーカード,マイナンバーカードをなくしたときは？,コールセンターで一時停止し、市民課で再交付を申請してください。,,
gomi-day,ごみ,ごみの収集日を知りたい,地区ごとの収集日はごみカレンダーで確かめられます。,,
"""


@pytest.fixture
def faq(catalog: Catalog, city: Municipality) -> Municipality:
    faq_import_csv(actor=None, municipality=city, content=FAQ.encode())
    return city


@pytest.fixture
def clerk(faq: Municipality, catalog: Catalog) -> User:
    return make_staff(faq, "faq@example.jp", department=catalog.kankyo)


def _ask(client: Client, text: str) -> None:
    client.post("/assistant/", {"q": text})


def test_dashboard_groups_unanswered_and_unresolved_questions(
    faq: Municipality, clerk: User
) -> None:
    resident = Client()
    _ask(resident, "パスポートの申請はどこ？")
    _ask(resident, "パスポート 申請 場所")
    _ask(Client(), "パスポートの申請場所を教えて")
    _ask(resident, "マイナカードなくした")
    turn = Turn.objects.get(question="マイナカードなくした")
    resident.post(f"/assistant/turns/{turn.pk}/feedback/", {"resolved": "0"})
    _ask(resident, "ごみの収集日を知りたい")  # answered, no complaint: not listed
    page = signed_in(clerk).get("/staff/assistant/").content.decode()
    table = page.split('id="review-table"')[1].split("</table>")[0]
    rows = table.split("<tr>")[2:]
    assert len(rows) == 2
    assert "パスポート" in rows[0] and "<td>3</td>" in rows[0]  # three wordings, one group
    assert "マイナカードなくした" in rows[1]
    assert "ごみの収集日" not in table
    assert 'id="weeks-table"' in page and 'role="img"' in page


def test_add_to_faq_prefills_and_the_next_question_is_answered(
    faq: Municipality, clerk: User
) -> None:
    _ask(Client(), "パスポートの申請はどこ？")
    client = signed_in(clerk)
    form = client.get(
        "/staff/assistant/faq/new/?question=パスポートの申請はどこ？"
    ).content.decode()
    assert "パスポートの申請はどこ？" in form
    values = {
        "code": "passport",
        "category": "市役所・その他",
        "question": "パスポートはどこで申請できますか。",
        "answer": "パスポートは三重県の旅券窓口で申請します。",
        "keywords": "旅券",
        "procedure": "",
        "samples": "パスポートの申請はどこ？\nごみの収集日",
        "is_published": "1",
    }
    preview = client.post("/staff/assistant/faq/new/", values | {"action": "preview"})
    html = preview.content.decode()
    table = html.split('id="preview-table"')[1]
    assert "<td>1</td>" in table.split("</tr>")[1]  # first for the residents' wording
    assert "ごみの収集日を知りたい" in table.split("</tr>")[2]  # another entry wins there
    assert not FaqEntry.objects.filter(code="passport").exists()  # a preview saves nothing
    saved = client.post("/staff/assistant/faq/new/", values | {"action": "save"})
    assert saved.status_code == 302
    reply = Client().post("/assistant/", {"q": "パスポートの申請はどこ？"}).content.decode()
    assert "旅券窓口" in reply


def test_bad_entries_are_refused_with_the_reason(faq: Municipality, clerk: User) -> None:
    client = signed_in(clerk)
    response = client.post(
        "/staff/assistant/faq/new/",
        {"code": "gomi-day", "category": "", "question": "x", "answer": "", "action": "save"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "gomi-day" in html and "category" in html and "answer" in html
    assert FaqEntry.objects.get(code="gomi-day").question == "ごみの収集日を知りたい"


def test_csv_import_and_export_from_the_page(faq: Municipality, clerk: User) -> None:
    client = signed_in(clerk)
    exported = client.get("/staff/assistant/faq/?export=cp932")
    assert exported["Content-Type"] == "text/csv; charset=shift_jis"
    body = exported.content.replace(
        "ごみカレンダー".encode("cp932"), "収集カレンダー".encode("cp932")
    )
    upload = SimpleUploadedFile("faq.csv", body, content_type="text/csv")
    assert client.post("/staff/assistant/faq/", {"file": upload}).status_code == 302
    assert "収集カレンダー" in FaqEntry.objects.get(code="gomi-day").answer
    broken = SimpleUploadedFile("faq.csv", b"id,question\n1,x\n", content_type="text/csv")
    refused = client.post("/staff/assistant/faq/", {"file": broken})
    assert refused.status_code == 400 and "category" in refused.content.decode()


def test_only_faq_staff_open_the_pages(faq: Municipality, catalog: Catalog) -> None:
    adviser = make_staff(faq, "adviser@example.jp", role=Role.DIGITAL_ADVISOR)
    for path in ("/staff/assistant/", "/staff/assistant/faq/", "/staff/assistant/faq/new/"):
        assert signed_in(adviser).get(path).status_code == 403
        assert Client().get(path).status_code == 302  # to sign-in
    any_client: Any = Client()
    _ask(any_client, "テスト")


def test_synonyms_csv_round_trip_and_the_assistant_uses_them(
    faq: Municipality, clerk: User
) -> None:
    client = signed_in(clerk)
    csv_text = "canonical,variants\nごみの収集日,ゴミの日 ごみ出しの日\n"
    upload = SimpleUploadedFile("s.csv", csv_text.encode("cp932"), content_type="text/csv")
    assert client.post("/staff/assistant/synonyms/", {"file": upload}).status_code == 302
    assert "ごみ出しの日" in client.get("/staff/assistant/synonyms/").content.decode()
    exported = client.get("/staff/assistant/synonyms/?export=utf-8-sig").content
    assert exported.startswith(b"\xef\xbb\xbf") and "ゴミの日".encode() in exported
    reply = Client().post("/assistant/", {"q": "ごみ出しの日"}).content.decode()
    assert "ごみカレンダー" in reply
    bad = "canonical,variants\n,x\nごみ,\n"
    refused = client.post(
        "/staff/assistant/synonyms/",
        {"file": SimpleUploadedFile("s.csv", bad.encode(), content_type="text/csv")},
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "2行目" in html and "3行目" in html


def test_exported_faq_cannot_run_formulas_and_comes_back_unchanged(
    faq: Municipality, clerk: User
) -> None:
    entry = FaqEntry.objects.get(code="gomi-day")
    entry.answer = '=HYPERLINK("http://evil.example","詳しくはこちら")'
    entry.save()
    client = signed_in(clerk)
    exported = client.get("/staff/assistant/faq/?export=utf-8-sig").content
    assert b"'=HYPERLINK" in exported
    upload = SimpleUploadedFile("faq.csv", exported, content_type="text/csv")
    assert client.post("/staff/assistant/faq/", {"file": upload}).status_code == 302
    assert FaqEntry.objects.get(code="gomi-day").answer.startswith("=HYPERLINK")
