"""One rate limiter for the platform: django-ratelimit, counting per client address.

Each use is a :class:`Limit` below (the assistant's questions, the open data validator)
whose size is a setting; the counting is django-ratelimit's fixed window in the default
cache, keyed on :func:`machi.core.client_address.client_ip` (``RATELIMIT_IP_META_KEY``),
never on the proxy's address. DRF's throttle of the public API counts the same address. With Redis
down the cache counts in each process's memory, so a limit then holds per web process
instead of across them (docs/operations.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from machi.core.client_address import client_ip


def allow(request: HttpRequest, *, scope: str, per_minute: int) -> bool:
    """Count this request against ``per_minute`` for its client; False once over it."""
    limited = is_ratelimited(
        request,
        group=f"machi.{scope}",
        key="ip",
        rate=f"{per_minute}/m",
        increment=True,
    )
    return not limited


@dataclass(frozen=True)
class Limit:
    """Requests per client per minute for one use: ``scope`` names its counter, ``setting``
    the number (read at each request)."""

    scope: str
    setting: str

    def allow(self, request: HttpRequest) -> bool:
        return allow(request, scope=self.scope, per_minute=getattr(settings, self.setting))


# Questions to the assistant (web chat and API), so a script cannot flood it or its log.
ASSISTANT_QUESTIONS = Limit("assistant", "MACHI_ASSISTANT_QUESTIONS_PER_MINUTE")
# Files checked by the open data validator's API.
OPENDATA_VALIDATIONS = Limit("opendata-validate", "MACHI_OPENDATA_VALIDATE_PER_MINUTE")
# Requests to subscribe to notices: each sends a confirmation mail to the address typed.
NOTICE_SUBSCRIPTIONS = Limit("notices-subscribe", "MACHI_NOTICE_SUBSCRIBE_PER_MINUTE")


class ClientAnonRateThrottle(AnonRateThrottle):
    """DRF's anonymous throttle, counting the same client address as everything else."""

    def get_ident(self, request: Request) -> str:
        return client_ip(request._request)
