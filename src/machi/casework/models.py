"""The back office: each submitted application becomes a case (案件) of its department.

The public status lives on the submission (``procedures.Submission.status``), so the
resident and the clerk always see the same one; the case holds what only staff see:
assignment, the due date, the review checklist, internal notes and history.
Writes go through ``machi.casework.services``.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from machi.core.models import AppendOnly, ApproverRank, Department, Municipality
from machi.procedures.models import Procedure, Submission


class Case(models.Model):
    """案件: one application in a department's queue."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="case")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="cases")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="cases")
    received_at = models.DateTimeField(_("received at"))
    due_on = models.DateField(_("due (標準処理期間)"), null=True, blank=True, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assigned to"),
    )
    # {"0": {"done": true, "by": "…", "at": "…"}}: the procedure's review checklist items.
    checklist = models.JSONField(default=dict, blank=True)
    # Bumped by every change: an action sent from a page showing an older version is refused.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    # Set when the case is handed to the core system (一括取込) in a CSV export.
    exported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["department", "-received_at"]),
            models.Index(fields=["municipality", "-received_at"]),
        ]

    def __str__(self) -> str:
        return self.submission.reference_display

    @property
    def is_overdue(self) -> bool:
        """Past its due date and not finished."""
        return bool(
            self.due_on and self.due_on < timezone.localdate() and not self.submission.finished
        )


class CaseEventKind(models.TextChoices):
    """What a case's history records; the label is what staff read in the history."""

    OPENED = "opened", _("case opened (案件登録)")
    ASSIGNED = "assigned", _("assigned (担当者の割当て)")
    CHECKLIST = "checklist", _("checklist updated (審査チェックリスト)")
    NOTE = "note", _("internal note added (内部メモ)")
    REVIEW_STARTED = "review_started", _("review started (審査開始)")
    CORRECTION_REQUESTED = "correction_requested", _("correction requested (補正依頼)")
    DECIDED = "decided", _("decided (決定)")
    APPROVAL_SUBMITTED = "approval_submitted", _("drafted for approval (起案)")
    APPROVAL_STEP = "approval_step", _("approval step done (決裁)")
    APPROVAL_SENT_BACK = "approval_sent_back", _("sent back (差戻し)")
    APPROVAL_RECALLED = "approval_recalled", _("recalled (引戻し)")
    APPROVAL_RESUBMITTED = "approval_resubmitted", _("sent again (再起案)")
    DOCUMENT_REVOKED = "document_revoked", _("issued document revoked (交付文書の取消し)")


class CaseEvent(models.Model):
    """One internal step in a case's history (assignment, checklist, notes). Never changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=CaseEventKind.choices)
    occurred_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at"]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"


class CaseNote(models.Model):
    """内部メモ: between staff only; residents never see it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_label = models.CharField(max_length=254)
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.case} note"


class ApprovalRoute(models.Model):
    """決裁ルート: who approves a procedure's decisions, in order.

    ``steps`` is a list of ``{"rank": 1-5, "department": "<code>" (default: the case's),
    "consult": true (合議, another department), "with_previous": true (in parallel with the
    step before)}``; checked by ``machi.casework.routes.parse_route``. A procedure may have
    several routes for different amounts: the one with the highest ``min_amount`` not above
    the application's amount is used.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="approval_routes"
    )
    name = models.CharField(_("name"), max_length=100)
    min_amount = models.PositiveBigIntegerField(_("from amount (yen)"), default=0)
    steps = models.JSONField(_("steps"))

    class Meta:
        verbose_name = _("approval route")
        verbose_name_plural = _("approval routes")
        ordering = ["procedure", "min_amount"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "min_amount"], name="approval_route_amount_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code}: {self.name}"


class ApprovalStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("being approved (回議中)")
    SENT_BACK = "sent_back", _("sent back to the drafter (差戻し)")
    RECALLED = "recalled", _("recalled by the drafter (引戻し)")
    APPROVED = "approved", _("approved (決裁済)")
    CANCELLED = "cancelled", _("cancelled")


class Approval(models.Model):
    """起案: a proposed decision on a case, carried along its route's steps."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    route_name = models.CharField(max_length=100)
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=16)  # approve | reject
    reason = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=ApprovalStatus.choices, default=ApprovalStatus.IN_PROGRESS
    )
    current_order = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status__in=["in_progress", "sent_back", "recalled"]),
                name="one_open_approval_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} approval"

    @property
    def is_open(self) -> bool:
        return self.status in (
            ApprovalStatus.IN_PROGRESS,
            ApprovalStatus.SENT_BACK,
            ApprovalStatus.RECALLED,
        )


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    PENDING = "pending", _("to approve now")
    APPROVED = "approved", _("approved (承認)")
    DEPUTY = "deputy", _("decided by a deputy (代決)")


class ApprovalStep(models.Model):
    """決裁: one approver's place on an approval's route."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    rank = models.PositiveSmallIntegerField()
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    consult = models.BooleanField(default=False)  # 合議
    status = models.CharField(max_length=16, choices=StepStatus.choices, default=StepStatus.WAITING)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    acted_at = models.DateTimeField(null=True, blank=True)
    # 代決: the absent approver this deputy decided for, who reviews it afterwards (後閲).
    deputy_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    post_reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "rank"]

    def __str__(self) -> str:
        return f"{self.approval} step {self.order}"

    @property
    def rank_label(self) -> str:
        return str(ApproverRank(self.rank).label)


APPROVAL_ACTIONS = {
    "submitted": _("drafted (起案)"),
    "approved": _("approved (承認)"),
    "deputy_approved": _("decided as deputy (代決)"),
    "post_reviewed": _("reviewed afterwards (後閲)"),
    "sent_back": _("sent back (差戻し)"),
    "recalled": _("recalled (引戻し)"),
    "resubmitted": _("sent again (再起案)"),
}


class ApprovalAction(AppendOnly):
    """The history of an approval: who did what, when. Rows are never changed or deleted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="actions")
    step = models.ForeignKey(ApprovalStep, on_delete=models.CASCADE, null=True, related_name="+")
    action = models.CharField(max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=254)
    comment = models.TextField(blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_at"]

    def __str__(self) -> str:
        return f"{self.approval} {self.action}"

    @property
    def action_label(self) -> str:
        return str(APPROVAL_ACTIONS.get(self.action, self.action))


class Absence(models.Model):
    """不在登録: an approver is away; their designated deputy may decide for them (代決)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences"
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deputising"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="absence_period_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} absent {self.starts_on}–{self.ends_on}"


class IssuedDocument(models.Model):
    """交付文書: a PDF the city issues (決定通知書 …), signed so anyone can check it.

    The platform's Ed25519 key signs ``signed_text`` (the code, the PDF's SHA-256, the issue
    time, the municipality and the kind); the PDF carries the code and a QR code to the public
    verify page.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="issued_documents"
    )
    code = models.CharField(_("document code"), max_length=12, unique=True)
    kind = models.CharField(_("kind"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    sha256 = models.CharField(max_length=64, db_index=True)
    signature = models.CharField(max_length=120)
    key_id = models.CharField(max_length=16)
    file = models.FileField(upload_to="issued/%Y/%m/", max_length=200)
    # 取消し: the document no longer stands (e.g. issued in error); /verify/ says so.
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def code_display(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    def signed_text(self) -> bytes:
        issued = self.issued_at.astimezone(dt.UTC).isoformat(timespec="seconds")
        return (
            f"machi-document/1\n{self.code}\n{self.sha256}\n{issued}\n"
            f"{self.municipality.code}\n{self.kind}\n"
        ).encode()


class CounterStatus(models.TextChoices):
    OPEN = "open", _("being prepared")
    CONFIRMED = "confirmed", _("confirmed by the resident")
    CANCELLED = "cancelled", _("cancelled")


class CounterSession(models.Model):
    """書かない窓口: a clerk enters a resident's details once, picks a life event, fills the
    applicable procedures with them, and the resident confirms on a tablet."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="counter_sessions",
    )
    # Entered once: name, name_kana, birthdate, address, postal_code, phone, email and, for
    # a move, new_postal_code, new_address, move_date (the prefill sources of the forms).
    details = models.JSONField(default=dict)
    identity_document = models.CharField(_("identity document checked"), max_length=100)
    life_event = models.CharField(max_length=40, blank=True)
    guide_answers = models.JSONField(default=dict, blank=True)
    # (procedure code, draft id) while being prepared; (code, submission id) once confirmed.
    drafts = models.JSONField(default=list, blank=True)
    submissions = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=16, choices=CounterStatus.choices, default=CounterStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"counter session {self.created_at:%Y-%m-%d %H:%M}"


class CaseExport(models.Model):
    """A CSV hand-off to a core system (一括取込): what was exported, when, by whom."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    exported_at = models.DateTimeField(default=timezone.now)
    encoding = models.CharField(max_length=16)
    count = models.PositiveIntegerField()
    included_earlier = models.BooleanField(default=False)
    # "text": formula-like cells neutralised (safe in a spreadsheet); "raw": answers as
    # typed, chosen explicitly for a core system's own import (services.exports.CELLS).
    cells = models.CharField(max_length=8, default="text")
    references = models.JSONField(default=list)

    class Meta:
        ordering = ["-exported_at"]

    def __str__(self) -> str:
        return f"{self.procedure.code} export {self.exported_at:%Y-%m-%d %H:%M}"
