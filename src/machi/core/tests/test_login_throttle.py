"""Failed sign-ins are throttled per account and client address (issue 14, item 14).

Every request comes through one trusted proxy (nginx) that appends the client's address
to ``X-Forwarded-For``; the tests send that header the way nginx passes it on.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.http import HttpResponse as Response
from django.test import Client

from machi.core.models import Municipality, User
from machi.testing.factories import ResidentFactory
from machi.testing.fixtures import PASSWORD
from machi.testing.smtp import Mailbox

OWNER_EMAIL = "ichiro@example.jp"
ATTACKER_IP = "203.0.113.7"
OWNER_IP = "198.51.100.20"
NEW_PASSWORD = "new-plum-blossom-2027"


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings: Any) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def _resident(city: Municipality, email: str = OWNER_EMAIL) -> User:
    return ResidentFactory(
        municipality=city, email=email, full_name="", full_name_kana="", email_verified=True
    )


def _sign_in(client: Client, ip: str, password: str, email: str = OWNER_EMAIL) -> Response:
    return client.post(
        "/accounts/login/",
        {"login": email, "password": password},
        HTTP_X_FORWARDED_FOR=ip,
    )


def _is_wrong_password(response: Response) -> bool:
    page = response.content.decode()
    return response.status_code == 200 and ("正しくありません" in page or "not correct" in page)


def _is_locked(response: Response) -> bool:
    page = response.content.decode()
    return response.status_code == 200 and ("一時的に止めて" in page or "paused" in page)


def test_an_attacker_cannot_lock_the_owner_out(city: Municipality) -> None:
    _resident(city)
    attacker = Client()
    for _ in range(5):
        assert _is_wrong_password(_sign_in(attacker, ATTACKER_IP, "guess"))
    # The attacker's address is now locked for this account, even with the right password,
    # and a forged address in front of the proxy's entry does not get it out.
    assert _is_locked(_sign_in(attacker, ATTACKER_IP, PASSWORD))
    forged = attacker.post(
        "/accounts/login/",
        {"login": OWNER_EMAIL, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR=f"192.0.2.99, {ATTACKER_IP}",
    )
    assert _is_locked(forged)
    assert "_auth_user_id" not in attacker.session

    # The owner, at their own address, signs in with the right password.
    owner = Client()
    response = _sign_in(owner, OWNER_IP, PASSWORD)
    assert response.status_code == 302
    assert owner.get("/mypage/").status_code == 200


def test_the_locked_address_can_still_sign_in_to_other_accounts(city: Municipality) -> None:
    # One household or office behind one address: a lock on one account is not a lock on all.
    _resident(city)
    _resident(city, "jiro@example.jp")
    shared = Client()
    for _ in range(5):
        _sign_in(shared, ATTACKER_IP, "guess")
    assert _is_locked(_sign_in(shared, ATTACKER_IP, PASSWORD))
    other = Client()
    assert _sign_in(other, ATTACKER_IP, PASSWORD, email="jiro@example.jp").status_code == 302


def test_one_address_trying_many_accounts_is_stopped(city: Municipality) -> None:
    _resident(city)
    client = Client()
    for n in range(20):
        assert _is_wrong_password(_sign_in(client, ATTACKER_IP, "guess", email=f"u{n}@example.jp"))
    # The address has used up its failures across accounts: even a right password waits.
    assert _is_locked(_sign_in(client, ATTACKER_IP, PASSWORD))
    # Everyone else is unaffected.
    assert _sign_in(Client(), OWNER_IP, PASSWORD).status_code == 302


def test_the_locked_message_says_how_to_get_in(city: Municipality) -> None:
    _resident(city)
    client = Client()
    for _ in range(5):
        _sign_in(client, OWNER_IP, "typo")
    ja = _sign_in(client, OWNER_IP, PASSWORD).content.decode()
    assert "5分" in ja
    assert "パスワードを再設定" in ja
    assert 'href="/accounts/password/reset/"' in ja
    en = _sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), OWNER_IP, PASSWORD).content.decode()
    assert "Wait 5 minutes" in en
    assert "reset your password" in en


@pytest.mark.django_db(transaction=True)  # mails leave when the change commits (ADR 0019)
def test_the_owner_unlocks_their_address_by_email(city: Municipality, smtp_server: Mailbox) -> None:
    _resident(city)
    owner = Client()
    for _ in range(5):
        _sign_in(owner, OWNER_IP, "typo")
    assert _is_locked(_sign_in(owner, OWNER_IP, PASSWORD))

    # 「パスワードをお忘れですか?」: the reset mail goes out through the SMTP server.
    requested = owner.post(
        "/accounts/password/reset/", {"email": OWNER_EMAIL}, HTTP_X_FORWARDED_FOR=OWNER_IP
    )
    assert requested.status_code == 302
    [mail] = smtp_server.to(OWNER_EMAIL)
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.get_content())
    assert link is not None
    form = owner.get(link.group(1), HTTP_X_FORWARDED_FOR=OWNER_IP, follow=True)
    assert form.status_code == 200
    form_url = form.redirect_chain[-1][0] if form.redirect_chain else link.group(1)
    done = owner.post(
        form_url,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        HTTP_X_FORWARDED_FOR=OWNER_IP,
    )
    assert done.status_code == 302

    # Signed in at once from the same address, without waiting for the lock to expire.
    fresh = Client()
    assert _sign_in(fresh, OWNER_IP, NEW_PASSWORD).status_code == 302
    assert fresh.get("/mypage/").status_code == 200
