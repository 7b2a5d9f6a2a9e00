"""Who looks after the FAQ: clerks and department administrators of any department (the
questions cross departments), and platform administrators."""

from __future__ import annotations

from machi.core.models import Municipality, Role, User
from machi.core.permissions import has_role

FAQ_ROLES = [Role.CLERK, Role.DEPARTMENT_ADMIN]


def can_manage_faq(user: User | None, municipality: Municipality) -> bool:
    return has_role(user, municipality, FAQ_ROLES)
