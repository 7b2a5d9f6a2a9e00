"""Signing up and in with e-mail and password; throttling; Argon2."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client

from machi.core.models import AuditEntry, Municipality, User
from machi.testing.factories import ResidentFactory
from machi.testing.fixtures import PASSWORD


@pytest.mark.django_db(transaction=True)  # mails leave when the change commits (ADR 0019)
def test_signup_creates_a_resident_of_this_municipality(
    city: Municipality, smtp_server, production_password_hashing: None
) -> None:
    client = Client()
    response = client.post(
        "/accounts/signup/",
        {"email": "hanako@example.jp", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email="hanako@example.jp")
    assert user.kind == "resident"
    assert user.municipality == city
    assert identify_hasher(user.password).algorithm == "argon2"
    assert AuditEntry.objects.filter(action="resident.registered", target_id=str(user.pk)).exists()
    # The confirmation mail went out through the SMTP server.
    [mail] = smtp_server.to("hanako@example.jp")
    assert re.search(r"/accounts/confirm-email/\S+", mail.get_content())


def test_signup_errors_are_listed_in_a_summary(city: Municipality) -> None:
    response = Client().post(
        "/accounts/signup/", {"email": "not-an-address", "password1": "a", "password2": "b"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert 'href="#id_email"' in page
    assert not User.objects.filter(email="not-an-address").exists()


def _verified_resident(city: Municipality, email: str = "ichiro@example.jp") -> User:
    return ResidentFactory(
        municipality=city, email=email, full_name="", full_name_kana="", email_verified=True
    )


def test_resident_signs_in_with_email_and_password(city: Municipality) -> None:
    _verified_resident(city)
    client = Client()
    response = client.post("/accounts/login/", {"login": "ichiro@example.jp", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/mypage/").status_code == 200


def test_five_wrong_passwords_throttle_the_account(city: Municipality) -> None:
    _verified_resident(city)
    client = Client()
    for _ in range(5):
        wrong = client.post("/accounts/login/", {"login": "ichiro@example.jp", "password": "nope"})
        assert wrong.status_code == 200
        assert (
            "正しくありません" in wrong.content.decode() or "not correct" in wrong.content.decode()
        )
    blocked = client.post("/accounts/login/", {"login": "ichiro@example.jp", "password": PASSWORD})
    page = blocked.content.decode()
    assert blocked.status_code == 200
    assert "ログインを一時的に止めています" in page or "signing in from it is paused" in page
    assert "_auth_user_id" not in client.session


def test_login_form_requires_csrf(city: Municipality) -> None:
    _verified_resident(city)
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "ichiro@example.jp", "password": PASSWORD})
    assert response.status_code == 403


def test_security_headers_are_sent(city: Municipality) -> None:
    response = Client().get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
