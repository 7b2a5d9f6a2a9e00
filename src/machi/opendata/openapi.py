"""The open data APIs in the OpenAPI schema (a drf-spectacular postprocessing hook).

The CKAN Action API and the file validator are plain Django views because they answer
exactly as CKAN and the validator's clients expect (CKAN's envelope and bare-string 400,
JSONP, form or JSON bodies, CORS); see docs/adr/0012. This hook adds their operations to
the schema DRF generates, so that ``/api/schema/`` describes every JSON API and the
schemathesis run checks these views against it like the DRF ones.
"""

from __future__ import annotations

from typing import Any

from machi.opendata.ckan import actions
from machi.opendata.ckan.datastore import LIMIT_MAX, RECORDS_FORMATS

JSON = "application/json"
TAG_CKAN = "opendata-ckan"
TAG_VALIDATE = "opendata-validate"

_STRING = {"type": "string"}
_NATURAL = {"type": "integer", "minimum": 0}
_INTEGER = {"type": "integer"}
_BOOLEAN = {"type": "boolean"}
_STRINGS = {"type": "array", "items": {"type": "string"}}
_OBJECT = {"type": "object", "additionalProperties": True}
_ANY: dict[str, Any] = {}
_REF = "#/components/schemas/"


def _p(name: str, schema: dict[str, Any], description: str = "", **more: Any) -> dict[str, Any]:
    return {"name": name, "schema": schema, "description": description, **more}


_LIST_PARAMS = [
    _p("sort", _STRING, "title, name or package_count, with asc/desc (default: title asc)"),
    _p("all_fields", _BOOLEAN, "records instead of names"),
    _p("limit", _NATURAL, "at most 1000 names or 25 records"),
    _p("offset", _NATURAL),
    _p("include_dataset_count", _BOOLEAN),
    _p("q", _STRING, "only those whose name or title contains this"),
]

#: Each read action: its parameters (query string on GET, JSON members on POST) and result.
READ_ACTIONS: dict[str, tuple[list[dict[str, Any]], dict[str, Any]]] = {
    "status_show": ([], {"type": "object", "required": ["ckan_version", "site_url"]}),
    "package_list": (
        [_p("limit", _NATURAL, "how many names (default: all)"), _p("offset", _NATURAL)],
        _STRINGS,
    ),
    "package_show": (
        [_p("id", _STRING, "the dataset's name or id", required=True)],
        {"$ref": f"{_REF}CkanPackage"},
    ),
    "package_search": (
        [
            _p("q", _STRING, "words, or field:value (default *:*)"),
            _p("fq", _STRING, 'filter, e.g. tags:防災 organization:"110"'),
            _p("fq_list", _STRINGS, "several filters", style="form", explode=True),
            _p("rows", _NATURAL, "results per page (default 10, at most 1000)"),
            _p("start", _NATURAL, "results to skip"),
            _p("sort", _STRING, "e.g. metadata_modified desc"),
            _p("facet", _BOOLEAN),
            _p("facet.field", _STRING, 'JSON list, e.g. ["tags","organization"]'),
            _p("facet.limit", _INTEGER, "default 50, -1 for all"),
            _p("facet.mincount", _NATURAL),
            _p("fl", _STRING, "only these keys of each result (names separated by commas)"),
        ],
        {
            "type": "object",
            "required": ["count", "results", "sort", "facets", "search_facets"],
            "properties": {
                "count": _NATURAL,
                "results": {"type": "array", "items": _OBJECT},
                "sort": _STRING,
                "facets": _OBJECT,
                "search_facets": _OBJECT,
            },
        },
    ),
    "organization_list": (
        [*_LIST_PARAMS, _p("organizations", _STRINGS, "only these", style="form", explode=True)],
        {"type": "array"},
    ),
    "organization_show": (
        [
            _p("id", _STRING, "department code or id", required=True),
            _p("include_datasets", _BOOLEAN, "with its first 10 datasets"),
        ],
        _OBJECT,
    ),
    "group_list": (
        [*_LIST_PARAMS, _p("groups", _STRINGS, "only these", style="form", explode=True)],
        {"type": "array"},
    ),
    "group_show": (
        [
            _p("id", _STRING, "the group's name or id", required=True),
            _p("include_datasets", _BOOLEAN, "with its first 10 datasets"),
        ],
        _OBJECT,
    ),
    "tag_list": (
        [_p("query", _STRING, "only tags containing this"), _p("all_fields", _BOOLEAN)],
        {"type": "array"},
    ),
    "license_list": ([], {"type": "array", "items": _OBJECT}),
    "resource_show": ([_p("id", _STRING, "the resource's id", required=True)], _OBJECT),
    "datastore_search": (
        [
            _p("resource_id", _STRING, "the resource's id", required=True),
            _p("filters", _STRING, 'JSON object, e.g. {"種別": "指定避難所"}'),
            _p("q", _STRING, 'text found in any column, or a JSON object {"column": "text"}'),
            _p("full_text", _STRING),
            _p("fields", _STRING, "columns to return, separated by commas"),
            _p("sort", _STRING, "e.g. 名称 asc, 収容人数 desc"),
            _p("limit", _NATURAL, f"rows (default 100, at most {LIMIT_MAX})"),
            _p("offset", _NATURAL),
            _p("include_total", _BOOLEAN),
            _p("distinct", _BOOLEAN),
            _p("records_format", {"type": "string", "enum": list(RECORDS_FORMATS)}),
        ],
        {
            "type": "object",
            "required": ["fields", "records", "records_format", "limit", "offset"],
            "properties": {
                "fields": {"type": "array", "items": _OBJECT},
                "records": _ANY,
                "records_format": _STRING,
                "limit": _NATURAL,
                "offset": _NATURAL,
                "total": _NATURAL,
            },
        },
    ),
    "help_show": ([_p("name", _STRING, "an action's name", required=True)], _STRING),
}

_CALLBACK = _p(
    "callback",
    {"type": "string", "maxLength": 100, "pattern": r"^[A-Za-z_$][A-Za-z0-9_$]*$"},
    "JSONP: wrap a successful reply as callback(...);",
)

COMPONENTS: dict[str, Any] = {
    "CkanError": {
        "type": "object",
        "description": "CKAN's error envelope; Validation Error adds one list of messages "
        "per wrong parameter beside __type.",
        "required": ["help", "success", "error"],
        "properties": {
            "help": _STRING,
            "success": {"type": "boolean", "enum": [False]},
            "error": {
                "type": "object",
                "required": ["__type"],
                "properties": {"__type": _STRING, "message": _STRING},
                "additionalProperties": True,
            },
        },
    },
    "CkanBadRequest": {
        "description": 'CKAN\'s 400: the bare JSON string "Bad request: <reason>" when the '
        "request cannot be read (unknown action, GET on a write action, JSON that is broken, "
        "too large, nested too deeply or holds a lone surrogate), or the error envelope for a "
        "Search Query Error (fq or q that cannot be parsed).",
        "oneOf": [
            {"type": "string", "pattern": "^Bad request: "},
            {"$ref": f"{_REF}CkanError"},
        ],
    },
    "CkanPackage": {
        "type": "object",
        "required": ["id", "name", "title", "resources"],
        "properties": {
            "id": _STRING,
            "name": _STRING,
            "title": _STRING,
            "resources": {"type": "array", "items": _OBJECT},
        },
    },
    "OpendataError": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "message_ja", "message_en"],
                "properties": {
                    "code": _STRING,
                    "message": _STRING,
                    "message_ja": _STRING,
                    "message_en": _STRING,
                },
            }
        },
    },
    "ValidationReport": {
        "type": "object",
        "required": [
            "version",
            "valid",
            "readable",
            "schema",
            "encoding",
            "has_bom",
            "rows",
            "columns",
            "headers",
            "counts",
            "by_code",
            "by_column",
            "problems",
            "truncated",
        ],
        "properties": {
            "version": _INTEGER,
            "valid": _BOOLEAN,
            "readable": _BOOLEAN,
            "schema": {"type": "string", "nullable": True},
            "schema_title": {"type": "string", "nullable": True},
            "layout": {"type": "string", "nullable": True},
            "encoding": {"type": "string", "nullable": True},
            "has_bom": _BOOLEAN,
            "size": _NATURAL,
            "rows": _NATURAL,
            "column_count": _NATURAL,
            "columns": _STRINGS,
            "headers": {"type": "array", "items": _OBJECT},
            "counts": {"type": "object", "additionalProperties": _NATURAL},
            "by_code": {"type": "object", "additionalProperties": _NATURAL},
            "by_column": {"type": "object", "additionalProperties": _NATURAL},
            "problems": {"type": "array", "items": {"$ref": f"{_REF}ValidationProblem"}},
            "limit_per_code": _NATURAL,
            "truncated": _BOOLEAN,
            "elapsed_ms": {"type": "number"},
        },
    },
    "ValidationProblem": {
        "type": "object",
        "required": ["code", "severity", "message_ja", "message_en", "fix_ja", "fix_en"],
        "properties": {
            "code": _STRING,
            "severity": {"type": "string", "enum": ["error", "warning", "info"]},
            "row": {"type": "integer", "nullable": True},
            "column": {"type": "string", "nullable": True},
            "column_number": {"type": "integer", "nullable": True},
            "value": {"type": "string", "nullable": True},
            "message_ja": _STRING,
            "message_en": _STRING,
            "fix_ja": _STRING,
            "fix_en": _STRING,
            "suggestion": {"type": "string", "nullable": True},
            "field": {"type": "string", "nullable": True},
            "related_rows": {"type": "array", "items": _INTEGER},
        },
    },
}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"{_REF}{name}"}


def _ckan_errors(*, write: bool = False) -> dict[str, Any]:
    errors = {
        "400": _json(_ref("CkanBadRequest"), "The request cannot be read, or a query error."),
    }
    if write:
        errors["403"] = _json(_ref("CkanError"), "Authorization Error: this API is read-only.")
    else:
        errors["404"] = _json(_ref("CkanError"), "Not Found Error.")
        errors["409"] = _json(
            _ref("CkanError"), "Validation Error (a parameter is wrong) or Search Error."
        )
    return errors


#: An action name the URL pattern does not take ([A-Za-z0-9_]+) is the URL resolver's 404.
_NO_SUCH_PATH = {"404": _json(_ref("ApiError"), "Not an action address.")}


def _success(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["help", "success", "result"],
        "properties": {
            "help": _STRING,
            "success": {"type": "boolean", "enum": [True]},
            "result": result,
        },
    }


def _read_operations(name: str) -> dict[str, Any]:
    params, result = READ_ACTIONS[name]
    doc = (actions.ACTIONS[name].function.__doc__ or "").strip().split("\n")[0]
    ok = _success(result)
    get_params = [{"in": "query", **p} for p in params] + [{"in": "query", **_CALLBACK}]
    body_props = {p["name"]: _ANY if p["schema"] is _STRINGS else p["schema"] for p in params}
    required = [p["name"] for p in params if p.get("required")]
    body: dict[str, Any] = {"type": "object", "properties": body_props}
    if required:
        body["required"] = required
    return {
        "get": {
            "operationId": f"ckan_{name}",
            "summary": f"CKAN {name}",
            "description": doc,
            "tags": [TAG_CKAN],
            "parameters": get_params,
            "security": [],
            "responses": {
                "200": {
                    "description": "CKAN's success envelope (JSONP with callback=).",
                    "content": {
                        JSON: {"schema": ok},
                        "application/javascript": {"schema": _STRING},
                    },
                },
                **_ckan_errors(),
            },
        },
        "post": {
            "operationId": f"ckan_{name}_post",
            "summary": f"CKAN {name} (parameters as a JSON body)",
            "description": doc,
            "tags": [TAG_CKAN],
            "requestBody": {"required": False, "content": {JSON: {"schema": body}}},
            "security": [],
            "responses": {"200": _json(ok, "CKAN's success envelope."), **_ckan_errors()},
        },
    }


def _write_operations() -> dict[str, Any]:
    name = {
        "name": "name",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": list(actions.WRITE_ACTIONS)},
    }
    return {
        "get": {
            "parameters": [name],
            "operationId": "ckan_write_action_get",
            "summary": "CKAN write actions: a GET is CKAN's 400 (use POST)",
            "tags": [TAG_CKAN],
            "security": [],
            "responses": {"400": _ckan_errors(write=True)["400"], **_NO_SUCH_PATH},
        },
        "post": {
            "parameters": [name],
            "operationId": "ckan_write_action",
            "summary": "CKAN write actions: refused, publishing happens on the staff pages",
            "tags": [TAG_CKAN],
            "requestBody": {"required": False, "content": {JSON: {"schema": _OBJECT}}},
            "security": [],
            "responses": {**_ckan_errors(write=True), **_NO_SUCH_PATH},
        },
    }


def _validate_operation() -> dict[str, Any]:
    from machi.opendata.table_schemas import schema_names

    schema_param = {"type": "string", "enum": list(schema_names())}
    error = _ref("OpendataError")
    return {
        "post": {
            "operationId": "opendata_validate",
            "summary": "Check a CSV file against a 自治体標準オープンデータセット table schema",
            "description": "The file is the multipart field `file` or the whole request body. "
            "A file that cannot be read at all is still a 200 report with readable false.",
            "tags": [TAG_VALIDATE],
            "parameters": [
                {"in": "query", "name": "schema", "schema": schema_param, "required": False}
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": ["file"],
                            "properties": {
                                "file": {"type": "string", "format": "binary"},
                                "schema": schema_param,
                            },
                        }
                    },
                    "text/csv": {"schema": {"type": "string", "format": "binary"}},
                },
            },
            "security": [],
            "responses": {
                "200": _json(_ref("ValidationReport"), "The validator's report."),
                "400": _json(error, "missing_file, empty_file, unknown_schema or bad_request."),
                "413": _json(error, "too_large: above MACHI_OPENDATA_MAX_UPLOAD_MB."),
                "429": _json(error, "rate_limited: too many checks from this address."),
            },
        }
    }


def opendata_paths(
    result: dict[str, Any], generator: Any, request: Any, public: Any
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: add the CKAN Action API and the validator."""
    paths = result.setdefault("paths", {})
    paths["/api/3"] = {
        "get": {
            "operationId": "ckan_api_version",
            "summary": "CKAN API version",
            "tags": [TAG_CKAN],
            "security": [],
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "required": ["version"],
                        "properties": {"version": _INTEGER},
                    },
                    'Always {"version": 3}.',
                )
            },
        }
    }
    for name in READ_ACTIONS:
        paths[f"/api/3/action/{name}"] = _read_operations(name)
    paths["/api/3/action/{name}"] = _write_operations()
    paths["/api/opendata/validate"] = _validate_operation()
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    tags = result.setdefault("tags", [])
    tags += [
        {
            "name": TAG_CKAN,
            "description": "CKAN 2.11 Action API (read-only); also at /api/action/<name>. "
            "docs/opendata.md",
        },
        {"name": TAG_VALIDATE, "description": "The open data file validator."},
    ]
    return result
