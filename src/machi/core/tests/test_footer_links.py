"""Every page's footer leads residents to the open data portal and the DX plan's progress."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_footer_links_the_plan_progress_and_open_data(city: Any) -> None:
    page = Client().get("/").content.decode()
    footer = page[page.index('<footer class="site-footer"') :]
    assert 'href="/plan/"' in footer and "DX推進計画の進捗" in footer
    assert 'href="/opendata/"' in footer
