"""Public checking of issued documents (no sign-in), and the applicant's download."""

from __future__ import annotations

import base64

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from machi.casework.models import IssuedDocument
from machi.casework.services.documents import document_verify
from machi.core import document_signing
from machi.core.tenant_request import MunicipalRequest
from machi.procedures.access import submission_for

MAX_UPLOAD = 20 * 1024 * 1024


def _document(request: MunicipalRequest, code: str) -> IssuedDocument | None:
    return (
        IssuedDocument.objects.filter(municipality=request.municipality, code=code.upper())
        .select_related("municipality")
        .first()
    )


def verify(request: MunicipalRequest, code: str = "") -> HttpResponse:
    """Scan the QR code (``/verify/<code>/``) or upload the PDF: valid, altered or unknown."""
    document = _document(request, code) if code else None
    context: dict[str, object] = {"code": code, "document": document, "error": ""}
    status = 200 if document or not code else 404
    if request.method == "POST":
        upload = request.FILES.get("pdf")
        if upload is None or upload.size is None or upload.size == 0:
            context["error"] = _("Choose the PDF file of the document.")
            status = 400
        elif upload.size > MAX_UPLOAD:
            context["error"] = _("The file is larger than 20 MB; it is not one of our documents.")
            status = 400
        else:
            verdict = document_verify(
                municipality=request.municipality,
                content=upload.read(),
                code=document.code if document else "",
            )
            context.update({"verdict": verdict.result, "document": verdict.document})
            status = 200
    return render(request, "casework/verify.html", context, status=status)


@require_GET
def public_key(request: HttpRequest) -> JsonResponse:
    """The key that signs documents, for checking a signature without this site."""
    return JsonResponse(
        {
            "algorithm": "Ed25519",
            "key_id": document_signing.key_id(),
            "public_key": base64.b64encode(document_signing.public_key_raw()).decode(),
            "signed_text": (
                "machi-document/1\\n<code>\\n<sha256>\\n<issued_at UTC, ISO 8601>\\n"
                "<municipality code>\\n<kind>\\n"
            ),
        }
    )


def applicant_download(
    request: MunicipalRequest, submission_id: str, document_id: str
) -> FileResponse:
    submission = submission_for(request, submission_id)
    document = submission.issued_documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{document.code_display}.pdf",
    )
