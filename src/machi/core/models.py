"""Core data: municipalities (tenants), departments, accounts and roles, audit log."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.fiscal_year import fiscal_year_of
from machi.core.japanese.localgov_code import validate_localgov_code


def validate_municipality_code(value: str) -> None:
    """Django validator wrapper for 全国地方公共団体コード."""
    try:
        validate_localgov_code(value)
    except JapaneseInputError as exc:
        raise ValidationError(exc.message, code=exc.code) from exc


class Municipality(models.Model):
    """自治体: one tenant of a deployment."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(
        _("local government code"),
        max_length=6,
        unique=True,
        validators=[validate_municipality_code],
        help_text=_("全国地方公共団体コード: 6 digits including the check digit."),
    )
    name = models.CharField(_("name"), max_length=100)
    name_kana = models.CharField(_("name (kana)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    prefecture = models.CharField(_("prefecture"), max_length=10)
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year start month"), default=4
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12),
                name="municipality_fiscal_month_range",
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{6}$"), name="municipality_code_six_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefecture}{self.name}"

    def display_name(self, language: str) -> str:
        """The name to show in the header for the active language."""
        return self.name_en if language == "en" and self.name_en else self.name

    def current_fiscal_year(self, today: dt.date | None = None) -> int:
        """The 年度 in progress (or the one ``today`` falls in), by this city's calendar."""
        return fiscal_year_of(today or timezone.localdate(), self.fiscal_year_start_month)


class MunicipalityDomain(models.Model):
    """A host name on which a municipality's portal is served."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="domains")
    host = models.CharField(_("host name"), max_length=253, unique=True)

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self) -> str:
        return self.host


class Department(models.Model):
    """課・室 (or 部 when it has no parent) of a municipality."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="departments"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent (部)"),
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["municipality", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="department_code_unique_per_municipality"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} {self.name}" if self.parent_id and self.parent else self.name

    def clean(self) -> None:
        if self.parent and self.parent.municipality_id != self.municipality_id:
            raise ValidationError({"parent": _("The parent must belong to the same municipality.")})


# The login key of accounts whose identity provider shared no e-mail address.
OIDC_PLACEHOLDER_EMAIL_DOMAIN = "@oidc.invalid"


class UserKind(models.TextChoices):
    RESIDENT = "resident", _("resident")
    STAFF = "staff", _("staff")


class IdentityLevel(models.TextChoices):
    """How sure the platform is of who the account holder is."""

    SIGNED_IN = "signed_in", _("signed in (e-mail)")
    VERIFIED = "verified", _("verified identity (OpenID Connect)")


class MachiUserManager(UserManager["User"]):
    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("kind", UserKind.STAFF)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """An account: a resident (住民) or a member of staff (職員).

    Django's ``is_staff`` keeps its own meaning (may open the Django admin); whether a
    person works for the municipality is ``kind``.
    """

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=UserKind.choices, default=UserKind.RESIDENT
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        help_text=_("The municipality this account belongs to."),
    )
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    full_name_kana = models.CharField(_("full name (kana)"), max_length=200, blank=True)
    identity_level = models.CharField(
        _("identity level"),
        max_length=16,
        choices=IdentityLevel.choices,
        default=IdentityLevel.SIGNED_IN,
    )
    # Attributes asserted by the OpenID Connect provider (name, address, birthdate,
    # gender). Never the 個人番号.
    verified_claims = models.JSONField(_("verified attributes"), default=dict, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = MachiUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="resident") | Q(kind="staff"), name="user_kind_valid"
            ),
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
        ]

    def __str__(self) -> str:
        """How pages and records name the person (``str(user)`` everywhere): the full name,
        else the e-mail address."""
        return self.full_name or self.email

    @property
    def is_resident(self) -> bool:
        return self.kind == UserKind.RESIDENT

    @property
    def is_municipal_staff(self) -> bool:
        return self.kind == UserKind.STAFF

    @property
    def has_placeholder_email(self) -> bool:
        """Accounts made by an identity provider that shared no e-mail address."""
        return self.email.endswith(OIDC_PLACEHOLDER_EMAIL_DOMAIN)


class Role(models.TextChoices):
    CLERK = "clerk", _("clerk (担当)")
    APPROVER = "approver", _("approver (決裁者)")
    DEPARTMENT_ADMIN = "department_admin", _("department administrator")
    PLATFORM_ADMIN = "platform_admin", _("platform administrator")
    DX_LEADER = "dx_leader", _("DX leader (DXリーダー)")
    DIGITAL_MASTER = "digital_master", _("digital master (デジタルマスター)")
    DX_COMMITTEE = "dx_committee", _("DX promotion committee member (DX推進委員)")
    DX_COMMITTEE_CHAIR = "dx_committee_chair", _("DX promotion committee chair, CIO (DX推進委員長)")
    DIGITAL_ADVISOR = (
        "digital_advisor",
        _("digital advisory committee member (デジタルアドバイザー委員)"),
    )


class ApproverRank(models.IntegerChoices):
    """決裁者の職位. Higher numbers decide more."""

    CHIEF = 1, _("chief (係長)")
    SECTION_MANAGER = 2, _("section manager (課長)")
    DIRECTOR = 3, _("director (部長)")
    DEPUTY_MAYOR = 4, _("deputy mayor (副市長)")
    MAYOR = 5, _("mayor (市長)")


class StaffRole(models.Model):
    """A role a member of staff holds in a department (or municipality-wide)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="staff_roles"
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="staff_roles",
        null=True,
        blank=True,
        help_text=_("Empty for municipality-wide roles (platform administrator, committee)."),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    rank = models.PositiveSmallIntegerField(
        _("rank"), choices=ApproverRank.choices, null=True, blank=True
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "department", "role"],
                condition=Q(department__isnull=False),
                name="staff_role_unique_in_department",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(department__isnull=True),
                name="staff_role_unique_municipality_wide",
            ),
            models.CheckConstraint(
                condition=Q(role="approver", rank__isnull=False)
                | (~Q(role="approver") & Q(rank__isnull=True)),
                name="staff_role_rank_only_for_approver",
            ),
        ]

    def __str__(self) -> str:
        where = self.department.name if self.department else self.municipality.name
        return f"{self.user} — {self.get_role_display()} ({where})"


class AppendOnly(models.Model):
    """Rows written once: saving an existing row or deleting one raises (history, logs)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError(f"{self._meta.verbose_name} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError(f"{self._meta.verbose_name} rows are append-only.")


class AuditEntry(AppendOnly):
    """監査ログ: append-only and hash-chained.

    Each entry stores the SHA-256 of the previous entry, so removing or editing a row
    breaks the chain; ``manage.py audit_verify`` finds the first broken link. Rows are
    written only by ``machi.core.services.audit.audit_record``.
    """

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    occurred_at = models.DateTimeField(_("occurred at"))
    municipality_id = models.UUIDField(_("municipality"), null=True, blank=True, db_index=True)
    # Copies, not foreign keys: deleting a user must not rewrite the log.
    actor_id = models.UUIDField(_("actor"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("actor label"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True, db_index=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    entry_hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"


class AuditChainHead(models.Model):
    """The single row that serialises appends to the audit chain (locked FOR UPDATE)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="audit_head_singleton")]

    def __str__(self) -> str:
        return f"audit head #{self.sequence}"


class ResidentProfile(models.Model):
    """A resident's own details, kept to fill in forms for them (ワンスオンリー).

    Changed only by the resident (or with their consent when they submit a form); values an
    identity provider verified live in ``User.verified_claims`` instead.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="resident_profile"
    )
    postal_code = models.CharField(_("postal code"), max_length=7, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone number"), max_length=11, blank=True)
    birthdate = models.DateField(_("date of birth"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("resident profile")
        verbose_name_plural = _("resident profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(postal_code="") | Q(postal_code__regex=r"^[0-9]{7}$"),
                name="profile_postal_code_seven_digits",
            ),
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=r"^0[0-9]{9,10}$"),
                name="profile_phone_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"profile of {self.user}"


class StaffNotification(models.Model):
    """A message for one member of staff in the back office (e.g. a colleague @mentioned
    them on a case), with the page it is about."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="staff_notifications"
    )
    message = models.CharField(_("message"), max_length=300)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message
