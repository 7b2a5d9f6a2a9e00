"""Questions per client per minute (web chat and API), so a script cannot flood the
assistant or its log. Counted by the platform's one limiter, per resident's address."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from machi.core import ratelimit


def allow(request: HttpRequest) -> bool:
    return ratelimit.allow(
        request, scope="assistant", per_minute=settings.MACHI_ASSISTANT_QUESTIONS_PER_MINUTE
    )
