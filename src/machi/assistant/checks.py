"""System check of the assistant's settings: an encoder name nobody knows stops start-up
(a typo would otherwise turn meaning search off without a word)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from machi.assistant.encoders import ENCODER_NAMES


@register("machi")
def check_encoders(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    unknown = sorted(set(settings.MACHI_ASSISTANT_ENCODERS) - set(ENCODER_NAMES))
    if not unknown:
        return []
    return [
        Error(
            f"MACHI_ASSISTANT_ENCODERS names unknown encoder(s): {', '.join(unknown)} "
            f"(不明なエンコーダ).",
            hint=f"Use some of: {', '.join(ENCODER_NAMES)}; leave it empty for word search only.",
            id="machi.E005",
        )
    ]
