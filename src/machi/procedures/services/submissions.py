"""Submissions (申請): submitting a draft or an API request once, the status a resident
follows, withdrawal (取下げ), correction requests (補正) and staff reads.

The back office changes statuses through :func:`submission_status_change` and
:func:`correction_request_create`; the resident answers with :func:`correction_answer`.
Every change is an event the resident sees with its date, and a mail (sent by a task,
retried until the mail server takes it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from machi.core.audit_actions import AuditAction
from machi.core.formdef.definition import FormSpec, Step
from machi.core.formdef.engine import (
    FieldError,
    ForgedInput,
    Outcome,
    clean_answers,
    clean_step,
)
from machi.core.formdef.expressions import computed_values
from machi.core.formdef.prefill import prefill_for, profile_changes
from machi.core.models import Municipality, Role, User
from machi.core.permissions import require_role
from machi.core.reference import new_reference
from machi.core.services.audit import audit_record
from machi.core.services.residents import resident_profile_update
from machi.procedures.models import (
    FINISHED_STATUSES,
    Attachment,
    Channel,
    CorrectionRequest,
    Draft,
    IdentityRequirement,
    Procedure,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)
from machi.procedures.selectors import form_spec
from machi.procedures.services.drafts import attachment_delete, check_identity, identity_of
from machi.procedures.services.mailing import event_mail_queue
from machi.procedures.tokens import submission_id_of

STAFF_ROLES = [Role.CLERK, Role.APPROVER, Role.DEPARTMENT_ADMIN]

# Which status may follow which; a finished application never moves again.
TRANSITIONS: dict[str, set[str]] = {
    SubmissionStatus.RECEIVED: {
        SubmissionStatus.UNDER_REVIEW,
        SubmissionStatus.CORRECTION_REQUESTED,
        SubmissionStatus.COMPLETED,
        SubmissionStatus.REJECTED,
        SubmissionStatus.WITHDRAWN,
    },
    SubmissionStatus.UNDER_REVIEW: {
        SubmissionStatus.CORRECTION_REQUESTED,
        SubmissionStatus.COMPLETED,
        SubmissionStatus.REJECTED,
        SubmissionStatus.WITHDRAWN,
    },
    SubmissionStatus.CORRECTION_REQUESTED: {
        SubmissionStatus.UNDER_REVIEW,
        SubmissionStatus.REJECTED,
        SubmissionStatus.WITHDRAWN,
    },
}


class IncompleteAnswers(ValidationError):
    """The draft is missing answers (e.g. a step was skipped): nothing was submitted."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__([e.message for e in errors])
        self.field_errors = errors


class IdempotencyConflict(ValidationError):
    """The same Idempotency-Key was used with a different request (HTTP 409)."""


def submission_from_access_token(*, municipality: Municipality, token: str) -> Submission | None:
    submission_id = submission_id_of(token)
    if submission_id is None:
        return None
    return Submission.objects.filter(municipality=municipality, pk=submission_id).first()


def _contact_email(spec: FormSpec, answers: Mapping[str, Any], user: User | None) -> str:
    for key, item in spec.fields_by_key.items():
        if item.contact and isinstance(answers.get(key), str):
            return str(answers[key])
    if user is not None and user.is_authenticated and not user.has_placeholder_email:
        return user.email
    return ""


def _event(
    submission: Submission,
    kind: str,
    *,
    actor: User | None = None,
    note: str = "",
    mail: bool = True,
) -> SubmissionEvent:
    event = SubmissionEvent.objects.create(
        municipality_id=submission.municipality_id,
        submission=submission,
        status=submission.status,
        kind=kind,
        actor_label=str(actor) if actor is not None else "",
        note=note,
    )
    if mail and submission.contact_email:
        event_mail_queue(event)  # into the outbox, in this transaction (ADR 0019)
    return event


def _handoff(submission: Submission) -> None:
    """Hand the new submission to the back office (e.g. open a case), in this transaction."""
    for path in settings.MACHI_SUBMISSION_HANDOFF:
        import_string(path)(submission=submission)


def _new_submission(values: dict[str, Any]) -> Submission | None:
    """Insert with a fresh 受付番号; None when the idempotency key was already used."""
    for _attempt in range(5):
        submission = Submission(reference=new_reference(), **values)
        try:
            with transaction.atomic():
                submission.save()
            return submission
        except IntegrityError:
            if Submission.objects.filter(
                municipality_id=values["municipality"].pk, idempotency_key=values["idempotency_key"]
            ).exists():
                return None
    raise IntegrityError("could not draw an unused reference number")


def _record_created(submission: Submission, actor: User | None) -> None:
    _event(submission, "received", actor=actor)
    _handoff(submission)
    audit_record(
        action=AuditAction.SUBMISSION_CREATED,
        actor=actor,
        municipality=submission.municipality,
        target=submission,
        data={
            "procedure": submission.procedure.code,
            "reference": submission.reference,
            "form_version": submission.form.version,
            "channel": submission.channel,
        },
    )


@dataclass(frozen=True)
class Filing:
    """Who files a draft and how: the resident online, or a clerk at the counter."""

    applicant: User | None
    channel: str
    identity_level: str
    entered_by: User | None = None


def _file_draft(
    *,
    municipality: Municipality,
    draft_id: str,
    filing: Filing,
    language: str,
    portal_url: str,
    save_to_profile: bool,
    today: dt.date | None,
) -> tuple[Submission, bool]:
    """Turn a draft into a submission once (the draft id is the idempotency key)."""
    key = str(draft_id)
    existing = Submission.objects.filter(municipality=municipality, idempotency_key=key).first()
    if existing is not None:
        return existing, False
    # of=self: lock the draft only, not the procedure and form rows joined to it (every
    # other application of the procedure needs those at commit).
    draft = (
        Draft.objects.select_for_update(of=("self",))
        .filter(municipality=municipality, pk=draft_id)
        .select_related("procedure", "form")
        .first()
    )
    if draft is None:
        existing = Submission.objects.filter(municipality=municipality, idempotency_key=key).first()
        if existing is not None:
            return existing, False
        raise Http404
    procedure = draft.procedure
    spec = form_spec(draft.form)
    outcome = clean_answers(
        spec,
        draft.answers,
        language=language,
        today=today or timezone.localdate(),
        locked=draft.locked,
        strict=False,
    )
    if outcome.errors:
        raise IncompleteAnswers(outcome.errors)
    attachments = {str(a.pk): a for a in draft.attachments.all()}
    used = _attachment_ids(outcome.answers)
    if not used <= set(attachments):
        raise IncompleteAnswers([])
    applicant = filing.applicant
    submission = _new_submission(
        {
            "municipality": municipality,
            "procedure": procedure,
            "form": draft.form,
            "department_id": procedure.department_id,
            "applicant": applicant,
            "contact_email": _contact_email(spec, outcome.answers, applicant),
            "identity_level": filing.identity_level,
            "answers": outcome.answers,
            "computed": computed_values(spec, outcome.answers),
            "verified_fields": sorted(k for k in draft.locked if k in outcome.answers),
            "channel": filing.channel,
            "entered_by": filing.entered_by,
            "idempotency_key": key,
            "language": language,
            "portal_url": portal_url,
        }
    )
    if submission is None:
        return Submission.objects.get(municipality=municipality, idempotency_key=key), False
    for attachment_id, attachment in attachments.items():
        if attachment_id in used:
            attachment.draft = None
            attachment.submission = submission
            attachment.save(update_fields=["draft", "submission"])
        else:
            attachment_delete(attachment)
    _record_created(submission, filing.entered_by or applicant)
    if save_to_profile and applicant is not None:
        changes = profile_changes(spec, outcome.answers, draft.locked, applicant)
        if changes:
            # A value the profile cannot hold never blocks the application.
            with contextlib.suppress(ValidationError):
                resident_profile_update(user=applicant, changes=changes)
    draft.delete()
    return submission, True


@transaction.atomic
def submission_create(
    *,
    municipality: Municipality,
    draft_id: str,
    user: User | None,
    language: str,
    portal_url: str,
    save_to_profile: bool = False,
    today: dt.date | None = None,
) -> tuple[Submission, bool]:
    """Submit a draft once: a repeated request (double click, resent form) returns the
    submission the first one made, with ``created`` False.

    Raises:
        IncompleteAnswers: answers are missing or no longer valid; nothing is stored.
        IdentityRequired: the procedure needs a higher identity level.
    """
    draft = (
        Draft.objects.filter(municipality=municipality, pk=draft_id)
        .select_related("procedure")
        .first()
    )
    if draft is not None:
        check_identity(draft.procedure, user)
    applicant = user if user is not None and user.is_authenticated else None
    filing = Filing(
        applicant=applicant, channel=Channel.ONLINE, identity_level=identity_of(applicant)
    )
    return _file_draft(
        municipality=municipality,
        draft_id=draft_id,
        filing=filing,
        language=language,
        portal_url=portal_url,
        save_to_profile=save_to_profile,
        today=today,
    )


@transaction.atomic
def submission_create_at_counter(
    *,
    municipality: Municipality,
    draft_id: str,
    clerk: User,
    applicant: User | None,
    identity_document: str,
    language: str,
    portal_url: str,
) -> tuple[Submission, bool]:
    """書かない窓口: a clerk files a draft the resident confirmed in person. The clerk saw an
    identity document, which stands for the verified identity an online filing needs; the
    submission records the clerk (窓口代行)."""
    require_role(clerk, municipality, STAFF_ROLES)
    if not identity_document.strip():
        raise ValidationError({"identity_document": _("Say which identity document you checked.")})
    filing = Filing(
        applicant=applicant,
        channel=Channel.COUNTER,
        identity_level=IdentityRequirement.VERIFIED,
        entered_by=clerk,
    )
    submission, created = _file_draft(
        municipality=municipality,
        draft_id=draft_id,
        filing=filing,
        language=language,
        portal_url=portal_url,
        save_to_profile=False,
        today=None,
    )
    if created:
        audit_record(
            action=AuditAction.SUBMISSION_COUNTER_IDENTITY,
            actor=clerk,
            municipality=municipality,
            target=submission,
            data={"identity_document": identity_document.strip()[:100]},
        )
    return submission, created


def _attachment_ids(answers: Mapping[str, Any]) -> set[str]:
    return {
        i
        for v in answers.values()
        if isinstance(v, list)
        for i in v
        if isinstance(i, str) and len(i) == 36
    }


def request_fingerprint(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    # A lone surrogate (refused by the API parser) must not turn the hash into a 500.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def submission_create_from_api(
    *,
    municipality: Municipality,
    procedure: Procedure,
    user: User,
    answers: Mapping[str, Any],
    idempotency_key: str,
    language: str,
    portal_url: str,
    today: dt.date | None = None,
) -> tuple[Submission, bool]:
    """Submit answers sent by another channel (no files). Same key and same body returns the
    first submission; the same key with another body is refused (409).

    Raises:
        ForgedInput: answers to unknown fields or to questions that do not apply.
        IncompleteAnswers: missing or invalid answers.
        IdempotencyConflict, IdentityRequired.
    """
    fingerprint = request_fingerprint({"procedure": str(procedure.pk), "answers": answers})
    key = f"api:{user.pk}:{idempotency_key}"
    existing = Submission.objects.filter(municipality=municipality, idempotency_key=key).first()
    if existing is not None:
        if existing.request_hash != fingerprint:
            raise IdempotencyConflict(
                _("This Idempotency-Key was already used for another request.")
            )
        return existing, False
    if procedure.municipality_id != municipality.pk or not procedure.can_apply_online:
        raise PermissionDenied(_("This procedure cannot be done online."))
    check_identity(procedure, user)
    assert procedure.current_form is not None
    spec = form_spec(procedure.current_form)
    files = [k for k in answers if k in spec.fields_by_key and spec.fields_by_key[k].type == "file"]
    if files:
        raise ForgedInput(files)  # files are attached on the pages, not through this API
    _prefilled, locked = prefill_for(spec, user)
    outcome = clean_answers(
        spec,
        answers,
        language=language,
        today=today or timezone.localdate(),
        locked=locked,
        strict=True,
    )
    if outcome.errors:
        raise IncompleteAnswers(outcome.errors)
    submission = _new_submission(
        {
            "municipality": municipality,
            "procedure": procedure,
            "form": procedure.current_form,
            "department_id": procedure.department_id,
            "applicant": user,
            "contact_email": _contact_email(spec, outcome.answers, user),
            "identity_level": identity_of(user),
            "answers": outcome.answers,
            "computed": computed_values(spec, outcome.answers),
            "verified_fields": sorted(k for k in locked if k in outcome.answers),
            "channel": Channel.API,
            "idempotency_key": key,
            "request_hash": fingerprint,
            "language": language,
            "portal_url": portal_url,
        }
    )
    if submission is None:
        return submission_create_from_api(
            municipality=municipality,
            procedure=procedure,
            user=user,
            answers=answers,
            idempotency_key=idempotency_key,
            language=language,
            portal_url=portal_url,
            today=today,
        )
    _record_created(submission, user)
    return submission, True


def _locked_submission(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("procedure", "municipality")
        .get(pk=submission.pk)
    )


# The audit entry of each move of an application (``kind`` of ``_move``).
MOVE_AUDIT_ACTIONS = {
    "status_changed": AuditAction.SUBMISSION_STATUS_CHANGED,
    "withdrawn": AuditAction.SUBMISSION_WITHDRAWN,
    "correction_requested": AuditAction.SUBMISSION_CORRECTION_REQUESTED,
    "correction_answered": AuditAction.SUBMISSION_CORRECTION_ANSWERED,
}
ACCESS_REFUSED_AUDIT_ACTIONS = {
    "draft": AuditAction.DRAFT_ACCESS_REFUSED,
    "submission": AuditAction.SUBMISSION_ACCESS_REFUSED,
}


def _move(
    submission: Submission, status: str, kind: str, actor: User | None, note: str
) -> Submission:
    allowed = TRANSITIONS.get(submission.status, set())
    if status not in allowed:
        raise ValidationError(
            _("An application that is %(now)s cannot become %(next)s.")
            % {
                "now": SubmissionStatus(submission.status).label,
                "next": SubmissionStatus(status).label,
            },
            code="invalid_transition",
        )
    previous = submission.status
    submission.status = status
    submission.status_changed_at = timezone.now()
    submission.version += 1
    if status in FINISHED_STATUSES:
        elapsed = submission.status_changed_at - submission.submitted_at
        submission.processing_hours = max(0, round(elapsed.total_seconds() / 3600))
    submission.save(update_fields=["status", "status_changed_at", "version", "processing_hours"])
    _event(submission, kind, actor=actor, note=note)
    audit_record(
        action=MOVE_AUDIT_ACTIONS[kind],
        actor=actor,
        municipality=submission.municipality,
        target=submission,
        data={"from": previous, "to": status, "reference": submission.reference},
    )
    return submission


@transaction.atomic
def submission_status_change(
    *, actor: User | None, submission: Submission, status: str, note: str = ""
) -> Submission:
    """Move an application along (受付済 → 審査中 → 完了 / 却下). ``actor=None`` is the system
    (a core-system hand-back); staff need a casework role in the owning department."""
    submission = _locked_submission(submission)
    if actor is not None:
        require_role(actor, submission.municipality, STAFF_ROLES, department=submission.department)
    if status == SubmissionStatus.CORRECTION_REQUESTED:
        raise ValidationError(_("Ask for a correction with correction_request_create."))
    if status == SubmissionStatus.WITHDRAWN:
        raise ValidationError(_("Only the applicant withdraws an application."))
    return _move(submission, status, "status_changed", actor, note.strip())


@transaction.atomic
def submission_withdraw(
    *, submission: Submission, actor: User | None, reason: str = ""
) -> Submission:
    """取下げ by the applicant (the view has checked it is theirs), before it is finished."""
    submission = _locked_submission(submission)
    if submission.finished:
        raise ValidationError(
            _("This application is already finished and cannot be withdrawn."), code="finished"
        )
    correction = submission.corrections.filter(answered_at__isnull=True).first()
    if correction is not None:
        correction.answered_at = timezone.now()
        correction.save(update_fields=["answered_at"])
    return _move(submission, SubmissionStatus.WITHDRAWN, "withdrawn", actor, reason.strip()[:1000])


@transaction.atomic
def correction_request_create(
    *, actor: User | None, submission: Submission, fields: Iterable[str], message: str
) -> CorrectionRequest:
    """補正依頼: ask the applicant to correct some answers, with a message."""
    submission = _locked_submission(submission)
    if actor is not None:
        require_role(actor, submission.municipality, STAFF_ROLES, department=submission.department)
    spec = form_spec(submission.form)
    keys = list(dict.fromkeys(fields))
    unknown = [k for k in keys if k not in spec.fields_by_key or k in submission.verified_fields]
    if not keys or unknown:
        raise ValidationError(
            {"fields": _("Choose the answers to correct (verified answers cannot be changed).")}
        )
    text = message.strip()
    if not text:
        raise ValidationError({"message": _("Write what the applicant should correct and why.")})
    _move(submission, SubmissionStatus.CORRECTION_REQUESTED, "correction_requested", actor, text)
    return CorrectionRequest.objects.create(
        municipality_id=submission.municipality_id,
        submission=submission,
        fields=keys,
        message=text,
        requested_by=actor,
        before={k: submission.answers.get(k) for k in keys},
    )


def correction_step(spec: FormSpec, correction: CorrectionRequest) -> Step:
    """A page with exactly the fields to correct (their conditions still apply)."""
    fields = tuple(
        item for step in spec.steps for item in step.fields if item.key in correction.fields
    )
    return Step(key="correction", title=_("Correct your answers"), fields=fields)


def correction_answer(
    *,
    submission: Submission,
    correction: CorrectionRequest,
    raw: Mapping[str, Any],
    actor: User | None,
    language: str,
    today: dt.date | None = None,
) -> Outcome:
    """The applicant's corrected answers: only the requested fields may change. When they
    are all right, the application returns to 審査中 with the changes recorded.

    Raises:
        ForgedInput: input for any other field.
    """
    spec = form_spec(submission.form)
    step = correction_step(spec, correction)
    outcome = clean_step(
        spec, step, raw, submission.answers, language=language, today=today or timezone.localdate()
    )
    if outcome.errors:
        return outcome
    final = clean_answers(
        spec, outcome.answers, language=language, today=today or timezone.localdate(), strict=False
    )
    if final.errors:
        return final
    _correction_save(submission, correction, final.answers, spec, actor)
    return final


@transaction.atomic
def _correction_save(
    submission: Submission,
    correction: CorrectionRequest,
    answers: dict[str, Any],
    spec: FormSpec,
    actor: User | None,
) -> None:
    submission = _locked_submission(submission)
    correction = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    if submission.status != SubmissionStatus.CORRECTION_REQUESTED or correction.answered_at:
        raise ValidationError(_("This correction request is already answered."), code="stale")
    changed = sorted(
        k
        for k in set(answers) | set(submission.answers)
        if answers.get(k) != submission.answers.get(k)
    )
    correction.after = {k: answers.get(k) for k in changed}
    correction.answered_at = timezone.now()
    correction.save(update_fields=["after", "answered_at"])
    submission.answers = answers
    submission.computed = computed_values(spec, answers)
    submission.save(update_fields=["answers", "computed"])
    _move(submission, SubmissionStatus.UNDER_REVIEW, "correction_answered", actor, "")


@transaction.atomic
def submission_staff_view(
    *, staff: User, municipality: Municipality, submission_id: str, purpose: str = ""
) -> Submission:
    """Return a submission for a staff screen; every look is in the audit log."""
    submission = Submission.objects.filter(municipality=municipality, pk=submission_id).first()
    if submission is None:
        raise Http404
    if not staff.is_superuser:
        require_role(staff, municipality, STAFF_ROLES, department=submission.department)
    audit_record(
        action=AuditAction.SUBMISSION_VIEWED,
        actor=staff,
        municipality=municipality,
        target=submission,
        data={"reference": submission.reference, **({"purpose": purpose} if purpose else {})},
    )
    return submission


def access_refused(
    *, municipality: Municipality, actor: User | None, target: Any, what: str
) -> None:
    """Someone asked for another person's draft or application: keep a record."""
    with transaction.atomic():
        audit_record(
            action=ACCESS_REFUSED_AUDIT_ACTIONS[what],
            actor=actor,
            municipality=municipality,
            target=target,
        )


def attachment_for(*, submission: Submission, attachment_id: str) -> Attachment:
    attachment = submission.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return attachment


__all__ = ["ForgedInput", "PermissionDenied"]
