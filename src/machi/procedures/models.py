"""Procedures for residents: the catalog, versioned forms, drafts, submissions (申請).

Every row belongs to a municipality. Writes go through ``machi.procedures.services``.
A submission keeps the form version it was made with (``FormDefinition`` rows are never
changed once saved), so editing a form never breaks an earlier application.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from machi.core.localized import localized
from machi.core.models import Department, Municipality
from machi.core.reference import format_reference


class IdentityRequirement(models.TextChoices):
    """本人確認のレベル: who may submit a procedure."""

    ANONYMOUS = "anonymous", _("anyone, without signing in")
    SIGNED_IN = "signed_in", _("signed in with an account")
    VERIFIED = "verified", _("identity verified with the My Number card")


IDENTITY_RANK = {"anonymous": 0, "signed_in": 1, "verified": 2}


class Category(models.Model):
    """分類: how the catalog is browsed (届出・証明, 子育て, ごみ …)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="procedure_categories"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("procedure category")
        verbose_name_plural = _("procedure categories")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="category_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def text(self, language: str) -> str:
        return localized(self, "name", language)


class Procedure(models.Model):
    """手続: one thing a resident can do, with what they need to know before starting."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="procedures"
    )
    code = models.SlugField(_("code"), max_length=64)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("category")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="procedures",
        verbose_name=_("owner department"),
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    summary = models.TextField(_("summary (概要)"))
    summary_en = models.TextField(_("English summary"), blank=True)
    eligibility = models.TextField(_("who can apply (対象者)"), blank=True)
    deadline = models.CharField(_("deadline (手続期限)"), max_length=300, blank=True)
    required_documents = models.JSONField(
        _("documents to attach (添付書類)"), default=list, blank=True
    )
    what_to_bring = models.JSONField(_("what to bring (持ちもの)"), default=list, blank=True)
    fee = models.CharField(_("fee (手数料)"), max_length=300, blank=True)
    online = models.BooleanField(_("can be done online"), default=True)
    counter_info = models.TextField(_("at the counter (窓口)"), blank=True)
    identity_level = models.CharField(
        _("identity required"),
        max_length=16,
        choices=IdentityRequirement.choices,
        default=IdentityRequirement.SIGNED_IN,
    )
    keywords = models.CharField(
        _("search keywords"),
        max_length=500,
        blank=True,
        help_text=_("Other words residents use for this procedure, separated by spaces."),
    )
    related_links = models.JSONField(
        _("related FAQ and notices"),
        default=list,
        blank=True,
        help_text=_('A list of {"title": …, "url": …}.'),
    )
    current_form = models.ForeignKey(
        "FormDefinition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current form version"),
    )
    processing_days = models.PositiveSmallIntegerField(
        _("standard processing period (標準処理期間), in business days"),
        null=True,
        blank=True,
        help_text=_("From the day after an application arrives to the decision."),
    )
    review_checklist = models.JSONField(
        _("review checklist"),
        default=list,
        blank=True,
        help_text=_("What staff check on each application, one item per line."),
    )
    decision_templates = models.JSONField(
        _("decision templates"),
        default=dict,
        blank=True,
        help_text=_('Reasons staff pick from: {"approve": […], "reject": […]}.'),
    )
    is_published = models.BooleanField(_("published"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="procedure_code_unique"),
            models.CheckConstraint(
                condition=Q(identity_level__in=["anonymous", "signed_in", "verified"]),
                name="procedure_identity_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def text(self, language: str) -> str:
        return localized(self, "title", language)

    def summary_text(self, language: str) -> str:
        return localized(self, "summary", language)

    @property
    def can_apply_online(self) -> bool:
        return self.online and self.current_form_id is not None


class FormDefinition(models.Model):
    """One version of a procedure's form (JSON, ``machi-form/1``). Never changed once saved:
    an edit is saved as the next version."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="form_versions")
    version = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    change_note = models.CharField(_("change note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by_label = models.CharField(_("created by"), max_length=254, blank=True)

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["procedure", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "version"], name="form_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.version}"


class Draft(models.Model):
    """一時保存: an application being filled in, saved at every step."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="drafts")
    form = models.ForeignKey(FormDefinition, on_delete=models.PROTECT, related_name="drafts")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="procedure_drafts",
    )
    answers = models.JSONField(default=dict, blank=True)
    # Values verified by the identity provider: shown as verified, never editable.
    locked = models.JSONField(default=dict, blank=True)
    completed_steps = models.JSONField(default=list, blank=True)
    # Where the pages lead after the last step instead of the check page (a counter session).
    return_url = models.CharField(max_length=200, blank=True)
    resume_email = models.EmailField(blank=True)
    # When the resident asked for the link; the mail itself is a message of the outbox of
    # notices (kind draft.resume), which sends and retries it (ADR 0019).
    resume_sent_at = models.DateTimeField(null=True, blank=True)
    resume_portal_url = models.CharField(max_length=200, blank=True)
    resume_language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.procedure.code} draft {self.pk}"


class SubmissionStatus(models.TextChoices):
    RECEIVED = "received", _("received (受付済)")
    UNDER_REVIEW = "under_review", _("under review (審査中)")
    CORRECTION_REQUESTED = "correction_requested", _("correction requested (補正依頼中)")
    COMPLETED = "completed", _("completed (完了)")
    REJECTED = "rejected", _("rejected (却下)")
    WITHDRAWN = "withdrawn", _("withdrawn (取下げ)")


FINISHED_STATUSES = frozenset(
    {SubmissionStatus.COMPLETED, SubmissionStatus.REJECTED, SubmissionStatus.WITHDRAWN}
)


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    API = "api", _("API")
    COUNTER = "counter", _("at the counter, entered by staff (窓口代行)")


class Submission(models.Model):
    """申請: what a resident sent, frozen with the form version it was made with."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="submissions")
    form = models.ForeignKey(FormDefinition, on_delete=models.PROTECT, related_name="submissions")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("reference number (受付番号)"), max_length=9)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="procedure_submissions",
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    identity_level = models.CharField(
        _("identity when submitted"), max_length=16, choices=IdentityRequirement.choices
    )
    answers = models.JSONField(_("answers"), default=dict)
    computed = models.JSONField(_("computed values"), default=dict, blank=True)
    verified_fields = models.JSONField(default=list, blank=True)
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.ONLINE
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The clerk who entered it at the counter."),
    )
    # The draft id (pages) or "api:<user id>:<Idempotency-Key>" (API, keys of up to 255
    # characters): one submission per key.
    idempotency_key = models.CharField(max_length=300)
    request_hash = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"),
        max_length=32,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.RECEIVED,
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    # Whole hours from submission to the final status, kept so that processing-time
    # statistics are one grouped query rather than a walk over every finished row.
    processing_hours = models.PositiveIntegerField(
        _("processing time (hours)"), null=True, blank=True
    )
    language = models.CharField(_("language"), max_length=8, default="ja")
    # Where the resident applied (e.g. https://www.city.kameyama.mie.jp): links in mails.
    portal_url = models.CharField(max_length=200, blank=True)
    # Bumped by every change, so a screen can refuse to act on what it no longer shows.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference"], name="submission_reference_unique"
            ),
            models.UniqueConstraint(
                fields=["municipality", "idempotency_key"], name="submission_idempotency_unique"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "received",
                        "under_review",
                        "correction_requested",
                        "completed",
                        "rejected",
                        "withdrawn",
                    ]
                ),
                name="submission_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["applicant", "-submitted_at"]),
            # The back office's statistics and queue filters, per department.
            models.Index(fields=["department", "-submitted_at"]),
            models.Index(fields=["department", "status"]),
        ]

    def __str__(self) -> str:
        return self.reference_display

    @property
    def reference_display(self) -> str:
        return format_reference(self.reference)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def can_withdraw(self) -> bool:
        return not self.finished


class SubmissionEvent(models.Model):
    """One step in a submission's history, shown to the resident with its date; the mail
    that tells them about it is a message of the outbox of notices, keyed
    ``submission-event:<id>`` (ADR 0019)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=32, choices=SubmissionStatus.choices)
    kind = models.CharField(max_length=32)
    occurred_at = models.DateTimeField(default=timezone.now)
    actor_label = models.CharField(max_length=254, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["occurred_at"]

    def __str__(self) -> str:
        return f"{self.submission} {self.kind}"


class CorrectionRequest(models.Model):
    """補正依頼: staff ask the applicant to correct some answers; they edit only those."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="corrections")
    fields = models.JSONField(_("fields to correct"))
    message = models.TextField(_("message"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission"],
                condition=Q(answered_at__isnull=True),
                name="one_open_correction_per_submission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission} correction"


def attachment_path(instance: Attachment, filename: str) -> str:
    # No part of the resident's file name goes into the storage path.
    suffix = PurePath(filename).suffix.lower()
    now = timezone.now()
    return f"attachments/{instance.municipality_id}/{now:%Y/%m}/{instance.pk}{suffix}"


class Attachment(models.Model):
    """添付書類: a checked file, first on a draft, then on the submission."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    draft = models.ForeignKey(
        Draft, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    field_key = models.CharField(max_length=40)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=100)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


class LifeEvent(models.Model):
    """ライフイベント: a short question flow that lists the procedures a situation needs."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=100)
    title_en = models.CharField(_("English title"), max_length=100, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    summary_en = models.CharField(_("English summary"), max_length=300, blank=True)
    definition = models.JSONField(_("questions and rules"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("life event")
        verbose_name_plural = _("life events")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="life_event_code_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def text(self, language: str) -> str:
        return localized(self, "title", language)

    def summary_text(self, language: str) -> str:
        return localized(self, "summary", language)
