"""Writes for accounts (residents and staff) and staff roles."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from machi.core.audit_actions import AuditAction
from machi.core.japanese.kana import normalize_furigana
from machi.core.models import (
    Department,
    IdentityLevel,
    Municipality,
    Role,
    StaffRole,
    User,
    UserKind,
)
from machi.core.permissions import has_role, require_role
from machi.core.services.audit import audit_record

# Roles a department administrator may hand out inside their own department.
DEPARTMENT_GRANTABLE = {Role.CLERK, Role.APPROVER, Role.DX_LEADER, Role.DIGITAL_MASTER}
# Claims of an OpenID Connect provider kept as verified attributes (no 個人番号).
VERIFIED_CLAIMS = ("name", "name_kana", "address", "birthdate", "gender")


@transaction.atomic
def resident_account_save(*, user: User, municipality: Municipality) -> User:
    """Store a resident account created by sign-up (the adapter builds ``user``)."""
    user.kind = UserKind.RESIDENT
    user.municipality = municipality
    user.is_staff = False
    user.is_superuser = False
    user.save()
    audit_record(
        action=AuditAction.RESIDENT_REGISTERED, actor=user, municipality=municipality, target=user
    )
    return user


@transaction.atomic
def resident_create(
    *,
    municipality: Municipality,
    email: str,
    password: str,
    full_name: str = "",
    full_name_kana: str = "",
) -> User:
    """Create a resident directly (demo data, support desk)."""
    user = User(
        email=User.objects.normalize_email(email),
        full_name=full_name,
        full_name_kana=normalize_furigana(full_name_kana) if full_name_kana else "",
    )
    user.set_password(password)
    return resident_account_save(user=user, municipality=municipality)


@transaction.atomic
def resident_verified_claims_update(*, user: User, claims: dict[str, Any]) -> User:
    """Record the attributes an OpenID Connect provider verified for this resident."""
    if user.kind != UserKind.RESIDENT:
        raise PermissionDenied(_("Only residents sign in with an identity provider."))
    kept = {key: claims[key] for key in VERIFIED_CLAIMS if claims.get(key) not in (None, "")}
    user.verified_claims = kept
    user.identity_level = IdentityLevel.VERIFIED
    if isinstance(kept.get("name"), str):
        user.full_name = kept["name"]
    user.save(update_fields=["verified_claims", "identity_level", "full_name"])
    audit_record(
        action=AuditAction.RESIDENT_IDENTITY_VERIFIED,
        actor=user,
        municipality=user.municipality,
        target=user,
        data={"claims": sorted(kept)},
    )
    return user


@transaction.atomic
def staff_create(
    *,
    actor: User | None,
    municipality: Municipality,
    email: str,
    full_name: str,
    password: str | None = None,
) -> User:
    """Create a staff account. ``actor=None`` is the command line (system)."""
    if actor is not None:
        require_role(actor, municipality, [Role.PLATFORM_ADMIN, Role.DEPARTMENT_ADMIN])
    email = User.objects.normalize_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})
    user = User(email=email, full_name=full_name, kind=UserKind.STAFF, municipality=municipality)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(
        action=AuditAction.STAFF_CREATED,
        actor=actor,
        municipality=municipality,
        target=user,
        data={"email": email},
    )
    return user


@transaction.atomic
def staff_role_grant(
    *,
    actor: User | None,
    user: User,
    role: Role | str,
    department: Department | None = None,
    rank: int | None = None,
) -> StaffRole:
    """Give a member of staff a role. Checked here, whatever screen calls it.

    Platform administrators grant anything in their municipality; a department
    administrator grants clerk, approver and DX roles in their own department only.
    """
    municipality = user.municipality
    if user.kind != UserKind.STAFF or municipality is None:
        raise ValidationError(_("Roles can only be given to staff accounts."))
    if department is not None and department.municipality_id != municipality.pk:
        raise PermissionDenied(_("The department belongs to another municipality."))
    if actor is not None and not has_role(actor, municipality, [Role.PLATFORM_ADMIN]):
        if role not in DEPARTMENT_GRANTABLE or department is None:
            raise PermissionDenied(_("Only a platform administrator can give this role."))
        require_role(actor, municipality, [Role.DEPARTMENT_ADMIN], department=department)
    if role == Role.APPROVER and rank is None:
        raise ValidationError({"rank": _("An approver needs a rank (係長, 課長, 部長 …).")})
    rank = rank if role == Role.APPROVER else None
    staff_role = StaffRole.objects.filter(user=user, department=department, role=role).first()
    if staff_role is not None and staff_role.rank == rank:
        return staff_role  # already held: nothing to change or to log
    if staff_role is None:
        staff_role = StaffRole(user=user, department=department, role=role)
    staff_role.municipality = municipality
    staff_role.rank = rank
    staff_role.save()
    if role == Role.PLATFORM_ADMIN and not user.is_staff:
        # Platform administrators also use the Django admin, scoped to their municipality;
        # superuser (every tenant) is reserved for the deployment's operators.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    audit_record(
        action=AuditAction.STAFF_ROLE_GRANTED,
        actor=actor,
        municipality=municipality,
        target=user,
        data={
            "role": str(role),
            "department": department.code if department else None,
            "rank": rank,
        },
    )
    return staff_role


@transaction.atomic
def staff_role_revoke(*, actor: User, staff_role: StaffRole) -> None:
    municipality = staff_role.municipality
    if not has_role(actor, municipality, [Role.PLATFORM_ADMIN]):
        if staff_role.role not in DEPARTMENT_GRANTABLE or staff_role.department is None:
            raise PermissionDenied(_("Only a platform administrator can remove this role."))
        require_role(actor, municipality, [Role.DEPARTMENT_ADMIN], department=staff_role.department)
    audit_record(
        action=AuditAction.STAFF_ROLE_REVOKED,
        actor=actor,
        municipality=municipality,
        target=staff_role.user,
        data={"role": staff_role.role},
    )
    staff_role.delete()
    user = staff_role.user
    lost_admin = (
        staff_role.role == Role.PLATFORM_ADMIN
        and user.is_staff
        and not user.is_superuser
        and not StaffRole.objects.filter(user=user, role=Role.PLATFORM_ADMIN).exists()
    )
    if lost_admin:
        user.is_staff = False
        user.save(update_fields=["is_staff"])


# Fields a platform administrator may change on an account in the admin.
ADMIN_EDITABLE_FIELDS = {"full_name", "full_name_kana", "is_active"}


@transaction.atomic
def user_admin_update(*, actor: User, user: User, changes: dict[str, Any]) -> User:
    """Apply an administrator's edit of an account (name, kana, active flag)."""
    municipality = user.municipality
    if not actor.is_superuser:
        if municipality is None:
            raise PermissionDenied(_("Only a platform administrator can change accounts."))
        require_role(actor, municipality, [Role.PLATFORM_ADMIN])
    unknown = set(changes) - ADMIN_EDITABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    if changes.get("full_name_kana"):
        changes["full_name_kana"] = normalize_furigana(changes["full_name_kana"])
    for name, value in changes.items():
        setattr(user, name, value)
    if changes:
        user.save(update_fields=sorted(changes))
        audit_record(
            action=AuditAction.ACCOUNT_UPDATED,
            actor=actor,
            municipality=municipality,
            target=user,
            data={"fields": sorted(changes)},
        )
    return user
