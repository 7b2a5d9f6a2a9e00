"""The address of the person making a request, as rate limits and audit entries need it.

Behind nginx every request comes from 127.0.0.1; the resident's own address is the entry
the nearest trusted proxy appended to ``X-Forwarded-For``. How many proxies to trust is
one setting, ``MACHI_TRUSTED_PROXY_COUNT`` (``ALLAUTH_TRUSTED_PROXY_COUNT``), so the
sign-in limits of django-allauth and machi's own limits always agree: this asks allauth.
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest

UNKNOWN = "0.0.0.0"  # noqa: S104 - a key for limits, never bound to


def client_ip(request: HttpRequest) -> str:
    """The client's address; the connecting address when the header cannot be trusted."""
    try:
        return str(get_adapter(request).get_client_ip(request))
    except (ImproperlyConfigured, PermissionDenied):
        # Fewer X-Forwarded-For entries than trusted proxies: the request did not come
        # through them, so count it under the address that connected.
        return str(request.META.get("REMOTE_ADDR") or UNKNOWN)
