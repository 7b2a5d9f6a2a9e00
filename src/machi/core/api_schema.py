"""The OpenAPI schema class of machi's DRF APIs (``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from rest_framework import permissions

from machi.core.api import ApiErrorSerializer

_ERROR = ApiErrorSerializer


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, plus the error answers any operation can give, so that
    the schema is true for every status a client can see:

    - 400: unreadable body (not JSON, too large, too deep, NUL) or NUL in the query
      string (``machi.core.input_guard``);
    - 403: the permission refuses, or a signed-in browser session sent no CSRF token;
    - 404: a path parameter names nothing;
    - 415: a body that is not JSON;
    - 429: the anonymous rate limit (``MACHI_API_ANON_RATE``).
    """

    def _needs_permission(self) -> bool:
        view_permissions = getattr(self.view, "permission_classes", [])
        return any(p is not permissions.AllowAny for p in view_permissions)

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        responses = super()._get_response_bodies(direction)
        extra: dict[str, tuple[Any, str]] = {
            "400": (_ERROR, "The request cannot be read or a value is wrong."),
        }
        unsafe = self.method in ("POST", "PUT", "PATCH", "DELETE")
        if unsafe or self._needs_permission():
            extra["403"] = (_ERROR, "Not allowed (sign in as a resident; send the CSRF token).")
        if "{" in self.path:
            extra["404"] = (_ERROR, "Nothing with this id here.")
        if unsafe:
            extra["415"] = (_ERROR, "The body is not application/json.")
        if getattr(self.view, "throttle_classes", None):
            extra["429"] = (_ERROR, "Too many requests; wait and retry.")
        for code, (serializer, description) in extra.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(serializer, code, None, direction)
                responses[code]["description"] = description
        return dict(sorted(responses.items()))
