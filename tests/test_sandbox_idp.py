"""The demo's sandbox identity provider: ``make demo`` starts it beside the web server with
settings that point at it, ``demo_info`` names it, and production refuses it."""

from __future__ import annotations

import io
import os
import runpy
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from django.core.management import call_command
from django.utils import translation

from machi.config import settings as settings_module
from machi.core.checks import check_sandbox_identity_provider
from machi.testing.network import free_port

ROOT = Path(__file__).resolve().parents[1]


def demo_environment(port: int, idp_port: int) -> dict[str, str]:
    """The MACHI_OIDC_* variables of the command ``make demo`` ends with."""
    # Under `make test` the outer make's MAKEFLAGS would add "Entering directory" lines.
    outer = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    printed = subprocess.run(
        ["make", "-n", "--no-print-directory", "demo", f"PORT={port}", f"IDP_PORT={idp_port}"],
        cwd=ROOT,
        env=outer,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    serving = [line for line in printed.splitlines() if "manage.py demo_serve" in line]
    assert serving, printed
    last = serving[-1]
    assert last.endswith(f"demo_serve 127.0.0.1:{port}"), last
    words = shlex.split(last)
    return dict(w.split("=", 1) for w in words if w.startswith("MACHI_OIDC_") and "=" in w)


def test_make_demo_configures_the_sandbox() -> None:
    env = demo_environment(8765, 8766)
    assert env["MACHI_OIDC_SANDBOX"] == "true"
    assert env["MACHI_OIDC_ISSUER"] == "http://127.0.0.1:8766"
    assert env["MACHI_OIDC_CLIENT_ID"] and env["MACHI_OIDC_CLIENT_SECRET"]


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """``manage.py demo_serve`` as ``make demo`` runs it (its own empty SQLite file)."""
    port, idp_port = free_port(), free_port()
    env = {**os.environ, **demo_environment(port, idp_port)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "demo_serve", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield f"http://127.0.0.1:{port}", env["MACHI_OIDC_ISSUER"]
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for(url: str) -> requests.Response:
    deadline = time.monotonic() + 60
    while True:
        try:
            return requests.get(url, timeout=5)
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_demo_serve_runs_the_sandbox_beside_the_web_server(demo_server: tuple[str, str]) -> None:
    site, issuer = demo_server
    config = wait_for(f"{issuer}/.well-known/openid-configuration").json()
    assert config["issuer"] == issuer
    assert config["code_challenge_methods_supported"] == ["S256"]
    assert wait_for(f"{site}/healthz").status_code == 200


def test_demo_info_names_the_sandbox_and_its_people(settings: Any) -> None:
    settings.OIDC_SANDBOX = True
    settings.OIDC_ISSUER = "http://127.0.0.1:8001"
    out = io.StringIO()
    call_command("demo_info", "--url", "http://127.0.0.1:8000", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8001" in text
    assert "亀山 花子" in text and "関 一郎" in text
    assert "not the real デジタル認証アプリ" in text


def test_demo_info_without_the_sandbox_says_nothing_of_it(settings: Any) -> None:
    settings.OIDC_SANDBOX = False
    out = io.StringIO()
    call_command("demo_info", stdout=out)
    assert "sandbox" not in out.getvalue().lower()


def test_the_sandbox_settings_name_it_a_test(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MACHI_OIDC_NAME", raising=False)
    monkeypatch.setenv("MACHI_OIDC_SANDBOX", "true")
    monkeypatch.setenv("MACHI_OIDC_ISSUER", "http://127.0.0.1:8001")
    assert settings_module.__file__
    values = runpy.run_path(settings_module.__file__)
    [app] = values["SOCIALACCOUNT_PROVIDERS"]["openid_connect"]["APPS"]
    with translation.override("ja"):
        assert str(app["name"]) == "サンドボックス認証（試験用）"
    with translation.override("en"):
        assert str(app["name"]) == "Sandbox sign-in (test only)"
    assert "http://127.0.0.1:8001" in values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["form-action"]


def test_production_refuses_the_sandbox(settings: Any) -> None:
    settings.PRODUCTION = True
    settings.OIDC_SANDBOX = True
    [error] = check_sandbox_identity_provider(None)
    assert error.id == "machi.E004"
    settings.OIDC_SANDBOX = False
    assert check_sandbox_identity_provider(None) == []
