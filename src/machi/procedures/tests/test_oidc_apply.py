"""From a procedure that needs verified identity, through デジタル認証アプリ (a real OpenID
Connect provider on loopback), back to the form with the verified values locked."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from machi.procedures.models import Draft, Submission
from machi.testing.applications import Catalog, post_step
from machi.testing.oidc_provider import back_to_site, provider_login

if TYPE_CHECKING:
    from machi.testing.oidc_provider import OIDCTestProvider

pytestmark = pytest.mark.django_db


def test_verify_with_the_identity_app_then_apply_with_verified_values(
    catalog: Catalog, oidc_provider: OIDCTestProvider
) -> None:
    client = Client()
    page = client.get("/procedures/certificate/").content.decode()
    action = re.search(r'<form method="post" action="([^"]*/accounts/oidc/[^"]+)"', page)
    assert action, "the page offers verification with the identity app"
    started = client.post(action[1].replace("&amp;", "&"))
    assert started.status_code == 302
    assert started["Location"].startswith(oidc_provider.authorization_endpoint)
    returned = back_to_site(client, provider_login(started["Location"]))
    assert returned.status_code == 302
    assert returned["Location"] == "/procedures/certificate/"  # back where the resident was

    start = client.post("/procedures/certificate/start/")
    assert start.status_code == 302
    base = start["Location"].split("/steps/")[0]
    form = client.get(start["Location"]).content.decode()
    assert "亀山 花子" in form and "三重県亀山市本丸町577" in form
    assert 'name="f-name"' not in form and 'name="f-address"' not in form
    assert form.count('class="verified-badge"') == 3  # name, birthdate, address
    assert post_step(client, base, "applicant", {"f-copies": "1"}).status_code == 302
    check = client.get(f"{base}/check/").content.decode()
    assert "300円" in check
    assert client.post(f"{base}/check/", {"form_version": "1"}).status_code == 302
    submission = Submission.objects.get()
    assert submission.identity_level == "verified"
    assert submission.answers["birthdate"] == "1990-04-01"
    assert set(submission.verified_fields) == {"name", "birthdate", "address"}
    assert not Draft.objects.exists()
    assert parse_qs(urlsplit(started["Location"]).query)["scope"]
