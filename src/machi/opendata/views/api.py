"""The open data APIs: CKAN's Action API and the file validator.

``/api/3/action/<name>`` and ``/api/action/<name>`` (where ``ckanapi`` posts) answer like
CKAN 2.11's ``ckan/views/api.py``: read actions take GET query parameters (a repeated key
is a list) or a JSON body; the reply is ``{"help", "success", "result"}`` or
``{"help", "success": false, "error": {"__type", …}}`` with CKAN's status codes; JSONP
``callback=`` wraps successful GET replies. Requests are anonymous and see only the
requesting municipality's published datasets. The actions are in
:mod:`machi.opendata.ckan.actions`.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from machi.core import ratelimit
from machi.core.input_guard import reads_own_input
from machi.opendata.ckan import actions
from machi.opendata.ckan.errors import ActionError, BadRequest
from machi.opendata.ckan.params import request_data
from machi.opendata.ckan.serializers import Context

JSON_TYPE = "application/json;charset=utf-8"
JSONP_TYPE = "application/javascript;charset=utf-8"
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$")


def _dumps(data: Any) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)


def _finish(request: HttpRequest, status: int, data: Any) -> HttpResponse:
    """CKAN's ``_finish``: JSON, wrapped as ``callback(...);`` for a successful GET."""
    body = _dumps(data)
    content_type = JSON_TYPE
    callback = request.GET.get("callback") if request.method == "GET" else None
    if status == 200 and callback:
        body = f"{callback}({body});"
        content_type = JSONP_TYPE
    response = HttpResponse(body, status=status, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return _finish(request, 400, BadRequest(message).body())


def _context(request: HttpRequest) -> Context:
    return Context(
        municipality=request.municipality,  # type: ignore[attr-defined]
        site_url=request.build_absolute_uri("/").rstrip("/"),
    )


@csrf_exempt
@require_safe
def api_version(request: HttpRequest) -> HttpResponse:
    """``GET /api/3`` → ``{"version": 3}``."""
    return _finish(request, 200, {"version": 3})


@csrf_exempt
@reads_own_input
def action(request: HttpRequest, action: str, version: str | None = None) -> HttpResponse:
    """Run one Action API call (GET for read actions, POST for any)."""
    if version is not None and version != "3":
        raise Http404
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type"
        response["Access-Control-Max-Age"] = "86400"
        return response
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, POST, OPTIONS"})
    found = actions.ACTIONS.get(action)
    if found is None:
        return _bad_request(request, f"Action name not known: {action}")
    callback = request.GET.get("callback") if request.method == "GET" else None
    if callback is not None and not (len(callback) <= 100 and _CALLBACK.match(callback)):
        return _bad_request(request, "Invalid callback: use a JavaScript function name")
    ctx = _context(request)
    help_url = f"{ctx.absolute(ctx.action_url('help_show'))}?{urlencode({'name': action})}"
    try:
        data = request_data(request, side_effect_free=found.side_effect_free)
    except BadRequest as exc:
        return _finish(request, 400, exc.body())
    except (SuspiciousOperation, MultiPartParserError) as exc:
        return _bad_request(request, f"JSON Error: {exc}")
    data.pop("callback", None)
    if callback is not None:
        data.pop("_", None)  # jQuery's cache buster beside a JSONP callback
    try:
        result = found.function(ctx, data)
    except ActionError as exc:
        error = {"help": help_url, "success": False, "error": exc.error_dict()}
        return _finish(request, exc.status, error)
    return _finish(request, 200, {"help": help_url, "success": True, "result": result})


# --- Validator API -------------------------------------------------------------------------

MULTIPART_ALLOWANCE = 1024 * 1024  # form fields and boundaries around the file


def _problem(status: int, code: str, message: Promise | str, **values: Any) -> JsonResponse:
    """An error in Japanese and English, whatever language the request asked for."""
    with translation.override("ja"):
        ja = str(message) % values if values else str(message)
    with translation.override("en"):
        en = str(message) % values if values else str(message)
    return JsonResponse(
        {
            "error": {
                "code": code,
                "message": ja if ja == en else f"{ja} / {en}",
                "message_ja": ja,
                "message_en": en,
            }
        },
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _too_large(max_bytes: int) -> JsonResponse:
    return _problem(
        413,
        "too_large",
        _("The file is larger than %(mb)s MB. Split it into smaller files."),
        mb=max_bytes // (1024 * 1024),
    )


@csrf_exempt
@reads_own_input
def validate(request: HttpRequest) -> HttpResponse:
    """Check a CSV file against a 自治体標準オープンデータセット Table Schema.

    ``POST /api/opendata/validate?schema=<name>`` with the file either as the multipart
    field ``file`` (``schema`` may also be a form field) or as the raw request body.
    ``schema`` is optional (without it only encoding and shape are checked); the names
    are those of ``machi.opendata.table_schemas.schema_names()``.

    200: the validator's report, ``{"version", "valid", "readable", "schema",
    "encoding", "has_bom", "rows", "columns", "headers", "counts": {"error", "warning",
    …}, "by_code", "by_column", "problems": [{"row", "column", "value", "code",
    "severity", "message_ja", "message_en", "fix_ja", "fix_en", "suggestion"}, …], …}``.
    A file that cannot be read at all is still a 200 report with ``"readable": false``.

    Errors: ``{"error": {"code", "message", "message_ja", "message_en"}}`` with 400
    (``missing_file``, ``empty_file``, ``unknown_schema``, ``bad_request``), 405 (not a
    POST), 413 (``too_large``: above the staff upload limit, ``MACHI_OPENDATA_MAX_UPLOAD_MB``)
    or 429 (``rate_limited``).
    """
    from machi.opendata.services.resources import max_upload_bytes

    if request.method != "POST":
        response = _problem(
            405, "method_not_allowed", _("Send the file with POST to /api/opendata/validate.")
        )
        response["Allow"] = "POST"
        return response
    if not ratelimit.OPENDATA_VALIDATIONS.allow(request):
        return _problem(
            429, "rate_limited", _("Too many checks from this address. Wait a minute and retry.")
        )
    max_bytes = max_upload_bytes()
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_bytes + MULTIPART_ALLOWANCE:
        return _too_large(max_bytes)
    schema = request.GET.get("schema", "")
    try:
        if request.content_type == "multipart/form-data":
            schema = schema or request.POST.get("schema", "")
            upload = request.FILES.get("file")
            if upload is None:
                return _problem(
                    400, "missing_file", _("Attach the CSV file in the form field “file”.")
                )
            if upload.size is not None and upload.size > max_bytes:
                return _too_large(max_bytes)
            content = upload.read()
        else:
            content = request.read(max_bytes + 1)
            if not content:
                return _problem(
                    400,
                    "missing_file",
                    _("Send the CSV file as the request body or as the form field “file”."),
                )
    except (RequestDataTooBig, TooManyFieldsSent, SuspiciousOperation, MultiPartParserError):
        return _problem(400, "bad_request", _("The upload could not be read. Send it again."))
    if len(content) > max_bytes:
        return _too_large(max_bytes)
    if not content:
        return _problem(400, "empty_file", _("The file is empty."))
    from machi.opendata.table_schemas import schema_names

    schema = schema.strip()
    if schema and schema not in schema_names():
        return _problem(
            400,
            "unknown_schema",
            _("Unknown table schema “%(name)s”. Use one of: %(names)s."),
            name=schema[:60],
            names=", ".join(schema_names()),
        )
    from machi.opendata.validation import validate_bytes

    report = validate_bytes(content, schema or None).to_dict()
    return JsonResponse(report, json_dumps_params={"ensure_ascii": False})
