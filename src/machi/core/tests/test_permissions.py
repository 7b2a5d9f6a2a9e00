"""Roles are checked in services, whatever screen calls them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from machi.core.models import ApproverRank, Department, Municipality, Role, StaffRole, User
from machi.core.services.accounts import staff_create, staff_role_grant, staff_role_revoke
from machi.core.services.residents import resident_record_view
from machi.core.services.tenancy import department_upsert
from machi.testing.fixtures import make_staff


@pytest.fixture
def platform_admin(city: Municipality) -> User:
    return make_staff(city, "admin@kameyama.example.jp", role=Role.PLATFORM_ADMIN)


@pytest.fixture
def department_admin(city: Municipality, department: Department) -> User:
    return make_staff(
        city, "head@kameyama.example.jp", role=Role.DEPARTMENT_ADMIN, department=department
    )


def test_platform_admin_creates_staff_and_grants_any_role(
    city: Municipality, platform_admin: User, department: Department
) -> None:
    new = staff_create(
        actor=platform_admin, municipality=city, email="new@kameyama.example.jp", full_name="新人"
    )
    staff_role_grant(
        actor=platform_admin,
        user=new,
        role=Role.APPROVER,
        department=department,
        rank=ApproverRank.SECTION_MANAGER,
    )
    staff_role_grant(actor=platform_admin, user=new, role=Role.DX_COMMITTEE)
    assert set(StaffRole.objects.filter(user=new).values_list("role", flat=True)) == {
        "approver",
        "dx_committee",
    }


def test_department_admin_grants_only_in_own_department(
    city: Municipality, department_admin: User, department: Department, clerk: User
) -> None:
    other = department_upsert(municipality=city, code="310", name="子ども未来課")
    staff_role_grant(actor=department_admin, user=clerk, role=Role.DX_LEADER, department=department)
    with pytest.raises(PermissionDenied):
        staff_role_grant(actor=department_admin, user=clerk, role=Role.CLERK, department=other)
    with pytest.raises(PermissionDenied):
        staff_role_grant(actor=department_admin, user=clerk, role=Role.PLATFORM_ADMIN)


def test_clerk_cannot_grant_roles(clerk: User, department: Department) -> None:
    with pytest.raises(PermissionDenied):
        staff_role_grant(actor=clerk, user=clerk, role=Role.APPROVER, department=department, rank=2)


def test_resident_cannot_act_as_staff(resident: User, clerk: User, city: Municipality) -> None:
    with pytest.raises(PermissionDenied):
        staff_create(actor=resident, municipality=city, email="x@example.jp", full_name="x")
    with pytest.raises(PermissionDenied):
        resident_record_view(staff=resident, municipality=city, resident_id=str(resident.pk))


def test_approver_needs_a_rank(platform_admin: User, clerk: User, department: Department) -> None:
    with pytest.raises(ValidationError):
        staff_role_grant(
            actor=platform_admin, user=clerk, role=Role.APPROVER, department=department
        )


def test_roles_go_to_staff_only(platform_admin: User, resident: User) -> None:
    with pytest.raises(ValidationError):
        staff_role_grant(actor=platform_admin, user=resident, role=Role.CLERK)


def test_department_admin_revokes_in_own_department_only(
    city: Municipality, department_admin: User, clerk: User, platform_admin: User
) -> None:
    role = StaffRole.objects.get(user=clerk, role=Role.CLERK)
    staff_role_revoke(actor=department_admin, staff_role=role)
    assert not StaffRole.objects.filter(pk=role.pk).exists()
    admin_role = StaffRole.objects.get(user=platform_admin, role=Role.PLATFORM_ADMIN)
    with pytest.raises(PermissionDenied):
        staff_role_revoke(actor=department_admin, staff_role=admin_role)


def test_staff_of_another_municipality_has_no_power_here(
    city: Municipality, other_city: Municipality, department: Department, resident: User
) -> None:
    outsider = make_staff(other_city, "admin@suzuka.example.jp", role=Role.PLATFORM_ADMIN)
    with pytest.raises(PermissionDenied):
        staff_create(actor=outsider, municipality=city, email="y@example.jp", full_name="y")
    with pytest.raises(PermissionDenied):
        resident_record_view(staff=outsider, municipality=city, resident_id=str(resident.pk))
    with pytest.raises(PermissionDenied):
        department_upsert(municipality=city, code="999", name="x", actor=outsider)


def test_departments_with_role_are_those_has_role_accepts(
    city: Municipality, platform_admin: User, resident: User
) -> None:
    from machi.core.permissions import departments_with_role, has_role

    bu = department_upsert(municipality=city, code="300", name="健康福祉部")
    ka = department_upsert(municipality=city, code="310", name="子ども未来課", parent=bu)
    other = department_upsert(municipality=city, code="620", name="環境課")
    clerk = make_staff(city, "kodomo@example.jp", department=ka)
    head = make_staff(city, "bucho@example.jp", department=bu, role=Role.DEPARTMENT_ADMIN)
    roles = (Role.CLERK, Role.DEPARTMENT_ADMIN)
    expected = {clerk: {ka}, head: {bu, ka}, resident: set()}
    for user, wanted in expected.items():
        assert set(departments_with_role(user, city, roles)) == wanted
        for department in (bu, ka, other):
            assert has_role(user, city, roles, department=department) == (department in wanted)
    assert other in set(departments_with_role(platform_admin, city, roles))
