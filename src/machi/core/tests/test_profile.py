"""A resident's own details (ワンスオンリー): they see and change them on マイページ."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from machi.core.models import AuditEntry, ResidentProfile, User
from machi.core.services.residents import resident_profile_update

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_resident_saves_details_typed_in_any_common_format(resident: User) -> None:
    client = _client(resident)
    assert client.get("/mypage/profile/").status_code == 200
    response = client.post(
        "/mypage/profile/",
        {
            "postal_code": "〒５１９－０１９５",
            "address": "三重県亀山市本丸町577",
            "phone": "０５９５（８２）１１１１",
            "birthdate": "平成2年4月1日",
        },
    )
    assert response.status_code == 302
    profile = ResidentProfile.objects.get(user=resident)
    assert profile.postal_code == "5190195"
    assert profile.phone == "0595821111"
    assert profile.birthdate == dt.date(1990, 4, 1)
    page = client.get("/mypage/").content.decode()
    assert "三重県亀山市本丸町577" in page
    assert (
        AuditEntry.objects.filter(action="resident.profile_updated", actor_id=resident.pk).count()
        == 1
    )


def test_bad_details_are_refused_with_the_field_named(resident: User) -> None:
    client = _client(resident)
    response = client.post("/mypage/profile/", {"postal_code": "519-01", "phone": "12"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_postal_code"' in html
    assert 'href="#id_phone"' in html
    assert not ResidentProfile.objects.filter(user=resident, postal_code="51901").exists()


def test_a_stored_number_that_no_longer_passes_is_shown_as_stored(resident: User) -> None:
    """Numbers were checked by length alone before phonenumbers: 021… was accepted then."""
    ResidentProfile.objects.create(user=resident, phone="0211234567")
    page = _client(resident).get("/mypage/profile/")
    assert page.status_code == 200
    assert 'value="0211234567"' in page.content.decode()


def test_unchanged_details_write_nothing(resident: User) -> None:
    resident_profile_update(user=resident, changes={"address": "三重県亀山市本丸町577"})
    resident_profile_update(user=resident, changes={"address": "三重県亀山市本丸町577"})
    assert AuditEntry.objects.filter(action="resident.profile_updated").count() == 1


def test_only_residents_keep_a_profile(clerk: User) -> None:
    with pytest.raises(PermissionDenied):
        resident_profile_update(user=clerk, changes={"address": "x"})
    assert _client(clerk).get("/mypage/profile/").status_code == 403
    with pytest.raises(ValidationError):
        resident_profile_update(user=User(kind="resident"), changes={"my_number": "1"})
