"""Redis down: the cache is an optimisation, so pages, sign-in and rate limits go on from
the database and each process's memory, and /readyz still says the cache is down. The
same with a whole second gunicorn instance: procedures/tests/test_outages.py."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache, caches
from django.test import Client

from machi.core import resilient_cache
from machi.core.models import Municipality
from machi.testing.fixtures import make_staff
from machi.testing.network import free_port

PASSWORD = "correct horse battery staple"


@pytest.fixture
def redis_down(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # A fresh breaker, so the rest of the run does not start with Redis "down".
    monkeypatch.setattr(resilient_cache, "_breaker", resilient_cache._Breaker())
    settings.CACHES = {
        "default": {
            "BACKEND": "machi.core.resilient_cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    caches._settings = None  # type: ignore[attr-defined]
    caches["default"].clear()  # the memory fallback outlives a test's database rows
    try:
        yield
    finally:
        caches._settings = None  # type: ignore[attr-defined]


def test_pages_answer_and_readyz_reports_the_cache(city: Municipality, redis_down: None) -> None:
    client = Client()
    home = client.get("/")
    assert home.status_code == 200
    assert "亀山市" in home.content.decode()
    assert client.get("/procedures/").status_code == 200
    assert client.get("/accounts/login/").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"] == "ok"
    assert ready.json()["checks"]["cache"] == "error: ConnectionError"


def test_the_outage_costs_one_timeout_not_one_per_call(
    city: Municipality, redis_down: None
) -> None:
    assert cache.get("anything") is None  # the first call finds Redis down
    started = time.monotonic()
    for n in range(200):
        cache.set(f"k{n}", n)
        assert cache.get(f"k{n}") == n  # served from this process's memory
    assert time.monotonic() - started < 1


def test_rate_limits_still_count_in_each_process(
    city: Municipality, redis_down: None, settings: Any
) -> None:
    settings.MACHI_ASSISTANT_QUESTIONS_PER_MINUTE = 2
    client = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [client.post("/assistant/", {"q": "ごみ"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_staff_sign_in_works_without_the_cache(city: Municipality, redis_down: None) -> None:
    staff = make_staff(city, "clerk@example.jp", with_totp=False)
    staff.set_password(PASSWORD)
    staff.save()
    response = Client().post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302
