"""Who reaches which page: residents, staff, staff without TOTP, other municipalities."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from machi.core.models import AuditEntry, Municipality, Role, User
from machi.testing.fixtures import make_staff

STAFF_PAGES = ["/staff/", "/staff/residents/"]


def _client_for(user: User, host: str = "localhost") -> Client:
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_resident_gets_403_on_staff_pages(resident: User, path: str) -> None:
    response = _client_for(resident).get(path)
    assert response.status_code == 403
    assert "職員" in response.content.decode()


def test_resident_gets_403_on_a_resident_record(resident: User) -> None:
    response = _client_for(resident).get(f"/staff/residents/{resident.pk}/")
    assert response.status_code == 403


def test_resident_cannot_open_the_django_admin(resident: User) -> None:
    response = _client_for(resident).get("/admin/", follow=True)
    assert response.status_code == 403


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(db: None, city: Municipality, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_without_totp_must_enrol_first(city: Municipality, department) -> None:
    newcomer = make_staff(city, "new@kameyama.example.jp", department=department, with_totp=False)
    response = _client_for(newcomer).get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_with_totp_reaches_the_back_office(clerk: User) -> None:
    response = _client_for(clerk).get("/staff/")
    assert response.status_code == 200
    assert "市民課" in response.content.decode()


def test_staff_of_another_municipality_sees_nothing_here(
    city: Municipality, other_city: Municipality, resident: User, settings
) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    outsider = make_staff(other_city, "clerk@suzuka.example.jp", role=Role.PLATFORM_ADMIN)
    client = _client_for(outsider, host="localhost")
    assert client.get("/staff/").status_code == 403
    assert client.get("/staff/residents/?q=亀山").status_code == 403
    assert client.get(f"/staff/residents/{resident.pk}/").status_code == 403
    # On their own host they work, and still find no 亀山市 residents.
    home = _client_for(outsider, host="suzuka.example.jp")
    assert home.get("/staff/").status_code == 200
    search = home.get("/staff/residents/?q=亀山")
    assert "亀山 太郎" not in search.content.decode()
    assert home.get(f"/staff/residents/{resident.pk}/").status_code == 404


def test_staff_reading_a_resident_record_is_audited(clerk: User, resident: User) -> None:
    client = _client_for(clerk)
    listing = client.get("/staff/residents/?q=カメヤマ")
    assert "亀山 太郎" in listing.content.decode()
    response = client.get(f"/staff/residents/{resident.pk}/")
    assert response.status_code == 200
    assert "亀山 太郎" in response.content.decode()
    entry = AuditEntry.objects.filter(action="resident.viewed").get()
    assert entry.actor_id == clerk.pk
    assert entry.target_id == str(resident.pk)


def test_admin_site_is_for_platform_admins(city: Municipality) -> None:
    admin = make_staff(city, "admin@kameyama.example.jp", role=Role.PLATFORM_ADMIN)
    response = _client_for(admin).get("/admin/core/auditentry/")
    assert response.status_code == 200
