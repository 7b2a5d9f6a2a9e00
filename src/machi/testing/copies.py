"""Test data that is slow to build, built once per worker and copied into each test after.

Django empties the database after every transactional test and rolls back every other
one, so a fixture that builds through the services pays again in every test: the 亀山市
demo (a plan import, 16 procedures, 194 FAQ entries, 13 open datasets validated and
published) took two and a half seconds per browser test. With ``copies.load(name,
build)`` the first test on a worker builds the real way; then the rows it wrote (every
table but the ones Django refills itself) and the files it stored under ``MEDIA_ROOT``
are kept, and later tests get them back: PostgreSQL's COPY, Django's serializer
elsewhere, a copy of the files. A test sees the same rows with the same keys, and
``build``'s return value (plain data such as primary keys) as it was; what it does not
get again are the mails and tasks the first build set off.

A copy is kept per name and per password hasher (a hash only checks under the hasher
that made it), and it is only taken from, and only given to, a database with no rows of
machi's own yet: in any other state ``build`` simply runs.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, models, transaction

T = TypeVar("T")

# Rows Django makes by itself after every flush (post_migrate), with new keys each time.
_MADE_BY_DJANGO = {"contenttypes", "sessions"}
_MADE_BY_DJANGO_MODELS = {"auth.permission"}


def _models(*, with_link_tables: bool = False) -> list[type[models.Model]]:
    """Every model a build may write (with ``with_link_tables``, also the tables Django
    makes for many-to-many fields, which the serializer writes with the model that has
    the field)."""
    found = []
    for model in apps.get_models(include_auto_created=with_link_tables):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.app_label in _MADE_BY_DJANGO:
            continue
        if meta.label_lower not in _MADE_BY_DJANGO_MODELS:
            found.append(model)
    return found


def _empty() -> bool:
    return not any(model._base_manager.exists() for model in _models())


@dataclass
class _Copy:
    rows: Any  # the tables' COPY data by table name, or Django's "python" serialization
    media: Path
    built: Any  # what build returned


class TableCopies:
    """The copies one worker has kept: rows in memory, files in a folder of its own."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._kept: dict[str, _Copy] = {}

    def load(self, name: str, build: Callable[[], T]) -> T:
        key = repr((name, tuple(settings.PASSWORD_HASHERS)))
        kept = self._kept.get(key)
        if not _empty():
            return build()
        if kept is None:
            built = build()
            media = Path(settings.MEDIA_ROOT)
            files = self.folder / f"media-{len(self._kept)}"
            if media.exists():
                shutil.copytree(media, files)
            else:
                files.mkdir(parents=True)
            self._kept[key] = _Copy(rows=_rows(), media=files, built=built)
            return built
        _put_rows(kept.rows)
        shutil.copytree(kept.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
        return kept.built


def _rows() -> Any:
    if connection.vendor == "postgresql":
        # COPY moves the whole demo in a tenth of the time one INSERT per row takes.
        kept = {}
        with connection.cursor() as cursor:
            for model in _models(with_link_tables=True):
                table = connection.ops.quote_name(model._meta.db_table)
                with cursor.cursor.copy(f"COPY {table} TO STDOUT (FORMAT binary)") as copy:
                    kept[model._meta.db_table] = b"".join(copy)
        return kept
    # The "python" form keeps times to the microsecond (the JSON form cuts them to ms).
    rows = itertools.chain.from_iterable(model._base_manager.order_by("pk") for model in _models())
    return serializers.serialize("python", rows)


def _put_rows(rows: Any) -> None:
    # Django's foreign keys are checked at commit, so inside one transaction the order
    # of the tables does not matter.
    with transaction.atomic():
        if connection.vendor != "postgresql":
            for row in serializers.deserialize("python", rows):
                row.save()
            return
        tables = _models(with_link_tables=True)
        with connection.cursor() as cursor:
            for model in tables:
                table = connection.ops.quote_name(model._meta.db_table)
                with cursor.cursor.copy(f"COPY {table} FROM STDIN (FORMAT binary)") as copy:
                    copy.write(rows[model._meta.db_table])
            for statement in connection.ops.sequence_reset_sql(no_style(), tables):
                cursor.execute(statement)


@pytest.fixture(scope="session")
def table_copies(tmp_path_factory: pytest.TempPathFactory) -> TableCopies:
    return TableCopies(tmp_path_factory.mktemp("table-copies"))
