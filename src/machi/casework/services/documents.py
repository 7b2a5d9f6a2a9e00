"""Issuing a signed document when a case is decided (決定通知書 / 却下通知書)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from machi.casework.document_codes import codes_in, new_code, qr_data_uri, sha256_of
from machi.casework.models import Case, IssuedDocument
from machi.core import document_signing, pdf
from machi.core.audit_actions import AuditAction
from machi.core.models import Municipality, User
from machi.core.services.audit import audit_record
from machi.procedures.selectors import form_spec

KINDS = {"approve": "decision", "reject": "rejection"}


def _title(case: Case, decision: str) -> str:
    procedure = case.procedure.title
    if decision == "approve":
        return _("%(procedure)s: notice of decision (決定通知書)") % {"procedure": procedure}
    return _("%(procedure)s: notice of rejection (却下通知書)") % {"procedure": procedure}


@transaction.atomic
def document_issue(*, case: Case, actor: User | None, decision: str, reason: str) -> IssuedDocument:
    """Render the procedure's document (template ``casework/documents/<code>.html``, or the
    general notice), sign its hash and store it for the applicant and the case."""
    submission = case.submission
    issued_at = timezone.now().replace(microsecond=0)
    for _attempt in range(5):
        code = new_code()
        if not IssuedDocument.objects.filter(code=code).exists():
            break
    else:  # pragma: no cover - 32^12 codes
        raise IntegrityError("could not draw an unused document code")
    verify_url = submission.portal_url.rstrip("/") + reverse("verify:code", kwargs={"code": code})
    spec = form_spec(submission.form)
    name_field = next((k for k, f in spec.fields_by_key.items() if f.prefill == "name"), None)
    with translation.override(submission.language):
        title = _title(case, decision)
        content = pdf.render(
            [f"casework/documents/{case.procedure.code}.html", "casework/documents/decision.html"],
            {
                "municipality": case.municipality,
                "case": case,
                "submission": submission,
                "title": title,
                "applicant": submission.answers.get(name_field, "") if name_field else "",
                "decision": decision,
                "reason": reason,
                "issued_at": issued_at,
                "code": "-".join(code[i : i + 4] for i in range(0, 12, 4)),
                "verify_url": verify_url,
                "qr": qr_data_uri(verify_url),
            },
        )
    document = IssuedDocument(
        municipality=case.municipality,
        case=case,
        submission=submission,
        code=code,
        kind=KINDS[decision],
        title=title,
        issued_at=issued_at,
        sha256=sha256_of(content),
        key_id=document_signing.key_id(),
    )
    document.signature = document_signing.sign(document.signed_text())
    document.file.save(f"{code}.pdf", ContentFile(content), save=False)
    document.save()
    audit_record(
        action=AuditAction.DOCUMENT_ISSUED,
        actor=actor,
        municipality=case.municipality,
        target=document,
        data={"code": code, "kind": document.kind, "reference": submission.reference},
    )
    return document


@dataclass(frozen=True)
class Verdict:
    result: str  # "valid" | "revoked" | "altered" | "unknown"
    document: IssuedDocument | None = None


def document_verify(*, municipality: Municipality, content: bytes, code: str = "") -> Verdict:
    """Check a PDF: ``valid`` (issued exactly so and the signature holds), ``revoked``
    (issued exactly so, then revoked), ``altered`` (it names a document we issued but its
    bytes differ) or ``unknown``."""
    documents = IssuedDocument.objects.filter(municipality=municipality).select_related(
        "municipality"
    )
    for document in documents.filter(sha256=sha256_of(content)):
        if document_signing.verify(document.signed_text(), document.signature):
            return Verdict("revoked" if document.revoked_at else "valid", document)
    codes = [c for c in [code, *codes_in(content)] if c]
    named = documents.filter(code__in=codes).first()
    if named is not None:
        return Verdict("altered", named)
    return Verdict("unknown")
