"""What every DRF API of machi shares: the JSON parser with limits, one error body, and a
schema class that documents the errors every operation can answer.

The error body of every JSON API under ``/api/v1/`` (and of ``/api/`` paths that do not
exist) is ``{"code": "...", "detail": "...", "problems": [{"field", "message"}, ...]}``;
``problems`` only when single fields are wrong. Set in ``REST_FRAMEWORK``:
``DEFAULT_PARSER_CLASSES`` (:class:`JSONParser`), ``EXCEPTION_HANDLER``
(:func:`exception_handler`) and ``DEFAULT_SCHEMA_CLASS``
(:class:`machi.core.api_schema.AutoSchema`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, serializers
from rest_framework.response import Response
from rest_framework.utils import json as drf_json

from machi.core import json_input


class FieldProblemSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(help_text="Field key, e.g. answers or items[0].count")
    message = serializers.CharField()


class ApiErrorSerializer(serializers.Serializer[Any]):
    """The error body of machi's JSON APIs."""

    code = serializers.CharField(help_text="Stable machine-readable code, e.g. invalid")
    detail = serializers.CharField(help_text="What is wrong and how to fix it")
    problems = FieldProblemSerializer(many=True, required=False)


def error_body(
    code: str, detail: str, problems: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "detail": detail}
    if problems is not None:
        body["problems"] = problems
    return body


def error_response(status: int, code: str, detail: str) -> JsonResponse:
    """The error body outside DRF (URL resolver 404, server errors, the input guard)."""
    return JsonResponse(
        error_body(code, detail), status=status, json_dumps_params={"ensure_ascii": False}
    )


class StrictCharField(serializers.CharField):
    """A CharField that refuses numbers and booleans instead of turning ``0`` into
    ``"0"``: the schema says string, so a number is a client mistake."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser through :func:`machi.core.json_input.loads`: bounded size and
    depth, no NUL or lone surrogates; each refusal is a 400 with a Japanese and English
    message and the codes ``too_large``, ``too_deep`` or ``invalid_characters``."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = parsers.get_encoding(parser_context or {})  # type: ignore[attr-defined]
        limit = json_input.max_bytes()
        raw = stream.read(limit + 1)
        try:
            return json_input.loads(
                raw.decode(encoding),
                limit=limit,
                parse_constant=drf_json.strict_constant if self.strict else None,
            )
        except json_input.JSONInputError as exc:
            raise exceptions.ParseError(exc.message, code=exc.code) from exc
        except ValueError as exc:
            message = json_input.bilingual(
                _("The body is not valid JSON (%(error)s). Send a JSON object."), error=exc
            )
            raise exceptions.ParseError(message) from exc


def _problems(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """Flatten DRF's nested validation errors into ``[{"field", "message"}]``."""
    if isinstance(detail, dict):
        found = []
        for key, value in detail.items():
            name = str(key) if key != "non_field_errors" else ""
            found += _problems(value, f"{prefix}.{name}" if prefix and name else prefix or name)
        return found
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return [{"field": prefix, "message": str(item)} for item in detail]
        found = []
        for index, item in enumerate(detail):
            found += _problems(item, f"{prefix}[{index}]")
        return found
    return [{"field": prefix, "message": str(detail)}]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with every body in the shape of :class:`ApiErrorSerializer`."""
    # Imported here: rest_framework.views reads DEFAULT_PARSER_CLASSES (this module).
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, RequestDataTooBig):  # Django's own size check, before the parser
        message = json_input.too_large(json_input.max_bytes()).message
        return Response(error_body("too_large", message), status=400)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        problems = _problems(exc.detail)
        detail = json_input.bilingual(
            _("Some values are missing or wrong: see problems."),
        )
        response.data = error_body("invalid", detail, problems)
        return response
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        response.data = error_body(code, str(exc.detail))
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = error_body("error", str(response.data["detail"]))
    return response
