"""Who looks after the FAQ: clerks and department administrators of any department (the
questions cross departments), and platform administrators."""

from __future__ import annotations

from machi.core.models import Municipality, User
from machi.core.permissions import FAQ_ROLES, has_role


def can_manage_faq(user: User | None, municipality: Municipality) -> bool:
    return has_role(user, municipality, FAQ_ROLES)
