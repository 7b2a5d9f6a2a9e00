"""Objects built per municipality and rebuilt when their data changes (search indexes).

The caller passes a cheap stamp of the data (row count, latest update); an object built
at a different stamp is rebuilt, once, under a lock, in each process. Edits are therefore
visible on the next request without a restart or a cache-invalidation message.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class StampedCache(Generic[T]):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: dict[str, tuple[object, T]] = {}

    def get(self, tenant: str, stamp: object, build: Callable[[], T]) -> T:
        cached = self._built.get(tenant)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        with self._lock:
            cached = self._built.get(tenant)
            if cached is not None and cached[0] == stamp:
                return cached[1]
            built = build()
            self._built[tenant] = (stamp, built)
            return built
