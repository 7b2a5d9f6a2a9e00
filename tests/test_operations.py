"""Start-up checks, health probes and management commands."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from machi.core.checks import check_default_municipality_code, check_secret_key
from machi.core.models import Municipality, MunicipalityDomain

ROOT = Path(__file__).resolve().parents[1]


def test_missing_secret_key_in_production_is_an_error(settings) -> None:
    settings.PRODUCTION = True
    settings.SECRET_KEY = settings.INSECURE_DEV_SECRET_KEY
    [error] = check_secret_key(None)
    assert error.id == "machi.E001"
    settings.SECRET_KEY = "x" * 64
    assert check_secret_key(None) == []


def test_invalid_default_municipality_code_is_an_error(settings) -> None:
    settings.MACHI_DEFAULT_MUNICIPALITY_CODE = "242100"
    [error] = check_default_municipality_code(None)
    assert error.id == "machi.E002"
    settings.MACHI_DEFAULT_MUNICIPALITY_CODE = "242101"
    assert check_default_municipality_code(None) == []


def _start(env_overrides: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_start_up_fails_without_secret_key() -> None:
    result = _start(
        {"MACHI_PRODUCTION": "true", "DJANGO_SECRET_KEY": ""},
        "-c",
        "import machi.config.wsgi",
    )
    assert result.returncode != 0
    assert "machi.E001" in result.stderr


def test_start_up_fails_on_an_invalid_municipality_code() -> None:
    result = _start({"MACHI_DEFAULT_MUNICIPALITY_CODE": "242100"}, "manage.py", "check")
    assert result.returncode != 0
    assert "machi.E002" in result.stderr


def test_healthz_answers_without_a_tenant(db: None) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_database_and_cache(db: None) -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok"}


def test_municipality_upsert_command_adds_a_tenant(db: None, capsys) -> None:
    call_command(
        "municipality_upsert",
        "--code",
        "242071",
        "--name",
        "鈴鹿市",
        "--kana",
        "スズカシ",
        "--prefecture",
        "三重県",
        "--host",
        "suzuka.example.jp",
    )
    assert Municipality.objects.get(code="242071").name == "鈴鹿市"
    assert MunicipalityDomain.objects.filter(host="suzuka.example.jp").exists()
    assert "242071" in capsys.readouterr().out


def test_municipality_upsert_command_rejects_a_bad_code(db: None) -> None:
    with pytest.raises(CommandError, match="code"):
        call_command(
            "municipality_upsert",
            "--code",
            "242100",
            "--name",
            "x",
            "--kana",
            "エックス",
            "--prefecture",
            "三重県",
        )
    assert not Municipality.objects.exists()


def test_load_demo_twice_is_harmless(db: None) -> None:
    from machi.core.models import AuditEntry, Department, User

    call_command("load_demo")
    counts = (User.objects.count(), Department.objects.count(), AuditEntry.objects.count())
    call_command("load_demo")
    assert (User.objects.count(), Department.objects.count(), AuditEntry.objects.count()) == counts
    from machi.core.demo import data
    from machi.plan.models import Measure

    # + the 関地区まちづくり協議会's account (notices' DISTRICT_EDITOR)
    staff = 1 + len(data.CLERKS) + len(data.APPROVERS) + len(data.PLAN_STAFF) + 1
    assert User.objects.filter(kind="staff").count() == staff
    assert Measure.objects.filter(plan__code="kameyama-dx").count() == 24
    call_command("audit_verify")


def test_production_mode_sends_hsts_and_secure_cookies() -> None:
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.test import Client\n"
        "r = Client().get('/healthz', secure=True, HTTP_HOST='kameyama.example.jp')\n"
        "print(r.status_code, r.headers.get('Strict-Transport-Security'),"
        " settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)\n"
        "r = Client().get('/healthz', HTTP_HOST='kameyama.example.jp')\n"
        "print(r.status_code)\n"
    )
    result = _start(
        {
            "MACHI_PRODUCTION": "true",
            "DJANGO_SECRET_KEY": "s" * 64,
            "DJANGO_ALLOWED_HOSTS": "kameyama.example.jp",
            "DJANGO_SETTINGS_MODULE": "machi.config.settings",
            "PYTHONPATH": str(ROOT / "src"),
        },
        "-c",
        script,
    )
    assert result.returncode == 0, result.stderr
    secure_line, plain_line = result.stdout.split("\n")[:2]
    assert secure_line.startswith("200 max-age=31536000; includeSubDomains True True")
    assert plain_line == "200"  # probes are not redirected to HTTPS


def test_production_static_build_has_every_file_the_templates_name(tmp_path: Path) -> None:
    """`collectstatic` with the manifest storage, as the install and upgrade run it."""
    result = _start(
        {
            "MACHI_PRODUCTION": "true",
            "DJANGO_SECRET_KEY": "s" * 64,
            "MACHI_STATIC_ROOT": str(tmp_path),
        },
        "manage.py",
        "collectstatic",
        "--noinput",
        "-v0",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    named = {
        match
        for template in (ROOT / "src" / "machi").glob("*/templates/**/*.html")
        for match in re.findall(r"""\{% static ['"]([^'"]+)['"]""", template.read_text())
    }
    assert "vendor/leaflet/leaflet.js" in named
    assert named <= set(manifest), sorted(named - set(manifest))
    # The compressed copies WhiteNoise serves exist too.
    assert (tmp_path / manifest["vendor/htmx/htmx.min.js"]).with_suffix(".js.gz").exists()
