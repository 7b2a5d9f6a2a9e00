"""The chat tests link answers to procedures of the procedures app's test catalog; they
search with the fast encoder (e5 costs about 0.3 s an entry to encode: tests that check it
turn it on)."""

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fast_encoder(settings: Any, _no_encoders: None) -> None:
    settings.MACHI_ASSISTANT_ENCODERS = ["use"]
