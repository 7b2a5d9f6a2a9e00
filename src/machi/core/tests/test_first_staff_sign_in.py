"""A new member of staff's first sign-in (issue 15, item 7): password once, straight to
TOTP enrolment, then the recovery codes in the site's own page with a way on."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import hotp_value, yield_hotp_counters_from_time
from django.test import Client

from machi.core.models import Department, Municipality, User
from machi.testing.fixtures import PASSWORD, enrol_totp, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(city: Municipality, department: Department) -> User:
    user = make_staff(
        city, "new@kameyama.example.jp", department=department, with_totp=False, email_verified=True
    )
    return user


def _sign_in(user: User) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def _current_code(page: str) -> str:
    """The code an authenticator app would show for the secret on the enrolment page."""
    match = re.search(r'alt="([A-Z2-7]{16,})"', page)
    assert match, "no TOTP secret on the page"
    counter = next(iter(yield_hotp_counters_from_time()))
    return f"{hotp_value(match.group(1), counter):06d}"


def test_signed_in_staff_go_straight_to_totp_enrolment(newcomer: User) -> None:
    client = _sign_in(newcomer)
    response = client.get("/staff/", follow=True)
    assert [url for url, _status in response.redirect_chain] == ["/accounts/2fa/totp/activate/"]
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_enrolment_leads_to_styled_recovery_codes_and_on_to_the_back_office(
    newcomer: User,
) -> None:
    client = _sign_in(newcomer)
    page = client.get("/accounts/2fa/totp/activate/").content.decode()
    done = client.post("/accounts/2fa/totp/activate/", {"code": _current_code(page)}, follow=True)
    assert done.redirect_chain[-1][0] == "/accounts/2fa/recovery-codes/"
    codes = done.content.decode()
    assert 'class="site-header"' in codes  # the site's shell, not allauth's bare page
    assert 'id="recovery-codes"' in codes
    assert len(re.findall(r"<li><code>", codes)) == 10
    assert 'href="/staff/" id="continue"' in codes
    assert "業務画面へ進む" in codes
    assert client.get("/staff/").status_code == 200


def test_changing_an_enrolled_authenticator_still_asks_for_the_password(
    city: Municipality, department: Department
) -> None:
    member = make_staff(
        city,
        "kakari@kameyama.example.jp",
        department=department,
        with_totp=False,
        email_verified=True,
    )
    secret = enrol_totp(member)
    client = Client()
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    counter = next(iter(yield_hotp_counters_from_time()))
    client.post("/accounts/2fa/authenticate/", {"code": f"{hotp_value(secret, counter):06d}"})
    response = client.get("/accounts/2fa/recovery-codes/generate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")


def test_a_later_session_without_a_fresh_sign_in_is_asked_again(
    newcomer: User, settings: Any
) -> None:
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    client = _sign_in(newcomer)
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")


def test_the_recovery_codes_page_is_the_sites_own_with_a_way_on(
    city: Municipality, department: Department
) -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    member = make_staff(
        city,
        "kakari@kameyama.example.jp",
        department=department,
        with_totp=False,
        email_verified=True,
    )
    secret = enrol_totp(member)
    RecoveryCodes.activate(member)
    client = Client()
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    counter = next(iter(yield_hotp_counters_from_time()))
    client.post("/accounts/2fa/authenticate/", {"code": f"{hotp_value(secret, counter):06d}"})
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.get("/accounts/2fa/recovery-codes/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="site-header"' in page
    assert "<h1>リカバリーコード</h1>" in page
    assert len(re.findall(r"<li><code>", page)) == 10
    assert 'href="/accounts/2fa/recovery-codes/download/"' in page
    assert 'href="/staff/" id="continue"' in page
