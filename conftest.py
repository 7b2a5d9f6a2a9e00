"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

# Servers and workers the tests start search the FAQ by words only, like the tests
# themselves (below): loading the sentence encoders would add seconds to each start.
os.environ.setdefault("MACHI_ASSISTANT_ENCODERS", "")

pytest_plugins = [
    "machi.testing.browser",
    "machi.testing.smtp",
    "machi.testing.line",
    "machi.testing.fixtures",
    "machi.testing.applications",
    "machi.testing.oidc_provider",
    "machi.testing.processes",
    "machi.testing.demo_site",
    "machi.testing.copies",
    "machi.testing.demo",
]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``long`` (the crawler's walks: minutes each, and no test database, so
    pytest-django's order of database tests is kept) run first: with several workers the
    longest work starts at once and the workers finish together."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate limits and the tenant cache live in the cache; start every test empty."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _media_in_tmp_everywhere(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded and generated files never land in the developer's var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _no_encoders(settings: Any) -> None:
    """Outside the assistant's own tests the FAQ is searched by words only: encoding the
    demo FAQ would add seconds to every test that loads the demo. The assistant's tests
    turn the encoders on (assistant/tests/conftest.py)."""
    settings.MACHI_ASSISTANT_ENCODERS = []


# Captured before any test changes settings: what a production server hashes passwords with.
PRODUCTION_PASSWORD_HASHERS: list[str] = []


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any, request: pytest.FixtureRequest) -> None:
    """Argon2 costs a tenth of a second per password on purpose; the demo alone creates 35
    accounts. Tests hash with MD5 unless they ask for ``production_password_hashing``, or
    start gunicorn or a Celery worker: those processes check passwords with production's
    settings."""
    if not PRODUCTION_PASSWORD_HASHERS:
        PRODUCTION_PASSWORD_HASHERS.extend(settings.PASSWORD_HASHERS)
    production = {"production_password_hashing", "gunicorn", "celery_worker"}
    if not production & set(request.fixturenames):
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def production_password_hashing() -> None:
    """Hash passwords as production does (Argon2)."""


@pytest.fixture(autouse=True)
def _english_free_default(settings: Any) -> None:
    settings.LANGUAGE_CODE = "ja"


@pytest.fixture(autouse=True)
def _audit_triggers_allow_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """Transactional tests end with Django emptying every table; on SQLite that is a
    DELETE the audit log's trigger refuses, so lift it for that moment only."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    if not transactional and not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    from django.db import connection

    from machi.core.audit_triggers import create_triggers, drop_triggers

    request.getfixturevalue("transactional_db")
    create_triggers(connection)
    yield
    if connection.vendor == "sqlite":
        drop_triggers(connection)
