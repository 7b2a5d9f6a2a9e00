"""Questions per client per minute, counted in the cache (Redis in production), so a
script cannot flood the assistant or its log."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def allow(request: HttpRequest, scope: str = "assistant") -> bool:
    limit = settings.MACHI_ASSISTANT_QUESTIONS_PER_MINUTE
    client = request.META.get("REMOTE_ADDR", "unknown")
    key = f"ratelimit:{scope}:{client}:{int(time.time() // 60)}"
    if cache.add(key, 1, timeout=70):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=70)
        return True
