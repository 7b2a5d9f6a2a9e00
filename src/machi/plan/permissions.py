"""Who may do what in the PDCA cycle (第4章 推進体制).

Governance acts are personal: the platform administrator does not pass the DXリーダー's
review or the committee's approval (``admin_passes=False``).
"""

from __future__ import annotations

from machi.core.models import Municipality, Role, User
from machi.core.permissions import has_role, is_staff_of
from machi.plan.models import KPI, Initiative

PREPARE_ROLES = [Role.CLERK, Role.DX_LEADER, Role.DEPARTMENT_ADMIN]
COMMITTEE_ROLES = [Role.DX_COMMITTEE, Role.DX_COMMITTEE_CHAIR]
OODA_ROLES = [*COMMITTEE_ROLES, Role.DIGITAL_MASTER]


def can_read_office(user: User | None, municipality: Municipality) -> bool:
    """Every member of staff, including デジタルアドバイザー委員, reads the whole plan."""
    return is_staff_of(user, municipality)


def can_prepare(user: User | None, initiative: Initiative) -> bool:
    """The owner department writes the self-assessment (担当・DXリーダー・所属長)."""
    return has_role(
        user,
        initiative.department.municipality,
        PREPARE_ROLES,
        department=initiative.department,
        admin_passes=False,
    )


def can_review(user: User | None, initiative: Initiative) -> bool:
    """The DXリーダー of the owner department confirms before the committee sees it."""
    return has_role(
        user,
        initiative.department.municipality,
        [Role.DX_LEADER],
        department=initiative.department,
        admin_passes=False,
    )


def is_committee_member(user: User | None, municipality: Municipality) -> bool:
    return has_role(user, municipality, COMMITTEE_ROLES, admin_passes=False)


def is_committee_chair(user: User | None, municipality: Municipality) -> bool:
    return has_role(user, municipality, [Role.DX_COMMITTEE_CHAIR], admin_passes=False)


def can_enter_actuals(user: User | None, kpi: KPI, municipality: Municipality) -> bool:
    """The KPI's owner department, or a デジタルマスター for KPIs without one."""
    owner = kpi.owner_department
    if owner is not None and has_role(user, municipality, PREPARE_ROLES, department=owner):
        return True
    return has_role(user, municipality, [Role.DIGITAL_MASTER])


def can_record_ooda(user: User | None, municipality: Municipality) -> bool:
    return has_role(user, municipality, OODA_ROLES)
