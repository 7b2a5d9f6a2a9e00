"""The request type views see once the tenant middleware has run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from machi.core.models import Municipality


class MunicipalRequest(HttpRequest):
    """An ``HttpRequest`` with ``municipality`` set by ``MunicipalityMiddleware``."""

    municipality: Municipality
