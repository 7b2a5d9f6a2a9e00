"""The Django admin: TOTP first, one municipality per platform administrator, audited."""

from __future__ import annotations

import pytest
from django.test import Client

from machi.core.models import AuditEntry, Department, Municipality, Role, StaffRole, User
from machi.core.services.accounts import staff_role_revoke
from machi.testing.fixtures import make_staff


@pytest.fixture
def admin_user(city: Municipality) -> User:
    return make_staff(city, "admin@kameyama.example.jp", role=Role.PLATFORM_ADMIN)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_platform_admin_is_not_a_deployment_superuser(admin_user: User) -> None:
    assert admin_user.is_staff
    assert not admin_user.is_superuser


def test_admin_lists_only_own_municipality(
    admin_user: User, resident: User, other_city: Municipality
) -> None:
    outsider = make_staff(other_city, "clerk@suzuka.example.jp")
    client = _client(admin_user)
    listing = client.get("/admin/core/user/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert resident.email in page
    assert outsider.email not in page
    assert client.get(f"/admin/core/user/{outsider.pk}/change/").status_code == 302
    assert "鈴鹿市" not in client.get("/admin/core/municipality/").content.decode()


def test_admin_without_totp_is_sent_to_enrol(city: Municipality) -> None:
    admin = make_staff(
        city, "new-admin@kameyama.example.jp", role=Role.PLATFORM_ADMIN, with_totp=False
    )
    response = _client(admin).get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/")
    assert (
        "2fa" in response.redirect_chain[-1][0]
        or "reauthenticate" in response.redirect_chain[-1][0]
    )


def test_clerk_cannot_use_the_admin(clerk: User) -> None:
    response = _client(clerk).get("/admin/", follow=True)
    assert response.status_code == 403


def test_account_edit_in_admin_is_audited(admin_user: User, resident: User) -> None:
    response = _client(admin_user).post(
        f"/admin/core/user/{resident.pk}/change/",
        {"full_name": "亀山 次郎", "full_name_kana": "ｶﾒﾔﾏ ｼﾞﾛｳ", "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    resident.refresh_from_db()
    assert resident.full_name == "亀山 次郎"
    assert resident.full_name_kana == "カメヤマ\u3000ジロウ"
    entry = AuditEntry.objects.get(action="account.updated")
    assert entry.actor_id == admin_user.pk
    assert entry.data == {"fields": ["full_name", "full_name_kana"]}


def test_kana_typed_in_hiragana_in_admin_is_kept_in_katakana(
    admin_user: User, resident: User
) -> None:
    response = _client(admin_user).post(
        f"/admin/core/user/{resident.pk}/change/",
        {"full_name": resident.full_name, "full_name_kana": "かめやま じろう", "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    resident.refresh_from_db()
    assert resident.full_name_kana == "カメヤマ\u3000ジロウ"


def test_role_granted_in_admin_goes_through_the_service(
    admin_user: User, clerk: User, department: Department
) -> None:
    response = _client(admin_user).post(
        "/admin/core/staffrole/add/",
        {"user": clerk.pk, "department": department.pk, "role": Role.APPROVER, "rank": 2},
    )
    assert response.status_code == 302
    assert StaffRole.objects.filter(user=clerk, role=Role.APPROVER, rank=2).exists()
    assert AuditEntry.objects.filter(action="staff_role.granted", actor_id=admin_user.pk).exists()


def test_revoking_platform_admin_removes_admin_access(city: Municipality, admin_user: User) -> None:
    other_admin = make_staff(city, "admin2@kameyama.example.jp", role=Role.PLATFORM_ADMIN)
    role = StaffRole.objects.get(user=other_admin, role=Role.PLATFORM_ADMIN)
    staff_role_revoke(actor=admin_user, staff_role=role)
    other_admin.refresh_from_db()
    assert not other_admin.is_staff
    assert _client(other_admin).get("/admin/", follow=True).status_code == 403


def test_opening_a_resident_in_the_admin_is_audited(admin_user: User, resident: User) -> None:
    response = _client(admin_user).get(f"/admin/core/user/{resident.pk}/change/")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="resident.viewed")
    assert entry.actor_id == admin_user.pk
    assert entry.data == {"purpose": "admin"}


def test_editing_a_department_in_admin_keeps_one_row(
    admin_user: User, department: Department
) -> None:
    url = f"/admin/core/department/{department.pk}/change/"
    response = _client(admin_user).post(
        url, {"code": "999", "name": "市民窓口課", "name_en": "", "parent": department.parent_id}
    )
    assert response.status_code == 302
    department.refresh_from_db()
    assert (department.code, department.name) == ("210", "市民窓口課")
    assert not Department.objects.filter(code="999").exists()
