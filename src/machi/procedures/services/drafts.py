"""Drafts (一時保存): starting an application, saving each step, resuming, and deleting old
ones after the retention period."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from machi.core.audit_actions import AuditAction
from machi.core.formdef.engine import (
    FieldError,
    ForgedInput,
    Outcome,
    clean_step,
    input_id,
    rendered_fields,
)
from machi.core.formdef.prefill import prefill_for, prefill_from
from machi.core.models import IdentityLevel, Municipality, Role, User
from machi.core.permissions import require_role
from machi.core.services.audit import audit_record
from machi.procedures.attachments import FileRefused, check_upload
from machi.procedures.models import (
    IDENTITY_RANK,
    Attachment,
    Draft,
    IdentityRequirement,
    Procedure,
)
from machi.procedures.selectors import form_spec
from machi.procedures.services.mailing import resume_mail_queue
from machi.procedures.tokens import draft_id_of, draft_retention

MEGABYTE = 1024 * 1024


class IdentityRequired(PermissionDenied):
    """The procedure needs a higher identity level than the visitor has."""

    def __init__(self, needed: str) -> None:
        super().__init__(needed)
        self.needed = needed


class NotOnline(PermissionDenied):
    pass


def identity_of(user: User | None) -> str:
    if user is None or not user.is_authenticated:
        return IdentityRequirement.ANONYMOUS
    if user.identity_level == IdentityLevel.VERIFIED:
        return IdentityRequirement.VERIFIED
    return IdentityRequirement.SIGNED_IN


def check_identity(procedure: Procedure, user: User | None) -> None:
    if user is not None and user.is_authenticated:
        if not user.is_resident:
            raise PermissionDenied(
                _("Staff apply on a resident's behalf from the counter screens.")
            )
        if user.municipality_id != procedure.municipality_id:
            raise PermissionDenied(_("Sign in with an account of this municipality to apply."))
    if IDENTITY_RANK[identity_of(user)] < IDENTITY_RANK[procedure.identity_level]:
        raise IdentityRequired(procedure.identity_level)


@transaction.atomic
def draft_start(
    *,
    municipality: Municipality,
    procedure: Procedure,
    user: User | None,
    initial: Mapping[str, str] | None = None,
) -> Draft:
    """Open a draft on the procedure's current form, filled in with what is known.
    ``initial`` pre-fills text fields of the first level (e.g. a chat handed to a person);
    verified answers are never overwritten."""
    if procedure.municipality_id != municipality.pk or not procedure.is_published:
        raise PermissionDenied(_("This procedure is not offered here."))
    if not procedure.can_apply_online or procedure.current_form is None:
        raise NotOnline(_("This procedure cannot be done online."))
    check_identity(procedure, user)
    owner = user if user is not None and user.is_authenticated else None
    spec = form_spec(procedure.current_form)
    answers, locked = prefill_for(spec, owner)
    text_fields = {
        f.key for step in spec.steps for f in step.fields if f.type in ("text", "textarea")
    }
    for key, value in (initial or {}).items():
        if key in text_fields and key not in locked:
            answers[key] = value
    now = timezone.now()
    draft = Draft.objects.create(
        municipality=municipality,
        procedure=procedure,
        form=procedure.current_form,
        owner=owner,
        answers=answers,
        locked=locked,
        created_at=now,
        updated_at=now,
        expires_at=now + draft_retention(),
    )
    audit_record(
        action=AuditAction.DRAFT_STARTED,
        actor=owner,
        municipality=municipality,
        target=draft,
        data={
            "procedure": procedure.code,
            "prefilled": sorted(answers),
            "verified": sorted(locked),
        },
    )
    return draft


@transaction.atomic
def draft_start_at_counter(
    *,
    municipality: Municipality,
    procedure: Procedure,
    clerk: User,
    values: dict[str, object],
    return_url: str,
) -> Draft:
    """A draft a clerk fills in with a resident at the counter (書かない窓口), prefilled from
    the details entered once; its pages lead back to the counter session."""
    require_role(clerk, municipality, [Role.CLERK, Role.APPROVER, Role.DEPARTMENT_ADMIN])
    if procedure.municipality_id != municipality.pk or procedure.current_form is None:
        raise PermissionDenied(_("This procedure cannot be done online."))
    spec = form_spec(procedure.current_form)
    now = timezone.now()
    draft = Draft.objects.create(
        municipality=municipality,
        procedure=procedure,
        form=procedure.current_form,
        answers=prefill_from(spec, values),
        return_url=return_url,
        created_at=now,
        updated_at=now,
        expires_at=now + draft_retention(),
    )
    audit_record(
        action=AuditAction.DRAFT_STARTED,
        actor=clerk,
        municipality=municipality,
        target=draft,
        data={"procedure": procedure.code, "prefilled": sorted(draft.answers), "counter": True},
    )
    return draft


@dataclass(frozen=True)
class Upload:
    field_key: str
    file: UploadedFile


def _read(upload: UploadedFile, limit: int) -> bytes:
    """At most ``limit + 1`` bytes, so an oversize file is refused without reading it all."""
    chunks: list[bytes] = []
    size = 0
    for chunk in upload.chunks():
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            break
    return b"".join(chunks)


def _stored_total(draft: Draft) -> int:
    return sum(draft.attachments.values_list("size", flat=True))


def draft_step_save(
    *,
    draft: Draft,
    step_key: str,
    raw: Mapping[str, Any],
    uploads: Iterable[Upload] = (),
    removals: Iterable[str] = (),
    language: str,
    today: dt.date | None = None,
) -> Outcome:
    """Clean one step's answers and, when they are all right, save them with their files.

    Nothing is saved when a file is refused: the page shows the problems and the draft
    stays as it was. When only other answers are wrong, the accepted files are kept (and
    listed on the page again) so that nobody has to choose them twice.

    Raises:
        ForgedInput: input for fields this step's page does not carry.
    """
    today = today or timezone.localdate()
    spec = form_spec(draft.form)
    step = spec.step(step_key)
    if step is None:
        raise ForgedInput([step_key])
    shown = {f.key: f for f in rendered_fields(step, draft.answers)}
    file_fields = {key: item for key, item in shown.items() if item.type == "file"}
    uploads = list(uploads)
    removals = set(removals)
    forged = [u.field_key for u in uploads if u.field_key not in file_fields]
    if forged:
        raise ForgedInput(forged)
    existing = {str(a.pk): a for a in draft.attachments.all()}
    errors: list[FieldError] = []
    checked: dict[str, list[tuple[str, Any]]] = {}
    total = _stored_total(draft) - sum(existing[i].size for i in removals if i in existing)
    limit_total = settings.MACHI_UPLOAD_TOTAL_MB * MEGABYTE
    raw = dict(raw)
    for key, item in file_fields.items():
        kept = [i for i in draft.answers.get(key, []) if i in existing and i not in removals]
        new: list[tuple[str, Any]] = []
        for upload in (u for u in uploads if u.field_key == key):
            try:
                content = _read(upload.file, item.max_size_mb * MEGABYTE)
                result = check_upload(
                    content, upload.file.name or "", max_bytes=item.max_size_mb * MEGABYTE
                )
            except FileRefused as exc:
                errors.append(FieldError(input_id(key), key, item.text(language), exc.message))
                continue
            total += len(result.content)
            if total > limit_total:
                errors.append(
                    FieldError(
                        input_id(key),
                        key,
                        item.text(language),
                        _("Together your files are larger than %(size)d MB. Send smaller files.")
                        % {"size": settings.MACHI_UPLOAD_TOTAL_MB},
                    )
                )
                continue
            new.append((str(uuid.uuid4()), result))
        checked[key] = new
        raw[key] = kept + [placeholder for placeholder, _result in new]
    outcome = clean_step(
        spec, step, raw, draft.answers, language=language, today=today, locked=draft.locked
    )
    if errors:
        # The refusal says what to do; "attach the file" beside it would contradict it.
        refused = {e.input_id for e in errors}
        outcome.errors = errors + [e for e in outcome.errors if e.input_id not in refused]
        return outcome
    if outcome.errors:
        # Other answers are wrong, not these files: keep them, so that the page asking for
        # those answers shows them attached instead of asking to choose them again.
        wrong = {e.input_id for e in outcome.errors}
        accepted = {k: new for k, new in checked.items() if new and input_id(k) not in wrong}
        if accepted:
            files = {key: raw[key] for key in accepted}
            _keep_files(draft, files, accepted)
            outcome.answers.update(files)
        return outcome
    # A file for a question that the answers say does not apply is not stored.
    checked = {key: new for key, new in checked.items() if key in outcome.answers}
    _save(draft, step_key, outcome, checked, existing)
    return outcome


def _store(draft: Draft, checked: Mapping[str, list[tuple[str, Any]]]) -> None:
    for key, new in checked.items():
        for attachment_id, result in new:
            attachment = Attachment(
                id=attachment_id,
                municipality_id=draft.municipality_id,
                draft=draft,
                field_key=key,
                name=result.name,
                content_type=result.content_type,
                size=len(result.content),
                sha256=hashlib.sha256(result.content).hexdigest(),
            )
            attachment.file.save(result.name, ContentFile(result.content), save=False)
            attachment.save()


@transaction.atomic
def _keep_files(
    draft: Draft, files: Mapping[str, list[str]], checked: Mapping[str, list[tuple[str, Any]]]
) -> None:
    """Store a step's accepted files and record them as its file answers (``files``), and
    nothing else: the step stays open until its other answers are right."""
    locked_draft = Draft.objects.select_for_update().get(pk=draft.pk)
    _store(locked_draft, checked)
    now = timezone.now()
    locked_draft.answers = {**locked_draft.answers, **files}
    locked_draft.updated_at = now
    locked_draft.expires_at = now + draft_retention()
    locked_draft.save(update_fields=["answers", "updated_at", "expires_at"])
    draft.answers = locked_draft.answers


@transaction.atomic
def _save(
    draft: Draft,
    step_key: str,
    outcome: Outcome,
    checked: Mapping[str, list[tuple[str, Any]]],
    existing: Mapping[str, Attachment],
) -> None:
    locked_draft = Draft.objects.select_for_update().get(pk=draft.pk)
    _store(locked_draft, checked)
    still_used = {
        i
        for value in outcome.answers.values()
        if isinstance(value, list)
        for i in value
        if isinstance(i, str)
    }
    for attachment_id, attachment in existing.items():
        if attachment_id not in still_used:
            attachment_delete(attachment)
    now = timezone.now()
    locked_draft.answers = outcome.answers
    if step_key not in locked_draft.completed_steps:
        locked_draft.completed_steps = [*locked_draft.completed_steps, step_key]
    locked_draft.updated_at = now
    locked_draft.expires_at = now + draft_retention()
    locked_draft.save(update_fields=["answers", "completed_steps", "updated_at", "expires_at"])
    draft.answers, draft.completed_steps = locked_draft.answers, locked_draft.completed_steps


def attachment_delete(attachment: Attachment) -> None:
    """Remove the row now and the file once the transaction has committed."""
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name), robust=True)


@transaction.atomic
def draft_attachment_remove(*, draft: Draft, attachment_id: str) -> None:
    """Take a file off the draft (and off the answer that listed it)."""
    locked_draft = Draft.objects.select_for_update().get(pk=draft.pk)
    attachment = locked_draft.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    answers = dict(locked_draft.answers)
    kept = [i for i in answers.get(attachment.field_key) or [] if i != str(attachment.pk)]
    if kept:
        answers[attachment.field_key] = kept
    else:
        answers.pop(attachment.field_key, None)
    attachment_delete(attachment)
    locked_draft.answers = answers
    locked_draft.updated_at = timezone.now()
    locked_draft.save(update_fields=["answers", "updated_at"])
    draft.answers = answers


def draft_from_resume_token(*, municipality: Municipality, token: str) -> Draft | None:
    draft_id = draft_id_of(token)
    if draft_id is None:
        return None
    return Draft.objects.filter(municipality=municipality, pk=draft_id, owner__isnull=True).first()


@transaction.atomic
def draft_resume_link_send(*, draft: Draft, email: str, portal_url: str, language: str) -> None:
    """Mail an anonymous resident a link back to their draft (it states when it expires).

    The mail is written into the outbox in this transaction and sent by the delivery
    engine of notices (ADR 0019): once, retried while the mail server is down.
    """
    if draft.owner_id is not None:
        raise PermissionDenied(_("Signed-in residents find their drafts on My applications."))
    now = timezone.now()
    draft.resume_email = email
    draft.resume_sent_at = now
    draft.resume_portal_url = portal_url[:200]
    draft.resume_language = language
    draft.expires_at = now + draft_retention()
    draft.save(
        update_fields=[
            "resume_email",
            "resume_sent_at",
            "resume_portal_url",
            "resume_language",
            "expires_at",
        ]
    )
    audit_record(
        action=AuditAction.DRAFT_RESUME_LINK_SENT,
        municipality=draft.procedure.municipality,
        target=draft,
        data={"procedure": draft.procedure.code},
    )
    resume_mail_queue(draft)


@transaction.atomic
def draft_discard(*, draft: Draft, actor: User | None) -> None:
    for attachment in draft.attachments.all():
        attachment_delete(attachment)
    audit_record(
        action=AuditAction.DRAFT_DISCARDED,
        actor=actor,
        municipality=draft.procedure.municipality,
        target=draft,
        data={"procedure": draft.procedure.code},
    )
    draft.delete()


def drafts_purge(*, now: dt.datetime | None = None) -> int:
    """Delete drafts (and their files) whose retention period has passed."""
    now = now or timezone.now()
    purged = 0
    for draft_id in (
        Draft.objects.filter(expires_at__lte=now).values_list("pk", flat=True).iterator()
    ):
        with transaction.atomic():
            draft = (
                Draft.objects.select_for_update(skip_locked=True)
                .filter(pk=draft_id, expires_at__lte=now)
                .first()
            )
            if draft is None:
                continue
            for attachment in draft.attachments.all():
                attachment_delete(attachment)
            draft.delete()
            purged += 1
    if purged:
        audit_record(
            action=AuditAction.DRAFT_PURGED, data={"count": purged, "before": now.isoformat()}
        )
    return purged
