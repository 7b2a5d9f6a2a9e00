"""The browser tests' demo: what the second test gets back is what ``load_demo`` made."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core import serializers
from django.core.management import call_command
from django.db import connection

from machi.core.audit_triggers import create_triggers, drop_triggers
from machi.core.models import Municipality
from machi.procedures.models import Procedure
from machi.testing.copies import TableCopies, _models

pytestmark = pytest.mark.django_db(transaction=True)


def _everything(media: Path) -> tuple[dict[str, list[Any]], dict[str, bytes]]:
    rows = {
        model._meta.label: serializers.serialize("python", model._base_manager.order_by("pk"))
        for model in _models()
    }
    files = {str(f.relative_to(media)): f.read_bytes() for f in media.rglob("*") if f.is_file()}
    return rows, files


def _load_demo() -> None:
    call_command("load_demo", verbosity=0)


def _empty_the_database() -> None:
    """What Django does between transactional tests."""
    drop_triggers(connection)
    call_command("flush", interactive=False, verbosity=0)
    create_triggers(connection)


def test_the_copy_holds_every_row_and_file_the_demo_made(settings: Any, tmp_path: Path) -> None:
    copies = TableCopies(tmp_path / "copies")
    copies.load("demo", _load_demo)  # the real load_demo, kept
    media = Path(settings.MEDIA_ROOT)
    loaded = _everything(media)
    assert Municipality.objects.get(code="242101").name == "亀山市"
    assert loaded[1], "the open data demo stores its files"

    _empty_the_database()
    settings.MEDIA_ROOT = media = tmp_path / "media-of-the-next-test"
    copies.load("demo", _load_demo)
    assert _everything(media) == loaded


def test_a_database_that_already_has_a_tenant_gets_the_real_load(
    settings: Any, tmp_path: Path, city: Municipality
) -> None:
    copies = TableCopies(tmp_path / "copies")
    copies.load("demo", _load_demo)
    assert Procedure.objects.filter(municipality=city, code="sodai-gomi").exists()
    assert not (tmp_path / "copies").exists(), "rows the demo did not make are never kept"
