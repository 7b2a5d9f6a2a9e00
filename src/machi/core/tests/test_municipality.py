"""Tenants: the code check digit, host resolution and the fallback tenant."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from machi.core.models import Municipality
from machi.core.selectors import municipality_for_host
from machi.testing.fixtures import make_municipality


@pytest.mark.django_db
def test_code_with_wrong_check_digit_is_rejected() -> None:
    with pytest.raises(ValidationError) as raised:
        make_municipality(code="242100")
    assert "code" in raised.value.message_dict
    assert not Municipality.objects.exists()


@pytest.mark.django_db
def test_code_with_right_check_digit_is_accepted() -> None:
    city = make_municipality(code="242101")
    assert Municipality.objects.get(code="242101") == city


@pytest.mark.django_db
def test_full_width_or_short_codes_are_rejected() -> None:
    for bad in ["24210", "2421011", "ABCDEF"]:
        with pytest.raises(ValidationError):
            make_municipality(code=bad)


def test_host_selects_its_municipality(city: Municipality, other_city: Municipality) -> None:
    assert municipality_for_host("suzuka.example.jp") == other_city
    assert municipality_for_host("SUZUKA.example.jp:443") == other_city
    assert municipality_for_host("localhost:8000") == city


def test_unknown_host_falls_back_to_configured_tenant(
    city: Municipality, other_city: Municipality, settings
) -> None:
    settings.MACHI_DEFAULT_MUNICIPALITY_CODE = "242071"
    assert municipality_for_host("unknown.example.org") == other_city


def test_unknown_host_falls_back_to_the_only_tenant(city: Municipality, settings) -> None:
    settings.MACHI_DEFAULT_MUNICIPALITY_CODE = ""
    assert municipality_for_host("unknown.example.org") == city


def test_portal_shows_the_tenant_of_the_host(
    city: Municipality, other_city: Municipality, settings
) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    kameyama = Client().get("/", HTTP_HOST="localhost")
    suzuka = Client().get("/", HTTP_HOST="suzuka.example.jp")
    assert "亀山市" in kameyama.content.decode()
    assert "鈴鹿市" in suzuka.content.decode()
    assert "亀山市" not in suzuka.content.decode()


@pytest.mark.django_db
def test_without_any_municipality_the_portal_says_so() -> None:
    response = Client().get("/")
    assert response.status_code == 503
    assert "make demo" in response.content.decode()


@pytest.mark.django_db
def test_without_any_municipality_the_api_says_so_in_json() -> None:
    response = Client().get("/api/v1/procedures/")
    assert response.status_code == 503
    assert response.json()["code"] == "no_municipality"
    assert "自治体が設定されていません" in response.json()["detail"]
