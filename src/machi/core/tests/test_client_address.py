"""Behind nginx every request arrives from 127.0.0.1: rate limits count the resident's own
address, the one the trusted proxy appended to X-Forwarded-For, so one client's burst
never shuts a service off for everyone else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory

from machi.core.client_address import client_ip
from machi.core.models import Municipality
from machi.core.ratelimit import ClientAnonRateThrottle

NGINX = "127.0.0.1"
CSV = "施設名,緯度,経度\r\n亀山市役所,34.855,136.451\r\n".encode()


@pytest.fixture
def behind_nginx(settings: Any) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def _through_nginx(forwarded_for: str) -> Client:
    """A browser whose requests nginx passes on, appending the address it saw."""
    return Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded_for)


def test_client_address_is_the_entry_the_trusted_proxy_added(behind_nginx: None) -> None:
    factory = RequestFactory(REMOTE_ADDR=NGINX)
    assert client_ip(factory.get("/", HTTP_X_FORWARDED_FOR="203.0.113.5")) == "203.0.113.5"
    # Whatever the client claims itself comes before what nginx appended.
    spoofed = factory.get("/", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5")
    assert client_ip(spoofed) == "203.0.113.5"
    # A request that did not pass the proxy (a probe on loopback) counts as the proxy.
    assert client_ip(factory.get("/")) == NGINX


def test_without_a_trusted_proxy_the_header_is_ignored(settings: Any) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    request = RequestFactory(REMOTE_ADDR="192.0.2.7").get("/", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(request) == "192.0.2.7"


def test_one_residents_burst_of_questions_leaves_others_answered(
    city: Municipality, behind_nginx: None, settings: Any
) -> None:
    settings.MACHI_ASSISTANT_QUESTIONS_PER_MINUTE = 3
    burst = _through_nginx("203.0.113.5")
    statuses = [burst.post("/assistant/", {"q": "ごみ"}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    spoofing = _through_nginx("198.51.100.1, 203.0.113.5")
    assert spoofing.post("/assistant/", {"q": "ごみ"}).status_code == 429
    neighbour = _through_nginx("203.0.113.6")
    assert neighbour.post("/assistant/", {"q": "ごみ"}).status_code == 200
    assert (
        neighbour.post(
            "/api/v1/assistant/questions/", {"question": "ごみ"}, content_type="application/json"
        ).status_code
        == 200
    )


def test_the_validator_limit_counts_each_client(
    city: Municipality, behind_nginx: None, settings: Any
) -> None:
    settings.MACHI_OPENDATA_VALIDATE_PER_MINUTE = 2
    path = "/api/opendata/validate"
    burst = _through_nginx("203.0.113.5")
    statuses = [burst.post(path, CSV, content_type="text/csv").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    neighbour = _through_nginx("203.0.113.6")
    assert neighbour.post(path, CSV, content_type="text/csv").status_code == 200


def test_the_public_api_throttle_counts_each_client(
    city: Municipality, behind_nginx: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ClientAnonRateThrottle, "rate", "2/min", raising=False)
    burst = _through_nginx("203.0.113.5")
    statuses = [burst.get("/api/v1/procedures/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    # DRF alone would count the whole header: a made-up first entry would escape.
    spoofing = _through_nginx("198.51.100.1, 203.0.113.5")
    assert spoofing.get("/api/v1/procedures/").status_code == 429
    assert _through_nginx("203.0.113.6").get("/api/v1/procedures/").status_code == 200
