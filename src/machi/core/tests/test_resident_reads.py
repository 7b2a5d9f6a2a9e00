"""Every staff read of residents' personal data, a list or one record, is in the audit log
with its purpose: who looked, why, and how many residents the page showed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from machi.core.models import AuditEntry, Municipality, Role, User
from machi.testing.factories import ResidentFactory
from machi.testing.fixtures import make_staff


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def hanako(city: Municipality) -> User:
    return ResidentFactory(
        municipality=city, email="hanako@example.jp", full_name="亀山 花子", full_name_kana=""
    )


@pytest.fixture
def admin_user(city: Municipality) -> User:
    return make_staff(city, "admin@kameyama.example.jp", role=Role.PLATFORM_ADMIN)


def _list_reads() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="resident.list_viewed"))


def test_the_resident_list_is_audited(clerk: User, resident: User, hanako: User) -> None:
    response = _client_for(clerk).get("/staff/residents/")
    assert response.status_code == 200
    assert "hanako@example.jp" in response.content.decode()
    [entry] = _list_reads()
    assert entry.actor_id == clerk.pk
    assert entry.actor_label == clerk.email
    assert entry.municipality_id == clerk.municipality_id
    assert entry.data["purpose"] == "resident_search"
    assert entry.data["count"] == 2
    assert sorted(entry.data["residents"]) == sorted([str(resident.pk), str(hanako.pk)])
    assert entry.data["query_length"] == 0


def test_a_resident_search_is_audited_without_the_search_text(
    clerk: User, resident: User, hanako: User
) -> None:
    response = _client_for(clerk).get("/staff/residents/?q=花子")
    assert "亀山 花子" in response.content.decode()
    assert "亀山 太郎" not in response.content.decode()
    [entry] = _list_reads()
    assert entry.data == {
        "purpose": "resident_search",
        "count": 1,
        "residents": [str(hanako.pk)],
        "query_length": 2,
    }
    nothing = _client_for(clerk).get("/staff/residents/?q=存在しない")
    assert nothing.status_code == 200
    assert _list_reads()[-1].data["count"] == 0  # an empty result is a lookup too


def test_the_admin_user_list_and_its_search_are_audited(
    admin_user: User, resident: User, hanako: User
) -> None:
    client = _client_for(admin_user)
    listing = client.get("/admin/core/user/")
    assert listing.status_code == 200
    assert "hanako@example.jp" in listing.content.decode()
    [entry] = _list_reads()
    assert entry.actor_id == admin_user.pk
    assert entry.data["purpose"] == "admin_user_list"
    assert entry.data["count"] == 3  # two residents and the administrator
    assert sorted(entry.data["residents"]) == sorted([str(resident.pk), str(hanako.pk)])
    search = client.get("/admin/core/user/?q=hanako")
    assert search.status_code == 200
    assert "taro@example.jp" not in search.content.decode()
    entry = _list_reads()[-1]
    assert entry.data == {
        "purpose": "admin_user_list",
        "count": 1,
        "residents": [str(hanako.pk)],
        "query_length": 6,
    }


def test_a_superuser_listing_two_municipalities_leaves_an_entry_in_each(
    city: Municipality, other_city: Municipality, resident: User, admin_user: User
) -> None:
    suzuka = ResidentFactory(
        municipality=other_city, email="suzuka@example.jp", full_name="鈴鹿 一郎", full_name_kana=""
    )
    admin_user.is_superuser = True
    admin_user.save(update_fields=["is_superuser"])
    page = _client_for(admin_user).get("/admin/core/user/").content.decode()
    assert "suzuka@example.jp" in page and "taro@example.jp" in page
    entries = {str(e.municipality_id): e.data for e in _list_reads()}
    assert entries[str(city.pk)]["residents"] == [str(resident.pk)]
    assert entries[str(other_city.pk)]["residents"] == [str(suzuka.pk)]
    assert entries[str(other_city.pk)]["count"] == 1


def test_only_the_roles_that_read_residents_list_them(city: Municipality, resident: User) -> None:
    from machi.core.services.residents import resident_list_view

    adviser = make_staff(city, "adviser@example.jp", role=Role.DIGITAL_ADVISOR)
    with pytest.raises(PermissionDenied):
        resident_list_view(staff=adviser, municipality=city, query="", purpose="resident_search")
    assert _client_for(adviser).get("/staff/residents/?q=亀山").status_code == 403
    assert not _list_reads()
