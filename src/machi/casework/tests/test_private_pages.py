"""Pages with personal data tell browsers and proxies not to keep them (Cache-Control),
so the next person at a shared computer cannot bring them back; public pages stay
cacheable."""

from __future__ import annotations

import pytest
from django.test import Client

from machi.casework.models import Case
from machi.core.models import Municipality
from machi.testing.applications import (
    Catalog,
    fill_gomi,
    make_resident,
    signed_in,
    start,
    submit,
)
from machi.testing.fixtures import make_staff

pytestmark = pytest.mark.django_db


def _not_stored(response: object) -> bool:
    cache_control = response["Cache-Control"]  # type: ignore[index]
    return "no-store" in cache_control and "private" in cache_control


def test_resident_pages_are_never_stored(catalog: Catalog) -> None:
    client = signed_in(make_resident(catalog.city))
    base = start(client, "gomi")
    fill_gomi(client, base)
    done = submit(client, base)["Location"]
    application = done.removesuffix("done/")
    for path in ("/mypage/", "/applications/", application, done):
        response = client.get(path)
        assert response.status_code == 200, path
        assert _not_stored(response), (path, response.get("Cache-Control"))


def test_an_application_opened_without_signing_in_is_never_stored(catalog: Catalog) -> None:
    client = Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    application = submit(client, base)["Location"].removesuffix("done/")
    response = client.get(application)
    assert response.status_code == 200
    assert _not_stored(response)


def test_staff_pages_are_never_stored(catalog: Catalog, city: Municipality) -> None:
    applicant = Client()
    base = start(applicant, "gomi")
    fill_gomi(applicant, base)
    submit(applicant, base)
    case = Case.objects.get()
    client = signed_in(make_staff(city, "kankyo@example.jp", department=catalog.kankyo))
    for path in (f"/staff/cases/{case.pk}/", "/staff/cases/", "/staff/residents/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert _not_stored(response), (path, response.get("Cache-Control"))


def test_public_pages_stay_cacheable_for_visitors(catalog: Catalog) -> None:
    for path in ("/", "/procedures/", "/procedures/gomi/"):
        response = Client().get(path)
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", ""), path
