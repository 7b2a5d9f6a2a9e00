"""After submitting: the confirmation, the status page, the PDF copy, withdrawal,
answering a correction request, and "My applications"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from machi.core.formdef.engine import ForgedInput, computed_rows, read_page, summarize
from machi.core.tenant_request import MunicipalRequest
from machi.procedures import selectors
from machi.procedures.access import SUBMISSIONS_KEY, remember, submission_for, user_of
from machi.procedures.models import Submission, SubmissionStatus
from machi.procedures.page_fields import step_field_views
from machi.procedures.pdf import submission_pdf
from machi.procedures.services import submissions


def _language() -> str:
    return get_language() or "ja"


@login_required
def mine(request: MunicipalRequest) -> HttpResponse:
    user = user_of(request)
    assert user is not None
    context = {
        "drafts": selectors.resident_drafts(municipality=request.municipality, user=user),
        "submissions": selectors.resident_submissions(municipality=request.municipality, user=user),
        "language": _language(),
    }
    return render(request, "procedures/mine.html", context)


def done(request: MunicipalRequest, submission_id: str) -> HttpResponse:
    submission = submission_for(request, submission_id)
    return render(
        request,
        "procedures/done.html",
        {
            "submission": submission,
            "procedure_title": submission.procedure.text(_language()),
            "computed": computed_rows(
                selectors.form_spec(submission.form), submission.answers, _language()
            ),
        },
    )


def _status_context(submission: Submission) -> dict[str, object]:
    language = _language()
    spec = selectors.form_spec(submission.form)
    names = selectors.attachment_names(list(submission.attachments.all()))
    open_correction = next((c for c in submission.corrections.all() if c.answered_at is None), None)
    return {
        "submission": submission,
        "procedure_title": submission.procedure.text(language),
        "events": list(submission.events.all()),
        "sections": summarize(spec, submission.answers, language, names),
        "computed": computed_rows(spec, submission.answers, language),
        "verified": set(submission.verified_fields),
        "correction": open_correction,
        "correction_labels": [
            spec.fields_by_key[k].text(language)
            for k in (open_correction.fields if open_correction else [])
            if k in spec.fields_by_key
        ],
        "attachments": list(submission.attachments.all()),
    }


def status(request: MunicipalRequest, submission_id: str) -> HttpResponse:
    submission = submission_for(request, submission_id)
    return render(request, "procedures/status.html", _status_context(submission))


def access(request: MunicipalRequest, token: str) -> HttpResponse:
    """The link in an applicant's mail (no account needed) opens the status page."""
    submission = submissions.submission_from_access_token(
        municipality=request.municipality, token=token
    )
    if submission is None:
        return render(request, "procedures/resume_expired.html", {"kind": "submission"}, status=404)
    remember(request, SUBMISSIONS_KEY, submission.pk)
    return redirect("procedures:status", submission_id=submission.pk)


def pdf(request: MunicipalRequest, submission_id: str) -> HttpResponse:
    submission = submission_for(request, submission_id)
    content = submission_pdf(submission, _language())
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="application-{submission.reference_display}.pdf"'
    )
    return response


def attachment(request: MunicipalRequest, submission_id: str, attachment_id: str) -> FileResponse:
    submission = submission_for(request, submission_id)
    stored = submissions.attachment_for(submission=submission, attachment_id=attachment_id)
    response = FileResponse(
        stored.file.open("rb"), content_type=stored.content_type, filename=stored.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def withdraw(request: MunicipalRequest, submission_id: str) -> HttpResponse:
    submission = submission_for(request, submission_id)
    error = ""
    if request.method == "POST":
        try:
            submissions.submission_withdraw(
                submission=submission, actor=user_of(request), reason=request.POST.get("reason", "")
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Your application was withdrawn."))
            return redirect("procedures:status", submission_id=submission.pk)
    return render(
        request,
        "procedures/withdraw.html",
        {
            "submission": submission,
            "procedure_title": submission.procedure.text(_language()),
            "error": error,
        },
        status=400 if error else 200,
    )


def correction(request: MunicipalRequest, submission_id: str) -> HttpResponse:
    submission = submission_for(request, submission_id)
    open_correction = next((c for c in submission.corrections.all() if c.answered_at is None), None)
    if open_correction is None or submission.status != SubmissionStatus.CORRECTION_REQUESTED:
        return redirect("procedures:status", submission_id=submission.pk)
    spec = selectors.form_spec(submission.form)
    page = submissions.correction_step(spec, open_correction)
    language = _language()
    values: dict[str, object] = dict(submission.answers)
    errors: list = []
    status_code = 200
    if request.method == "POST":
        try:
            raw = read_page(page, request.POST, submission.answers)
            outcome = submissions.correction_answer(
                submission=submission,
                correction=open_correction,
                raw=raw,
                actor=user_of(request),
                language=language,
                today=timezone.localdate(),
            )
        except ForgedInput:
            return render(
                request,
                "procedures/refused.html",
                {
                    "message": _(
                        "Only the answers the city asked about can be changed. Nothing was saved."
                    )
                },
                status=400,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("procedures:status", submission_id=submission.pk)
        if outcome.ok:
            messages.success(request, _("Your corrected answers were sent."))
            return redirect("procedures:status", submission_id=submission.pk)
        values, errors, status_code = raw, outcome.errors, 400
    fields = step_field_views(
        page,
        values=values,
        answers=submission.answers,
        raw=request.method == "POST",
        errors=errors,
        locked={},
        attachments=[],
        language=language,
    )
    return render(
        request,
        "procedures/correction.html",
        {
            "submission": submission,
            "procedure_title": submission.procedure.text(language),
            "correction": open_correction,
            "fields": fields,
            "errors": errors,
        },
        status=status_code,
    )
