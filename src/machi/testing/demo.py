"""The 亀山市 demo as ``make demo`` shows it, for tests that run against a live server."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from machi.core.demo import data
from machi.core.models import Municipality
from machi.testing.copies import TableCopies


@pytest.fixture
def demo(transactional_db: Any, table_copies: TableCopies) -> Municipality:
    """``load_demo`` the first time on a worker, a copy of its rows and files after."""
    # The FAQ's encodings are rows too: the assistant's tests turn the encoders on.
    encoders = tuple(getattr(settings, "MACHI_ASSISTANT_ENCODERS", ()))
    table_copies.load(f"demo {encoders}", lambda: call_command("load_demo", verbosity=0))
    return Municipality.objects.get(code=data.KAMEYAMA["code"])
