"""Writes of the back office: opening a case for each new application, and what clerks do
with it. Status changes the resident sees go through ``machi.procedures`` services, so
the status page and the mails follow every step.

Every action carries the case version the clerk's page showed; when the case changed in
between (another clerk acted, the resident withdrew or answered a correction) the action
is refused with :class:`CaseChanged` instead of overwriting what happened.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from machi.casework.models import Case, CaseEvent, CaseEventKind, CaseNote, IssuedDocument
from machi.casework.permissions import CASE_ROLES, can_handle, can_revoke_documents, can_view
from machi.casework.selectors import unchecked_items
from machi.casework.services.documents import document_issue
from machi.core.audit_actions import AuditAction
from machi.core.japanese.business_days import add_business_days
from machi.core.models import Municipality, User, UserKind
from machi.core.permissions import has_role
from machi.core.services.audit import audit_record
from machi.core.services.notifications import staff_notify
from machi.procedures.models import Submission, SubmissionStatus
from machi.procedures.services import submissions

MENTION_RE = re.compile(r"@([A-Za-z0-9._+-]+(?:@[A-Za-z0-9.-]+)?)")
NOTE_MAX_LENGTH = 4000


class CaseChanged(ValidationError):
    """The case changed since the page was loaded; nothing was done."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this case after you opened it. Nothing was changed: "
                "reload the page to see the latest state, then try again."
            ),
            code="stale",
        )


def case_open(*, submission: Submission) -> Case:
    """Open the case of a new application, inside the transaction that stored it
    (``MACHI_SUBMISSION_HANDOFF``). Due date = 標準処理期間 in business days."""
    procedure = submission.procedure
    received = timezone.localtime(submission.submitted_at).date()
    due_on = (
        add_business_days(received, procedure.processing_days)
        if procedure.processing_days is not None
        else None
    )
    case = Case.objects.create(
        municipality_id=submission.municipality_id,
        submission=submission,
        procedure=procedure,
        department_id=submission.department_id,
        received_at=submission.submitted_at,
        due_on=due_on,
    )
    CaseEvent.objects.create(case=case, kind=CaseEventKind.OPENED, actor_label="system")
    return case


def case_token(case: Case) -> str:
    """What a page showed: the case's and its application's versions (the resident changes
    the application by withdrawing or answering a correction)."""
    return f"{case.version}-{case.submission.version}"


def _locked(case: Case, actor: User, version: str) -> Case:
    """The case row, locked, after checking the actor may handle it and it is unchanged."""
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("submission", "procedure", "department", "municipality")
        .get(pk=case.pk)
    )
    if not can_handle(actor, locked):
        raise PermissionDenied(_("Only staff of the case's department can act on it."))
    if case_token(locked) != version:
        raise CaseChanged
    return locked


def _bump(case: Case, actor: User | None, kind: CaseEventKind, **data: Any) -> None:
    case.version += 1
    case.updated_at = timezone.now()
    case.save(update_fields=["version", "updated_at", "assignee", "checklist"])
    CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        actor_label="system" if actor is None else str(actor),
        data=data,
    )


@transaction.atomic
def case_view(*, staff: User, municipality: Municipality, case_id: str) -> Case:
    """A case for the case page; the read is written to the audit log (as a staff view of
    the application)."""
    case = (
        Case.objects.filter(municipality=municipality, pk=case_id)
        .select_related("submission", "procedure", "department", "assignee")
        .first()
    )
    if case is None or not can_view(staff, case):
        raise PermissionDenied(_("Only staff of the case's department can open it."))
    # The same record as any staff read of an application (procedures' submission_staff_view),
    # written here because 合議 approvers of another department may read it too.
    audit_record(
        action=AuditAction.SUBMISSION_VIEWED,
        actor=staff,
        municipality=municipality,
        target=case.submission,
        data={"reference": case.submission.reference, "purpose": "case"},
    )
    return case


@transaction.atomic
def case_assign(*, actor: User, case: Case, assignee: User | None, version: str) -> Case:
    case = _locked(case, actor, version)
    if assignee is not None and not has_role(
        assignee, case.municipality, CASE_ROLES, department=case.department, admin_passes=False
    ):
        raise ValidationError({"assignee": _("Choose a member of staff of the case's department.")})
    case.assignee = assignee
    _bump(case, actor, CaseEventKind.ASSIGNED, to=str(assignee) if assignee else "")
    return case


@transaction.atomic
def case_checklist_mark(*, actor: User, case: Case, item: int, done: bool, version: str) -> Case:
    case = _locked(case, actor, version)
    items = case.procedure.review_checklist
    if not 0 <= item < len(items):
        raise ValidationError(_("This checklist item does not exist."))
    checklist = dict(case.checklist)
    checklist[str(item)] = {"done": done, "by": str(actor), "at": timezone.now().isoformat()}
    case.checklist = checklist
    _bump(case, actor, CaseEventKind.CHECKLIST, item=items[item], done=done)
    return case


def _mentioned(text: str, case: Case) -> list[User]:
    """Colleagues named as @name (the part of their address before @) or @full-address."""
    names = {name.lower() for name in MENTION_RE.findall(text)}
    if not names:
        return []
    staff = User.objects.filter(
        municipality=case.municipality, kind=UserKind.STAFF, is_active=True
    ).filter(Q(email__in=names) | Q(email__iregex=r"^(" + "|".join(map(re.escape, names)) + ")@"))
    return [user for user in staff if can_handle(user, case)]


@transaction.atomic
def case_note_add(*, actor: User, case: Case, body: str, version: str) -> CaseNote:
    """An internal note; colleagues it @mentions are notified (in the back office)."""
    case = _locked(case, actor, version)
    text = body.strip()
    if not text:
        raise ValidationError({"body": _("Write the note. It is empty.")})
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"body": _("Use %(max)d characters or fewer.") % {"max": NOTE_MAX_LENGTH}}
        )
    note = CaseNote.objects.create(case=case, author=actor, author_label=str(actor), body=text)
    mentioned = [user for user in _mentioned(text, case) if user.pk != actor.pk]
    link = reverse("casework:case", kwargs={"case_id": case.pk})
    for user in mentioned:
        staff_notify(
            recipient=user,
            message=_("%(name)s mentioned you on case %(reference)s")
            % {"name": str(actor), "reference": case.submission.reference_display},
            link=link,
        )
    _bump(case, actor, CaseEventKind.NOTE, mentioned=[str(u) for u in mentioned])
    return note


@transaction.atomic
def case_start_review(*, actor: User, case: Case, version: str) -> Case:
    """受付済 → 審査中."""
    case = _locked(case, actor, version)
    submissions.submission_status_change(
        actor=actor, submission=case.submission, status=SubmissionStatus.UNDER_REVIEW
    )
    _bump(case, actor, CaseEventKind.REVIEW_STARTED)
    return case


@transaction.atomic
def case_request_correction(
    *, actor: User, case: Case, fields: Iterable[str], message: str, version: str
) -> Case:
    """補正依頼: the resident is mailed and edits only these answers."""
    case = _locked(case, actor, version)
    keys = list(fields)
    submissions.correction_request_create(
        actor=actor, submission=case.submission, fields=keys, message=message
    )
    _bump(case, actor, CaseEventKind.CORRECTION_REQUESTED, fields=keys)
    return case


def checklist_gate(case: Case, *, confirm_unchecked: bool) -> list[str]:
    """The unticked checklist items a decision goes ahead with.

    A decision (or 起案) with unticked items is refused unless the clerk confirms it
    explicitly: the checklist is the record of the review, so a gap must be a choice, not an
    oversight; refusing outright would block rejections whose remaining checks no longer
    apply (a collection date is not arranged for items that cannot be collected). The
    items go into the case's history with the decision."""
    unchecked = unchecked_items(case=case)
    if unchecked and not confirm_unchecked:
        raise ValidationError(
            {
                "checklist": _(
                    "The review checklist has %(count)d unticked item(s): %(items)s. Tick "
                    "them, or confirm that you decide without them."
                )
                % {"count": len(unchecked), "items": "、".join(unchecked)}
            },
            code="checklist",
        )
    return unchecked


DECISIONS = {"approve": SubmissionStatus.COMPLETED, "reject": SubmissionStatus.REJECTED}
DECISION_AUDIT_ACTIONS = {"approve": AuditAction.CASE_APPROVED, "reject": AuditAction.CASE_REJECTED}


def _decision_reason(decision: str, reason: str) -> str:
    """The reason of a decision (direct or 起案), stripped, after checking the decision is
    one of ``DECISIONS`` and that a rejection gives a reason (the applicant reads it)."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose approve or reject.")})
    text = reason.strip()
    if decision == "reject" and not text:
        raise ValidationError(
            {"reason": _("Give the reason for the rejection; the applicant reads it.")}
        )
    return text


def decision_apply(*, case: Case, actor: User, decision: str, reason: str) -> None:
    """Make a decision take effect: the application becomes 完了 or 却下 (mailed to the
    resident) and the signed notice is issued. Called directly, or when the last step of an
    approval route approves."""
    submissions.submission_status_change(
        actor=actor, submission=case.submission, status=DECISIONS[decision], note=reason
    )
    document_issue(case=case, actor=actor, decision=decision, reason=reason)
    audit_record(
        action=DECISION_AUDIT_ACTIONS[decision],
        actor=actor,
        municipality=case.municipality,
        target=case,
        data={"reference": case.submission.reference},
    )


@transaction.atomic
def case_document_revoke(
    *, actor: User, case: Case, document_id: str, reason: str, version: str
) -> IssuedDocument:
    """取消し of a notice issued on the case (e.g. issued in error): /verify/ then answers
    "revoked" for it. An approver or department administrator decides it, with a reason
    kept for staff (the public page shows only the date)."""
    case = _locked(case, actor, version)
    if not can_revoke_documents(actor, case):
        raise PermissionDenied(
            _("Only an approver or administrator of the department can revoke a document.")
        )
    document = case.documents.select_for_update().filter(pk=document_id).first()
    if document is None:
        raise ValidationError(_("This document does not exist. Reload the page."))
    if document.revoked_at is not None:
        raise ValidationError(_("This document is already revoked."))
    text = reason.strip()
    if not text:
        raise ValidationError({"revoke_reason": _("Say why the document is revoked.")})
    document.revoked_at = timezone.now()
    document.revoked_reason = text
    document.save(update_fields=["revoked_at", "revoked_reason"])
    audit_record(
        action=AuditAction.DOCUMENT_REVOKED,
        actor=actor,
        municipality=case.municipality,
        target=document,
        data={"code": document.code, "reference": case.submission.reference},
    )
    _bump(case, actor, CaseEventKind.DOCUMENT_REVOKED, document=document.code_display)
    return document


@transaction.atomic
def case_decide(
    *,
    actor: User,
    case: Case,
    decision: str,
    reason: str,
    version: str,
    confirm_unchecked: bool = False,
) -> Case:
    """承認 (完了) or 却下, with the reason the resident reads. A rejection needs a reason;
    unticked checklist items need ``confirm_unchecked`` (:func:`checklist_gate`).
    Procedures with an approval route decide through 起案 instead (``approvals``)."""
    case = _locked(case, actor, version)
    text = _decision_reason(decision, reason)
    if case.procedure.approval_routes.exists():
        raise ValidationError(
            _("Decisions on this procedure go through e-approval: submit the decision (起案).")
        )
    unchecked = checklist_gate(case, confirm_unchecked=confirm_unchecked)
    decision_apply(case=case, actor=actor, decision=decision, reason=text)
    _bump(case, actor, CaseEventKind.DECIDED, decision=decision, unchecked=unchecked)
    return case
