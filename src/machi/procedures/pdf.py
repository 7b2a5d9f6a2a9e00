"""The PDF copy of an application's answers (申請内容の控え), rendered by
:mod:`machi.core.pdf`."""

from __future__ import annotations

from django.utils import timezone, translation

from machi.core import pdf
from machi.core.formdef.engine import computed_rows, summarize
from machi.procedures.models import Submission
from machi.procedures.selectors import attachment_names, form_spec


def submission_pdf(submission: Submission, language: str) -> bytes:
    """申請内容の控え: what was sent, with the form version and the 受付番号."""
    spec = form_spec(submission.form)
    with translation.override(language):
        context = {
            "municipality": submission.municipality,
            "municipality_name": submission.municipality.display_name(language),
            "submission": submission,
            "procedure_title": submission.procedure.text(language),
            "sections": summarize(
                spec,
                submission.answers,
                language,
                attachment_names(list(submission.attachments.all())),
            ),
            "computed": computed_rows(spec, submission.answers, language),
            "verified": set(submission.verified_fields),
            "printed_at": timezone.localtime(),
            "language": language,
        }
        return pdf.render("procedures/pdf/submission.html", context)
