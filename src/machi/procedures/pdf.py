"""PDF copies (WeasyPrint) of an application's answers and of a life-event checklist.

Rendered from HTML templates with the Noto CJK fonts Debian ships (``fonts-noto-cjk``,
installed by ``make``), so Japanese text is embedded and can be searched and copied.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from machi.procedures.formdef.engine import computed_rows, summarize
from machi.procedures.models import Submission
from machi.procedures.selectors import attachment_names, form_spec


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return bytes(HTML(string=html).write_pdf())


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
        return render_pdf("procedures/pdf/submission.html", context)
