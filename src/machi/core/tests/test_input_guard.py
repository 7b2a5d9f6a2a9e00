"""NUL in an address or a search (PostgreSQL refuses it in text) is a 400 that says what to
do, in the site's look, never a 500; NUL in a form is removed before the view sees it, so
the person's form is shown again or saved with a note that it was removed."""

from __future__ import annotations

import pytest
from django.test import Client

from machi.core.models import Municipality, User

pytestmark = pytest.mark.django_db


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("query", ["%00", "%E8%8A%B1%00%E5%AD%90", "a&x%00=1"])
def test_nul_in_the_resident_search_is_a_400_page(clerk: User, query: str) -> None:
    response = _client_for(clerk).get(f"/staff/residents/?q={query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "NUL" in html and "制御文字" in html
    assert '<main id="main"' in html and "亀山市" in html  # the site's own page


def test_the_page_is_in_english_when_english_is_chosen(clerk: User) -> None:
    client = _client_for(clerk)
    client.cookies["django_language"] = "en"
    html = client.get("/staff/residents/?q=%00").content.decode()
    assert "The address or search contains a NUL character" in html


def test_nul_in_the_address_is_a_400(city: Municipality) -> None:
    assert Client().get("/opendata/dataset/hinanjo%00/").status_code == 400


def test_nul_in_a_profile_form_is_removed_and_the_details_are_saved(resident: User) -> None:
    from machi.core.selectors import resident_profile_of

    client = _client_for(resident)
    response = client.post(
        "/mypage/profile/",
        {"postal_code": "519-0195", "address": "三重県亀山市本丸町\x00577", "phone": ""},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "NUL" in html and "取り除きました" in html
    profile = resident_profile_of(user=resident)
    assert profile is not None and profile.address == "三重県亀山市本丸町577"
