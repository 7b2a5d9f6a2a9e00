"""A password reset mails a link to the account's own municipality (issue 14, item 15).

Two tenants on two host names share one deployment. A resident of 亀山市 who asks for a
reset on 鈴鹿市's host gets a link to 亀山市's portal; the page answers exactly as it does
for an unknown address, so it never tells who has an account where.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from machi.core.models import Municipality, User
from machi.testing.factories import ResidentFactory
from machi.testing.fixtures import make_municipality
from machi.testing.smtp import Mailbox

KAMEYAMA = "kameyama.example.jp"
SUZUKA = "suzuka.example.jp"
NEW_PASSWORD = "new-plum-blossom-2027"


@pytest.fixture
def kameyama(db: Any, settings: Any) -> Municipality:
    settings.ALLOWED_HOSTS = [".example.jp"]
    return make_municipality(hosts=[KAMEYAMA])


@pytest.fixture
def suzuka(db: Any) -> Municipality:
    return make_municipality(
        code="242071", name="鈴鹿市", name_kana="スズカシ", name_en="Suzuka City", hosts=[SUZUKA]
    )


def _resident(municipality: Municipality, email: str) -> User:
    return ResidentFactory(
        municipality=municipality,
        email=email,
        full_name="",
        full_name_kana="",
        email_verified=True,
    )


def _request_reset(email: str, host: str) -> tuple[int, str, str]:
    """What the browser sees: the status, where it is sent, and the page it lands on."""
    client = Client(HTTP_HOST=host)
    response = client.post("/accounts/password/reset/", {"email": email})
    landing = client.get(response["Location"]) if response.status_code == 302 else response
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", landing.content.decode())
    return response.status_code, response.get("Location", ""), page


def _links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s/]+/accounts/password/reset/key/\S+/", text)


@pytest.mark.django_db(transaction=True)  # mails leave when the change commits (ADR 0019)
def test_reset_on_another_host_mails_the_residents_own_portal(
    kameyama: Municipality, suzuka: Municipality, smtp_server: Mailbox
) -> None:
    _resident(kameyama, "hanako@example.jp")
    _request_reset("hanako@example.jp", SUZUKA)

    [mail] = smtp_server.to("hanako@example.jp")
    body = mail.get_content()
    [link] = _links(body)
    assert link.startswith(f"http://{KAMEYAMA}/")
    assert SUZUKA not in body
    assert SUZUKA not in str(mail["Subject"])

    # The link works on the resident's own portal: new password, then sign in there.
    client = Client(HTTP_HOST=KAMEYAMA)
    form = client.get(link.removeprefix(f"http://{KAMEYAMA}"), follow=True)
    assert form.status_code == 200
    form_url = form.redirect_chain[-1][0]
    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    signed_in = client.post(
        "/accounts/login/", {"login": "hanako@example.jp", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302


@pytest.mark.django_db(transaction=True)  # mails leave when the change commits (ADR 0019)
def test_reset_on_the_residents_own_host_keeps_that_host(
    kameyama: Municipality, suzuka: Municipality, smtp_server: Mailbox
) -> None:
    _resident(suzuka, "jiro@example.jp")
    _request_reset("jiro@example.jp", SUZUKA)
    [mail] = smtp_server.to("jiro@example.jp")
    [link] = _links(mail.get_content())
    assert link.startswith(f"http://{SUZUKA}/")


def test_no_portal_for_the_residents_municipality_means_no_mail(
    kameyama: Municipality, suzuka: Municipality, smtp_server: Mailbox
) -> None:
    # A municipality whose portal has no host name of its own (and is not the one served
    # here): there is no page to send the resident to, so nothing is sent.
    hostless = make_municipality(code="242144", name="いなべ市", name_kana="イナベシ", hosts=[])
    _resident(hostless, "saburo@example.jp")
    _request_reset("saburo@example.jp", SUZUKA)
    assert smtp_server.to("saburo@example.jp") == []


def test_the_page_answers_the_same_for_every_address(
    kameyama: Municipality, suzuka: Municipality, smtp_server: Mailbox
) -> None:
    hostless = make_municipality(code="242144", name="いなべ市", name_kana="イナベシ", hosts=[])
    _resident(kameyama, "hanako@example.jp")
    _resident(suzuka, "jiro@example.jp")
    _resident(hostless, "saburo@example.jp")
    answers = {
        email: _request_reset(email, SUZUKA)
        for email in (
            "hanako@example.jp",  # resident of the other municipality
            "jiro@example.jp",  # resident of this one
            "saburo@example.jp",  # resident of a municipality with no portal host
            "nobody@example.jp",  # no account anywhere
        )
    }
    first = answers["nobody@example.jp"]
    assert first[0] == 302
    assert all(answer == first for answer in answers.values())
