from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language

from machi.core.permissions import is_staff_of


def municipality(request: HttpRequest) -> dict[str, Any]:
    """The tenant and whether the visitor is its staff, for the header."""
    tenant = getattr(request, "municipality", None)
    user = getattr(request, "user", None)
    return {
        "municipality": tenant,
        "municipality_name": tenant.display_name(get_language() or "ja") if tenant else "machi",
        "is_municipal_staff": bool(tenant and is_staff_of(user, tenant)),
    }
