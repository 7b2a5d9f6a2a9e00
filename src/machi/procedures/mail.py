"""Mails to residents, rendered from templates in the language they applied in.

They carry the 受付番号, the status and a link, never the answers themselves: mail is not
a safe place for personal data, and the status page and PDF are one sign-in away. They
are rendered when their cause is saved and sent by the delivery engine of notices
(``services/mailing.py``, ADR 0019).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from machi.core.formdef.expressions import computed_values
from machi.core.formdef.fieldtypes import format_yen
from machi.procedures.models import Draft, Submission, SubmissionEvent
from machi.procedures.selectors import form_spec
from machi.procedures.tokens import access_token


def status_link(submission: Submission) -> str:
    if submission.applicant_id is not None:
        path = reverse("procedures:status", kwargs={"submission_id": submission.pk})
    else:
        path = reverse("procedures:access", kwargs={"token": access_token(submission)})
    return submission.portal_url.rstrip("/") + path


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def _message(
    subject_template: str, body_template: str, context: dict[str, object], to: str
) -> Mail:
    subject = " ".join(render_to_string(subject_template, context).split())
    body = render_to_string(body_template, context)
    return Mail(to=to, subject=subject, body=body)


def event_mail(event: SubmissionEvent) -> Mail:
    submission = event.submission
    spec = form_spec(submission.form)
    with translation.override(submission.language):
        language = submission.language
        values = submission.computed or computed_values(spec, submission.answers)
        fees = [
            (c.text(language), format_yen(int(values.get(c.key, 0)), language))
            for c in spec.computed
            if c.kind == "yen"
        ]
        context = {
            "municipality": submission.municipality.display_name(language),
            "submission": submission,
            "procedure": submission.procedure.text(language),
            "event": event,
            "status": submission.get_status_display()
            if event.status == submission.status
            else event.get_status_display(),
            "fees": fees,
            "link": status_link(submission),
        }
        return _message(
            "procedures/mail/event_subject.txt",
            "procedures/mail/event_body.txt",
            context,
            submission.contact_email,
        )


def resume_mail(draft: Draft, token: str, portal_url: str, language: str) -> Mail:
    with translation.override(language):
        path = reverse("procedures:resume", kwargs={"token": token})
        context = {
            "municipality": draft.procedure.municipality.display_name(language),
            "procedure": draft.procedure.text(language),
            "link": portal_url.rstrip("/") + path,
            "expires_at": draft.expires_at,
        }
        return _message(
            "procedures/mail/resume_subject.txt",
            "procedures/mail/resume_body.txt",
            context,
            draft.resume_email,
        )
