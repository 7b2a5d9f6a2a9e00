"""Role checks used by services (and by views only to decide what to show).

The one walk over the department tree is here: a role held in a 部 counts in every 課 under
it, as far down as :data:`_MAX_DEPTH`. The apps' permission modules name their roles and
call these functions.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from machi.core.models import Department, Municipality, Role, StaffRole, User, UserKind

# Who looks after the inquiry assistant's FAQ: clerks and department administrators of
# any department (the questions cross departments). Here, not in the assistant, so the
# back-office home can offer the FAQ only to those the assistant lets in.
FAQ_ROLES = [Role.CLERK, Role.DEPARTMENT_ADMIN]


def is_staff_of(user: User | None, municipality: Municipality) -> bool:
    """An active member of staff of this municipality (not a resident, not another city)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.kind == UserKind.STAFF
        and user.municipality_id == municipality.pk
    )


def require_staff(user: User | None, municipality: Municipality) -> User:
    if not is_staff_of(user, municipality):
        raise PermissionDenied(_("This page is for staff of this municipality only."))
    assert user is not None
    return user


# How many levels of the tree a role reaches down (a guard, should the tree ever loop).
_MAX_DEPTH = 10

T = TypeVar("T")


def _up(first: T, parent_of: Callable[[T], T | None]) -> list[T]:
    chain = [first]
    while len(chain) < _MAX_DEPTH and (parent := parent_of(chain[-1])) is not None:
        chain.append(parent)
    return chain


def department_and_parents(department: Department) -> list[Department]:
    """The department and the 部 above it, nearest first: where a role counts for it."""
    return _up(department, lambda d: d.parent)


def departments_under(
    municipality: Municipality, granted: Iterable[uuid.UUID]
) -> QuerySet[Department]:
    """The departments for which a role held in one of ``granted`` counts: those, and the
    課 under them (the inverse of :func:`department_and_parents`)."""
    departments = Department.objects.filter(municipality=municipality)
    wanted = set(granted)
    parents = dict(departments.values_list("pk", "parent_id"))
    return departments.filter(
        pk__in=[pk for pk in parents if wanted.intersection(_up(pk, parents.get))]
    )


def has_role(
    user: User | None,
    municipality: Municipality,
    roles: Iterable[str],
    *,
    department: Department | None = None,
    admin_passes: bool = True,
) -> bool:
    """Whether the user holds one of ``roles`` (in ``department`` or a parent 部 of it).

    A platform administrator of the municipality passes every check, unless
    ``admin_passes`` is False: governance acts (a committee's approval, a DXリーダー's
    review) belong to the people named for them, not to the IT administrator.
    """
    if not is_staff_of(user, municipality):
        return False
    held = StaffRole.objects.filter(user=user, municipality=municipality)
    if admin_passes and held.filter(role=Role.PLATFORM_ADMIN).exists():
        return True
    held = held.filter(role__in=list(roles))
    if department is not None:
        held = held.filter(department__in=department_and_parents(department))
    return held.exists()


def departments_with_role(
    user: User | None,
    municipality: Municipality,
    roles: Iterable[str],
    *,
    admin_passes: bool = True,
) -> QuerySet[Department]:
    """The departments ``d`` for which ``has_role(user, municipality, roles, department=d,
    admin_passes=admin_passes)`` holds: where the user holds one of ``roles``, and the 課
    under such a 部; every department for a platform administrator, unless ``admin_passes``
    is False."""
    departments = Department.objects.filter(municipality=municipality)
    if not is_staff_of(user, municipality):
        return departments.none()
    held = StaffRole.objects.filter(user=user, municipality=municipality)
    if admin_passes and held.filter(role=Role.PLATFORM_ADMIN).exists():
        return departments
    granted = held.filter(role__in=list(roles), department__isnull=False).values_list(
        "department_id", flat=True
    )
    return departments_under(municipality, granted)


def require_role(
    user: User | None,
    municipality: Municipality,
    roles: Iterable[str],
    *,
    department: Department | None = None,
    admin_passes: bool = True,
) -> User:
    if not has_role(user, municipality, roles, department=department, admin_passes=admin_passes):
        raise PermissionDenied(_("You do not have the role needed for this action."))
    assert user is not None
    return user
