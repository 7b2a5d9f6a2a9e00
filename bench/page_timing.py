"""Server time and SQL queries of one page, measured in-process with Django's test client."""

from __future__ import annotations

import statistics
import time
from typing import Any


def measure_page(client: Any, path: str, repeat: int) -> tuple[float, float, int]:
    """(p50 ms, p95 ms, SQL queries) of ``repeat`` GETs of ``path`` after one warm-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    quantiles = statistics.quantiles(times, n=20)
    return statistics.median(times), quantiles[18], len(queries)
