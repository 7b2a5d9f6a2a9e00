"""The production cache: Redis, and this process's own memory while Redis does not answer.

Everything machi keeps in the cache can be rebuilt (tenant look-ups, rate-limit counters,
allauth's sign-in counters), so an outage of Redis must cost speed, never a page. Each
call that fails on Redis is served by a local-memory cache instead, and Redis is left
alone for ``retry_seconds`` so that an unreachable server costs one connect timeout per
process, not one per call. Rate limits then count per process (docs/operations.md).
``/readyz`` asks :meth:`ResilientRedisCache.health`, which sees through the fallback.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
T = TypeVar("T")
DEFAULT_RETRY_SECONDS = 5.0


class _Breaker:
    """Process-wide: every thread's cache object shares whether Redis is down."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._down = False

    def allows_attempt(self) -> bool:
        return time.monotonic() >= self._down_until

    def failed(self, exc: Exception, retry_seconds: float) -> None:
        with self._lock:
            self._down_until = time.monotonic() + retry_seconds
            if not self._down:
                self._down = True
                logger.warning(
                    "cache (Redis) unreachable, serving from process memory: %s: %s",
                    exc.__class__.__name__,
                    exc,
                )

    def succeeded(self) -> None:
        if self._down:
            with self._lock:
                if self._down:
                    self._down = False
                    logger.warning("cache (Redis) answers again")


_breaker = _Breaker()


class ResilientRedisCache(RedisCache):
    """Django's Redis cache that falls back to local memory instead of raising.

    ``OPTIONS`` are Django's (``socket_connect_timeout``, ``socket_timeout`` …) plus
    ``retry_seconds``: how long to use the fallback before trying Redis again.
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("retry_seconds", DEFAULT_RETRY_SECONDS))
        super().__init__(server, {**params, "OPTIONS": options})
        # One name, so all threads of the process share the same fallback store.
        self.fallback = LocMemCache(
            "machi-redis-fallback",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
                "OPTIONS": {"MAX_ENTRIES": 10_000},
            },
        )

    def _either(self, on_redis: Callable[[], T], on_fallback: Callable[[], T]) -> T:
        if not _breaker.allows_attempt():
            return on_fallback()
        try:
            result = on_redis()
        except RedisError as exc:
            _breaker.failed(exc, self.retry_seconds)
            return on_fallback()
        _breaker.succeeded()
        return result

    def health(self) -> str:
        """ "ok" when Redis itself answers a PING, else the error (never the fallback)."""
        try:
            self._cache.get_client(write=True).ping()  # type: ignore[attr-defined]
        except RedisError as exc:
            return f"error: {exc.__class__.__name__}"
        return "ok"

    def add(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        return self._either(
            lambda: super(ResilientRedisCache, self).add(key, value, timeout, version),
            lambda: self.fallback.add(key, value, timeout, version),
        )

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._either(
            lambda: super(ResilientRedisCache, self).get(key, default, version),
            lambda: self.fallback.get(key, default, version),
        )

    def set(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        self._either(
            lambda: super(ResilientRedisCache, self).set(key, value, timeout, version),
            lambda: self.fallback.set(key, value, timeout, version),
        )

    def touch(
        self, key: str, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._either(
            lambda: super(ResilientRedisCache, self).touch(key, timeout, version),
            lambda: self.fallback.touch(key, timeout, version),
        )

    def delete(self, key: str, version: int | None = None) -> bool:
        return self._either(
            lambda: super(ResilientRedisCache, self).delete(key, version),
            lambda: self.fallback.delete(key, version),
        )

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        keys = list(keys)
        return self._either(
            lambda: super(ResilientRedisCache, self).get_many(keys, version),
            lambda: self.fallback.get_many(keys, version),
        )

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self._either(
            lambda: super(ResilientRedisCache, self).has_key(key, version),
            lambda: self.fallback.has_key(key, version),
        )

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        return self._either(
            lambda: super(ResilientRedisCache, self).incr(key, delta, version),
            lambda: self.fallback.incr(key, delta, version),
        )

    def set_many(
        self,
        data: dict[str, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[str]:
        return self._either(
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
            lambda: self.fallback.set_many(data, timeout, version),
        )

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        keys = list(keys)
        self._either(
            lambda: super(ResilientRedisCache, self).delete_many(keys, version),
            lambda: self.fallback.delete_many(keys, version),
        )

    def clear(self) -> None:
        self.fallback.clear()
        self._either(lambda: super(ResilientRedisCache, self).clear(), lambda: None)
