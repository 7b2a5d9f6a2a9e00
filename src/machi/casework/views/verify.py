"""Public checking of issued documents (no sign-in), and the applicant's download."""

from __future__ import annotations

import base64

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from machi.casework.document_codes import parse_code
from machi.casework.models import IssuedDocument
from machi.casework.services.documents import document_verify
from machi.core import document_signing
from machi.core.tenant_request import MunicipalRequest
from machi.procedures.services import visitors

MAX_UPLOAD = 20 * 1024 * 1024
BAD_CODE = _lazy(
    "Type the 12-character document code printed on the paper, e.g. ABCD-EFGH-JKLM (it "
    "uses the digits 2–9 and the letters A–Z without I and O)."
)


def _document(request: MunicipalRequest, code: str) -> IssuedDocument | None:
    stored = parse_code(code)
    if stored is None:
        return None
    return (
        IssuedDocument.objects.filter(municipality=request.municipality, code=stored)
        .select_related("municipality", "submission", "case__department")
        .first()
    )


def _lookup(document: IssuedDocument | None) -> str:
    """The verdict on a code alone: the city issued it and it stands, was revoked, or is
    not known. It says nothing of the paper's other text: that is compared by eye (the
    facts shown) or by uploading the PDF."""
    if document is None:
        return "not_found"
    return "revoked" if document.revoked_at else "valid"


def verify(request: MunicipalRequest, code: str = "") -> HttpResponse:
    """Look a document up by the code printed on paper (typed in, or ``/verify/<code>/``
    from the QR code): valid, revoked or not found; or upload the PDF: valid, revoked,
    altered or unknown."""
    if not code and "code" in request.GET:  # the box for the code printed on paper
        typed = request.GET["code"]
        stored = parse_code(typed)
        if stored is not None:
            return redirect("verify:code", code=stored)
        return render(
            request,
            "casework/verify.html",
            {"code_error": BAD_CODE, "typed": typed[:40]},
            status=400,
        )
    document = _document(request, code) if code else None
    context: dict[str, object] = {
        "code": code,
        "document": document,
        "error": "",
        "lookup": _lookup(document),
    }
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
    submission = visitors.submission_for_visitor(
        municipality=request.municipality,
        user=request.user,
        session=request.session,
        submission_id=submission_id,
    )
    document = submission.issued_documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{document.code_display}.pdf",
    )
