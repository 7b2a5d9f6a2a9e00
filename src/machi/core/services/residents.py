"""Staff access to a resident's record: every look is written to the audit log."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404

from machi.core.models import Municipality, Role, User, UserKind
from machi.core.permissions import require_role
from machi.core.services.audit import audit_record

READ_ROLES = [Role.CLERK, Role.APPROVER, Role.DEPARTMENT_ADMIN]


@transaction.atomic
def resident_record_view(
    *, staff: User, municipality: Municipality, resident_id: str, purpose: str = ""
) -> User:
    """Return a resident of this municipality for a staff screen, logging the read.

    Deployment superusers (operators, in the Django admin) are let through and logged too.
    """
    if not staff.is_superuser:
        require_role(staff, municipality, READ_ROLES)
    resident = User.objects.filter(
        pk=resident_id, kind=UserKind.RESIDENT, municipality=municipality
    ).first()
    if resident is None:
        raise Http404
    audit_record(
        action="resident.viewed",
        actor=staff,
        municipality=municipality,
        target=resident,
        data={"purpose": purpose} if purpose else {},
    )
    return resident
