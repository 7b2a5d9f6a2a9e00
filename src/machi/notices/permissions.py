"""Who writes and who approves notices (ADR 0017: two people for every notice)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from machi.core.models import Department, Municipality, Role, User
from machi.core.permissions import departments_with_role, has_role, is_staff_of
from machi.notices.models import District, DistrictEditor, Notice

WRITER_ROLES = (Role.CLERK, Role.APPROVER, Role.DEPARTMENT_ADMIN)
APPROVER_ROLES = (Role.APPROVER, Role.DEPARTMENT_ADMIN)


def district_of(user: User | None, municipality: Municipality) -> District | None:
    """The district a district organisation's account writes for (None for anyone else)."""
    if not is_staff_of(user, municipality):
        return None
    editor = DistrictEditor.objects.filter(user=user).select_related("district").first()
    if editor is None or editor.district.municipality_id != municipality.pk:
        return None
    return editor.district


def can_write_for(user: User | None, municipality: Municipality, department: Department) -> bool:
    return has_role(user, municipality, WRITER_ROLES, department=department)


def writable_departments(user: User, municipality: Municipality) -> list[Department]:
    return list(departments_with_role(user, municipality, WRITER_ROLES))


def can_write(user: User | None, municipality: Municipality, notice: Notice) -> bool:
    """The notice's own district, or staff who write for its department."""
    if notice.district_author_id is not None:
        district = district_of(user, municipality)
        return district is not None and district.pk == notice.district_author_id
    return can_write_for(user, municipality, notice.department)


def can_approve(user: User | None, municipality: Municipality, notice: Notice) -> bool:
    """An approver of the notice's department who did not write it."""
    if user is None or notice.created_by_id == user.pk:
        return False
    return has_role(user, municipality, APPROVER_ROLES, department=notice.department)


def can_withdraw(user: User | None, municipality: Municipality, notice: Notice) -> bool:
    """Its writers, or the approvers of its department (``notice_withdraw``)."""
    return can_write(user, municipality, notice) or has_role(
        user, municipality, APPROVER_ROLES, department=notice.department
    )


def require_write(user: User | None, municipality: Municipality, notice: Notice) -> None:
    if not can_write(user, municipality, notice):
        raise PermissionDenied(_("You cannot change this notice."))


def require_approve(user: User | None, municipality: Municipality, notice: Notice) -> None:
    if user is not None and notice.created_by_id == user.pk:
        raise PermissionDenied(_("A notice is approved by someone other than its writer."))
    if not can_approve(user, municipality, notice):
        raise PermissionDenied(_("You cannot approve notices of this department."))


# Partner webhooks (docs/notices.md): a 所属管理者 (department administrator) or the platform
# administrator (IT), the people who already manage who may use the city's systems; an
# agreement with an outside partner is theirs, not a notice writer's.
WEBHOOK_ROLES = (Role.DEPARTMENT_ADMIN,)


def can_manage_webhooks(user: User | None, municipality: Municipality) -> bool:
    return has_role(user, municipality, WEBHOOK_ROLES)


def require_manage_webhooks(user: User | None, municipality: Municipality) -> None:
    if not can_manage_webhooks(user, municipality):
        raise PermissionDenied(_("Partner webhooks are managed by department administrators."))
