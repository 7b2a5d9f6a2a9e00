"""The DX plan as data: 計画 → 基本方針 → 重点施策 → 事業, KPIs, PDCA evaluations, OODA log.

Every row hangs off a ``Plan``, and every plan belongs to one municipality (tenant).
Writes go through ``machi.plan.services``; nothing here changes data on its own.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from machi.core.models import Department, Municipality

# Fiscal years are stored as the 西暦 year in which the 年度 starts (令和5年度 = 2023).
FISCAL_YEAR_MIN = 1989
FISCAL_YEAR_MAX = 2100


class Plan(models.Model):
    """計画: a municipality's DX plan, e.g. 亀山市行政DX推進計画 (令和4年度〜令和8年度)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="plans")
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    adopted = models.CharField(_("adopted (year-month)"), max_length=7, blank=True)
    first_fiscal_year = models.PositiveSmallIntegerField(_("first fiscal year"))
    last_fiscal_year = models.PositiveSmallIntegerField(_("last fiscal year"))
    principle = models.TextField(_("basic principle (基本理念)"))
    principle_description = models.TextField(_("principle explained"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-first_fiscal_year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="plan_code_unique"),
            models.CheckConstraint(
                condition=Q(last_fiscal_year__gte=F("first_fiscal_year"))
                & Q(last_fiscal_year__lte=F("first_fiscal_year") + 10),
                name="plan_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def fiscal_years(self) -> list[int]:
        return list(range(self.first_fiscal_year, self.last_fiscal_year + 1))

    def covers(self, fiscal_year: int) -> bool:
        return self.first_fiscal_year <= fiscal_year <= self.last_fiscal_year


class BasicPolicy(models.Model):
    """基本方針."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="policies")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("basic policy")
        verbose_name_plural = _("basic policies")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="policy_number_unique"),
        ]

    def __str__(self) -> str:
        return f"基本方針{self.number} {self.title}"


class Measure(models.Model):
    """重点施策, numbered inside its basic policy: 基本方針2 (6) is policy 2, measure 6."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    policy = models.ForeignKey(BasicPolicy, on_delete=models.CASCADE, related_name="measures")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("priority measure")
        verbose_name_plural = _("priority measures")
        ordering = ["policy__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="measure_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.title}"

    @property
    def key(self) -> str:
        """The reference used in plan files: ``"2-6"`` for 基本方針2 (6)."""
        return f"{self.policy.number}-{self.number}"

    @property
    def label(self) -> str:
        return f"基本方針{self.policy.number} ({self.number})"


class InitiativeStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    UNDER_REVIEW = "under_review", _("Under review")


class Initiative(models.Model):
    """事業: an item of the 実施計画 under a measure, owned by one department."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="initiatives")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="initiatives")
    code = models.CharField(_("code"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="initiatives")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.NOT_STARTED,
    )
    # {"2023": "what happens that fiscal year", ...}; keys are fiscal years inside the plan.
    schedule = models.JSONField(_("schedule by fiscal year"), default=dict, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="initiative_code_unique"),
            models.CheckConstraint(
                condition=Q(status__in=InitiativeStatus.values), name="initiative_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def schedule_items(self) -> list[tuple[int, str]]:
        return sorted((int(year), text) for year, text in self.schedule.items())


class Direction(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class KPI(models.Model):
    """A key performance indicator of a measure, optionally of one initiative."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="kpis")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="kpis")
    initiative = models.ForeignKey(
        Initiative, on_delete=models.SET_NULL, related_name="kpis", null=True, blank=True
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="kpis",
        null=True,
        blank=True,
        help_text=_("Who enters the actual figures; empty means the initiative's department."),
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    description = models.TextField(_("how it is measured"), blank=True)
    baseline_fiscal_year = models.PositiveSmallIntegerField(
        _("baseline fiscal year"), null=True, blank=True
    )
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    minimum = models.DecimalField(_("smallest allowed value"), max_digits=14, decimal_places=3)
    maximum = models.DecimalField(
        _("largest allowed value"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    is_demo = models.BooleanField(_("demo figures"), default=False)

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="kpi_code_unique"),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="kpi_direction_valid"
            ),
            models.CheckConstraint(
                condition=Q(maximum__isnull=True) | Q(maximum__gt=F("minimum")),
                name="kpi_range_valid",
            ),
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True) | Q(baseline_fiscal_year__isnull=False),
                name="kpi_baseline_has_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def owner_department(self) -> Department | None:
        if self.department is not None:
            return self.department
        return self.initiative.department if self.initiative else None


class KPIValueKind(models.TextChoices):
    TARGET = "target", _("target")
    ACTUAL = "actual", _("actual")


class KPIValue(models.Model):
    """A KPI's target or actual figure for one fiscal year, with where it came from."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="values")
    kind = models.CharField(_("kind"), max_length=8, choices=KPIValueKind.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    source_note = models.CharField(_("source"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    entered_by_label = models.CharField(_("entered by"), max_length=150, blank=True)
    entered_at = models.DateTimeField(_("entered at"))

    class Meta:
        verbose_name = _("KPI value")
        verbose_name_plural = _("KPI values")
        ordering = ["fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "kind", "fiscal_year"], name="kpi_value_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=KPIValueKind.values), name="kpi_value_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi.code} {self.fiscal_year} {self.kind} {self.value}"


class Grade(models.TextChoices):
    """自己評価."""

    A = "A", _("A: on track")
    B = "B", _("B: mostly on track")
    C = "C", _("C: behind")
    D = "D", _("D: far behind")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    LEADER_REVIEW = "leader_review", _("Awaiting the DX leader")
    COMMITTEE = "committee", _("Before the committee")
    SENT_BACK = "sent_back", _("Sent back")
    APPROVED = "approved", _("Approved")


EDITABLE_STATUSES = (EvaluationStatus.DRAFT, EvaluationStatus.SENT_BACK)


class Evaluation(models.Model):
    """評価: one fiscal year of one initiative, one revision.

    An approved revision is locked; a change makes revision n+1 and keeps n as history.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="evaluations")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="evaluations")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.DRAFT,
    )
    grade = models.CharField(_("self-assessment"), max_length=1, choices=Grade.choices)
    comment = models.TextField(_("comment"))
    next_action = models.TextField(_("next action"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["initiative__code", "fiscal_year", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "fiscal_year", "revision"],
                name="evaluation_revision_unique",
            ),
            models.CheckConstraint(condition=Q(grade__in=Grade.values), name="evaluation_grade"),
            models.CheckConstraint(
                condition=Q(status__in=EvaluationStatus.values), name="evaluation_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
                name="evaluation_approved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative.code} FY{self.fiscal_year} r{self.revision}"

    @property
    def is_locked(self) -> bool:
        return self.status == EvaluationStatus.APPROVED

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class EvaluationAction(models.TextChoices):
    CREATED = "created", _("created")
    SAVED = "saved", _("saved")
    SUBMITTED = "submitted", _("submitted to the DX leader")
    REVIEWED = "reviewed", _("reviewed by the DX leader")
    SENT_BACK = "sent_back", _("sent back")
    MEMBER_APPROVED = "member_approved", _("approved by a committee member")
    APPROVED = "approved", _("approved by the chair (final)")
    REVISED = "revised", _("new revision opened")


class EvaluationEvent(models.Model):
    """One step in an evaluation's history. Rows are only ever added."""

    id = models.BigAutoField(primary_key=True)
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=16, choices=EvaluationAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_label = models.CharField(_("by"), max_length=150)
    note = models.TextField(_("note"), blank=True)
    occurred_at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("evaluation event")
        verbose_name_plural = _("evaluation events")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.evaluation} {self.action}"


class CommitteeApproval(models.Model):
    """A DX推進委員's approval of an evaluation in its current committee round."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="committee_approvals"
    )
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    approved_at = models.DateTimeField(_("approved at"))

    class Meta:
        verbose_name = _("committee approval")
        verbose_name_plural = _("committee approvals")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "member"], name="committee_approval_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} ✓ {self.member}"


class PlanComment(models.Model):
    """A comment on the plan, an initiative or an evaluation (advisers, committee, staff)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="comments", null=True, blank=True
    )
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="comments", null=True, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_label = models.CharField(_("by"), max_length=150)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("posted at"))

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.author_label}: {self.body[:30]}"


class OODARecord(models.Model):
    """OODA log: a quick decision outside the annual PDCA cycle (観察・情勢判断・意思決定・行動)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="ooda_records")
    decided_on = models.DateField(_("decided on"))
    title = models.CharField(_("title"), max_length=200)
    observe = models.TextField(_("observe (観察)"))
    orient = models.TextField(_("orient (情勢判断)"))
    decide = models.TextField(_("decide (意思決定)"))
    act = models.TextField(_("act (行動)"))
    decider = models.CharField(_("decided by"), max_length=150)
    measures = models.ManyToManyField(Measure, related_name="ooda_records", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("OODA record")
        verbose_name_plural = _("OODA records")
        ordering = ["-decided_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.decided_on} {self.title}"
