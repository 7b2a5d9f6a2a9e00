"""Who may handle a case: staff with a casework role in its department (or in the 部 above
it). Platform administrators pass, as everywhere in the back office."""

from __future__ import annotations

from typing import TYPE_CHECKING

from machi.core.models import Role, User
from machi.core.permissions import has_role

if TYPE_CHECKING:
    from machi.casework.models import Case

CASE_ROLES = [Role.CLERK, Role.APPROVER, Role.DEPARTMENT_ADMIN]


def can_handle(user: User | None, case: Case) -> bool:
    return has_role(user, case.municipality, CASE_ROLES, department=case.department)
