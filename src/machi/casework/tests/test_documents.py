"""Issued documents: a signed PDF on every decision; anyone checks it at /verify/."""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader, PdfWriter

from machi.casework.models import Case, IssuedDocument
from machi.casework.services import case_decide, case_token
from machi.core.models import AuditEntry, Municipality
from machi.testing.applications import Catalog, fill_gomi, start, submit
from machi.testing.fixtures import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(catalog: Catalog, city: Municipality) -> tuple[Client, Case, IssuedDocument]:
    resident = Client()
    base = start(resident, "gomi")
    fill_gomi(resident, base)
    submit(resident, base)
    case = Case.objects.get()
    clerk = make_staff(city, "clerk.kankyo@example.jp", department=catalog.kankyo)
    case_decide(
        actor=clerk,
        case=case,
        decision="approve",
        reason="12月20日に収集します。",
        version=case_token(case),
    )
    return resident, case, IssuedDocument.objects.get()


def _text(pdf: bytes) -> str:
    """The PDF's text with line breaks removed (WeasyPrint wraps long lines)."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return "".join(page.extract_text() for page in pages).replace("\n", "")


def _check(client: Client, pdf: bytes, path: str = "/verify/") -> Any:
    return client.post(path, {"pdf": SimpleUploadedFile("doc.pdf", pdf, "application/pdf")})


def test_a_decision_issues_a_signed_notice(decided: tuple[Client, Case, IssuedDocument]) -> None:
    _resident, case, document = decided
    pdf = document.file.read()
    text = _text(pdf)
    assert "決定通知書" in text
    assert case.submission.reference_display in text
    assert "12月20日に収集します。" in text
    assert document.code_display in text
    assert f"/verify/{document.code}/" in text
    key = Client().get("/verify/key").json()
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key["public_key"]))
    public.verify(base64.b64decode(document.signature), document.signed_text())  # raises if bad
    assert AuditEntry.objects.filter(action="document.issued").count() == 1


def test_the_applicant_downloads_it_and_nobody_else(
    decided: tuple[Client, Case, IssuedDocument],
) -> None:
    resident, case, document = decided
    status = resident.get(f"/applications/{case.submission_id}/").content.decode()
    assert document.title in status
    url = f"/applications/{case.submission_id}/documents/{document.pk}/"
    response = resident.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == document.file.open("rb").read()
    assert Client().get(url).status_code == 404


def test_verify_says_valid_altered_or_unknown(decided: tuple[Client, Case, IssuedDocument]) -> None:
    _resident, _case, document = decided
    pdf = document.file.open("rb").read()
    anyone = Client()
    page = anyone.get(f"/verify/{document.code}/").content.decode()
    assert "亀山市" in page and document.title in page
    valid = _check(anyone, pdf)
    assert 'class="verdict verdict--valid"' in valid.content.decode()
    edited = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    edited.add_metadata({"/Title": "書き換え"})
    out = io.BytesIO()
    edited.write(out)
    altered = _check(anyone, out.getvalue())
    assert 'class="verdict verdict--altered"' in altered.content.decode()
    via_qr = _check(anyone, pdf + b"\n% appended", f"/verify/{document.code}/")
    assert 'class="verdict verdict--altered"' in via_qr.content.decode()
    other = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(other)
    unknown = _check(anyone, other.getvalue())
    assert 'class="verdict verdict--unknown"' in unknown.content.decode()
    assert anyone.get("/verify/ZZZZZZZZZZZZ/").status_code == 404
    assert _check(anyone, b"").status_code == 400


def test_production_needs_the_signing_key(settings: Any) -> None:
    from machi.core.checks import check_document_signing_key

    settings.PRODUCTION = True
    settings.MACHI_DOCUMENT_SIGNING_KEY = ""
    assert [e.id for e in check_document_signing_key(None)] == ["machi.E003"]
    settings.MACHI_DOCUMENT_SIGNING_KEY = "bm90IDMyIGJ5dGVz"
    assert [e.id for e in check_document_signing_key(None)] == ["machi.E003"]
    settings.MACHI_DOCUMENT_SIGNING_KEY = base64.b64encode(b"k" * 32).decode()
    assert check_document_signing_key(None) == []
