"""The 亀山市 demo as ``make demo`` runs it, in a process of its own, for the crawler.

The demo is what a new user tries first: its own SQLite file, tasks in-process, the
development server and the demo data of every app. The fixture builds it once per test
session in a temporary directory (about 15 s), so it never touches the test database,
and stops the server at the end.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from machi.testing.network import free_port

ROOT = Path(__file__).resolve().parents[3]
PYTHON = str(Path(sys.executable))
DEMO_PASSWORD = "machi-demo-2026"
# What the Makefile's DEMO_ENV removes: the demo always runs on the embedded default.
_OUTSIDE_SERVICES = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "DJANGO_SETTINGS_MODULE",
    "MACHI_CACHE_PREFIX",
)


@dataclass(frozen=True)
class DemoSite:
    url: str
    env: dict[str, str]

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        )
        return done.stdout

    def enrol_totp(self, email: str) -> str:
        """Give a demo staff member an authenticator, as they would at first sign-in."""
        code = (
            "from allauth.mfa.models import Authenticator;"
            "from machi.core.models import User;"
            f"Authenticator.objects.filter(user__email={email!r}).delete();"
            "from machi.testing.fixtures import enrol_totp;"
            f"print(enrol_totp(User.objects.get(email={email!r})))"
        )
        return self.manage("shell", "-c", code).strip().splitlines()[-1]


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    where = tmp_path_factory.mktemp("demo-site")
    env = {k: v for k, v in os.environ.items() if k not in _OUTSIDE_SERVICES}
    env.update(
        DATABASE_URL=f"sqlite:///{where / 'demo.sqlite3'}",
        MACHI_MEDIA_ROOT=str(where / "media"),
        PYTHONUNBUFFERED="1",
        # The fast encoder only: e5 would add minutes of encoding to the session's setup.
        MACHI_ASSISTANT_ENCODERS="use",
    )
    port = free_port()
    site = DemoSite(url=f"http://127.0.0.1:{port}", env=env)
    site.manage("migrate", "--noinput", "-v0")
    site.manage("load_demo", "-v0", "--url", site.url)
    log = (where / "server.log").open("w")
    server = subprocess.Popen(
        [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{site.url}/healthz", timeout=5).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.3)
    else:
        server.terminate()
        raise RuntimeError(f"the demo did not start; see {where / 'server.log'}")
    yield site
    server.terminate()
    server.wait(timeout=30)
    log.close()
