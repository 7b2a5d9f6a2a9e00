"""The back office: each submitted application becomes a case (案件) of its department.

The public status lives on the submission (``procedures.Submission.status``), so the
resident and the clerk always see the same one; the case holds what only staff see:
assignment, the due date, the review checklist, internal notes and history.
Writes go through ``machi.casework.services``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from machi.core.models import Department, Municipality
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


class CaseEvent(models.Model):
    """One internal step in a case's history (assignment, checklist, notes). Never changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32)
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
