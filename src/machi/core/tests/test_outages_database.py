"""PostgreSQL down: a second machi instance (gunicorn, 3 workers) whose DATABASE_URL
points at a closed port answers every page with a clear 503 instead of a server error,
stays alive for /healthz, and tells the load balancer through /readyz."""

from __future__ import annotations

import pytest
import requests

from machi.testing.network import free_port
from machi.testing.processes import SERVICES_PRESENT

pytestmark = SERVICES_PRESENT


@pytest.fixture
def database_down(process_env: dict[str, str]) -> None:
    process_env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/machi",
        DJANGO_DEBUG="false",  # the pages a resident sees, not Django's debug page
    )


def test_database_down_every_page_says_so_and_the_probes_tell(
    database_down: None, gunicorn: str
) -> None:
    assert requests.get(f"{gunicorn}/healthz", timeout=10).status_code == 200
    ready = requests.get(f"{gunicorn}/readyz", timeout=10)
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"].startswith("error")

    for path in ("/", "/procedures/", "/accounts/login/", "/staff/cases/"):
        page = requests.get(f"{gunicorn}{path}", timeout=10)
        assert page.status_code == 503, path
        assert page.headers["Retry-After"]
        assert "一時的にご利用いただけません" in page.text, path
        assert "temporarily unavailable" in page.text, path

    api = requests.get(f"{gunicorn}/api/v1/procedures/", timeout=10)
    assert api.status_code == 503
    assert api.headers["Content-Type"].startswith("application/json")
    assert api.json()["code"] == "unavailable"
