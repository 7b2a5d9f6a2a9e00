"""/verify/ for someone holding the paper (issue 15, item 8): type the 文書番号 printed on
it, or scan its QR code, and read a verdict in words — 有効, 取り消し or 見つかりません —
with the facts to compare with the paper, and no personal data the check does not need."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from machi.casework.models import Case, IssuedDocument
from machi.casework.services import case_decide, case_token
from machi.core.models import Municipality
from machi.testing.applications import Catalog, fill_gomi, start, submit
from machi.testing.fixtures import make_staff

pytestmark = pytest.mark.django_db

REASON = "本丸町577番地で12月20日に収集します。"


@pytest.fixture
def document(catalog: Catalog, city: Municipality) -> IssuedDocument:
    resident = Client()
    base = start(resident, "gomi")
    fill_gomi(resident, base)
    submit(resident, base)
    case = Case.objects.get()
    clerk = make_staff(city, "clerk.kankyo@example.jp", department=catalog.kankyo)
    case_decide(actor=clerk, case=case, decision="approve", reason=REASON, version=case_token(case))
    return IssuedDocument.objects.select_related("submission").get()


def _verdict(page: str) -> str:
    match = re.search(r'id="verdict">(.*?)</div>', page, re.S)
    assert match, page[:3000]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def test_the_check_page_has_a_box_for_the_code_on_paper(document: IssuedDocument) -> None:
    page = Client().get("/verify/").content.decode()
    assert 'name="code"' in page
    assert "紙の文書番号で確かめる" in page
    assert 'name="pdf"' in page  # the upload is still there


@pytest.mark.parametrize(
    "typed",
    [
        "{dashed}",
        "{plain}",
        "{lower}",
        "{wide}",
        " {spaced} ",
    ],
)
def test_the_code_as_people_type_it_finds_the_document(
    document: IssuedDocument, typed: str
) -> None:
    code = document.code
    text = typed.format(
        dashed=document.code_display,
        plain=code,
        lower=document.code_display.lower(),
        wide="".join(chr(ord(c) + 0xFEE0) for c in document.code_display),
        spaced=" ".join(code[i : i + 4] for i in range(0, 12, 4)),
    )
    response = Client().get("/verify/", {"code": text})
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{code}/"


def test_a_code_that_cannot_be_ours_is_refused_with_a_message(db: None, city: Municipality) -> None:
    for text in ("", "ABCD-EFGH", "ABCD-EFGH-IJKO", "<script>"):
        response = Client().get("/verify/", {"code": text})
        assert response.status_code == 400
        page = response.content.decode()
        assert "12文字の文書番号を入力してください" in page
        assert 'aria-invalid="true"' in page
        assert "<script>" not in page.split('id="verify-code"', 1)[1].split(">", 1)[0]


def test_the_qr_landing_page_says_valid_in_words(document: IssuedDocument) -> None:
    response = Client().get(f"/verify/{document.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    verdict = _verdict(page)
    assert verdict.startswith("✓ 有効")
    assert "取り消されていません" in verdict
    facts = page.split('id="document-facts"', 1)[1].split("</dl>", 1)[0]
    for fact in (
        document.title,
        document.code_display,
        document.submission.reference_display,
        "環境課",
    ):
        assert fact in facts, fact
    # Not what the paper's holder already knows and a passer-by should not learn.
    assert REASON not in page
    assert "taro@example.jp" not in page
    assert "本丸町" not in page


def test_a_revoked_document_says_revoked(document: IssuedDocument) -> None:
    document.revoked_at = timezone.now()
    document.revoked_reason = "誤って交付した"
    document.save()
    response = Client().get(f"/verify/{document.code_display}/")
    assert response.status_code == 200
    verdict = _verdict(response.content.decode())
    assert verdict.startswith("✕ 取り消し")
    assert "効力はありません" in verdict
    assert "誤って交付した" not in response.content.decode()  # the reason stays with staff


def test_an_unknown_code_says_not_found(document: IssuedDocument) -> None:
    response = Client().get("/verify/ABCDEFGHJKLM/")
    assert response.status_code == 404
    assert _verdict(response.content.decode()).startswith("? 見つかりません")
    assert 'id="document-facts"' not in response.content.decode()


def test_a_revoked_pdf_says_revoked(document: IssuedDocument) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    document.revoked_at = timezone.now()
    document.save()
    pdf = document.file.open("rb").read()
    response = Client().post(
        "/verify/", {"pdf": SimpleUploadedFile("doc.pdf", pdf, "application/pdf")}
    )
    assert response.status_code == 200
    assert _verdict(response.content.decode()).startswith("✕ 取り消し")


def test_the_verdict_in_english(document: IssuedDocument) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    page = client.get(f"/verify/{document.code}/").content.decode()
    verdict = _verdict(page)
    assert verdict.startswith("✓ Valid")
    assert "Kameyama City issued a document with this code" in verdict
