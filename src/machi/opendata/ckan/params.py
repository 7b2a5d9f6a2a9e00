"""Reading Action API requests the way CKAN 2.11 does (``ckan/views/api.py``) and checking
their parameters with CKAN's validators and messages (``ckan/lib/navl``,
``ckan/logic/validators.py``).

Where CKAN would turn a harmless request into an error only because of how query strings
carry lists, machi accepts it (documented at each helper): a lone ``facet.field=tags`` or
``fq_list=…`` from ``ckanapi``'s ``get_only`` mode is read as a one-item list.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from typing import Any, Final

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, QueryDict

from machi.core import json_input
from machi.opendata.ckan.errors import BadRequest, ValidationError

MISSING = "Missing value"
INVALID_INTEGER = "Invalid integer"
NOT_NATURAL = "Must be a natural number"
NOT_JSON = "Could not parse as valid JSON"
NOT_A_LIST = "Not a list"
NOT_A_STRING = "Not a string"
INT_LIMIT = 2**31 - 1
TRUE_WORDS = frozenset({"true", "yes", "t", "y", "1", "on"})
# What Params.parsed_json gives back for text that is not acceptable JSON.
INVALID: Final = object()


def _mixed(multi: QueryDict) -> dict[str, Any]:
    """One value stays a string; a repeated key becomes a list (CKAN's ``mixed``)."""
    return {key: values[0] if len(values) == 1 else values for key, values in multi.lists()}


def json_from_parameter(text: str | bytes) -> Any:
    """JSON from the request within machi's limits (:mod:`machi.core.json_input`); NUL is
    let through because :meth:`Params._get` removes it, as CKAN's validators do.

    Raises:
        json_input.JSONInputError: too large, too deep, or a lone surrogate.
        ValueError: not JSON.
    """
    return json_input.loads(text, allow_nul=True)


def _body_json(raw: bytes) -> Any:
    try:
        return json_from_parameter(raw)
    except json_input.JSONInputError as exc:
        raise BadRequest(f"JSON Error: {exc.message}") from exc
    except ValueError as exc:
        shown = raw[:200].decode("utf-8", "replace")
        raise BadRequest(
            f"JSON Error: Error decoding JSON data. Error: {exc!r} "
            f"JSON data extracted from the request: {shown!r}"
        ) from exc


def request_data(request: HttpRequest, *, side_effect_free: bool) -> dict[str, Any]:
    """The action's ``data_dict``: form fields, else (for read actions) the query string,
    else a JSON body. Raises :class:`BadRequest` like CKAN when it cannot be read."""
    if request.method == "GET" and not side_effect_free:
        raise BadRequest("JSON Error: Invalid request. Please use POST method for your request")
    content_type = request.content_type or ""
    data: Any = {}
    try:
        form = (
            request.POST
            if request.method == "POST"
            and content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
            else QueryDict()
        )
        if form:
            values = [form.get(key) for key in form]
            if len(values) == 1 and values[0] in ("1", ""):
                data = _body_json(next(iter(form)).encode())  # old clients: JSON as the key
            else:
                data = _mixed(form)
        elif request.GET and side_effect_free:
            data = _mixed(request.GET)
        elif content_type != "multipart/form-data":
            raw = request.body
            if raw.strip():
                data = _body_json(raw)
    except (RequestDataTooBig, TooManyFieldsSent) as exc:
        raise BadRequest(f"JSON Error: The request is too large: {exc}") from exc
    if not isinstance(data, dict):
        raise BadRequest(
            "JSON Error: Request data JSON decoded to "
            f"{json.dumps(data, ensure_ascii=False)[:200]} but it needs to be a dictionary."
        )
    return data


class Params:
    """Typed reads of a ``data_dict`` that collect CKAN-style field errors.

    ``None`` counts as missing (``ignore_missing``). Call :meth:`check` when done to raise
    one :class:`ValidationError` with every field error; :meth:`unknown` lists the keys no
    read asked about.
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = dict(data)
        self.errors: dict[str, list[str]] = {}
        self.seen: set[str] = set()

    def _get(self, key: str) -> Any:
        self.seen.add(key)
        value = self.data.get(key)
        if isinstance(value, str):
            value = value.replace("\x00", "")  # no database takes NUL in text
            if not value.strip() and key != "q":
                return None
        return value

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def parsed_json(self, key: str, text: str) -> Any:
        """``text`` of parameter ``key`` as JSON, or :data:`INVALID` with the reason
        recorded under ``key`` (not JSON, or beyond machi's limits)."""
        try:
            return json_from_parameter(text)
        except json_input.JSONInputError as exc:
            self.error(key, exc.message)
        except ValueError:
            self.error(key, NOT_JSON)
        return INVALID

    def accept(self, *keys: str) -> None:
        """Keys that are allowed but have no effect here (Solr tuning, private data)."""
        self.seen.update(keys)

    def integer(self, key: str, default: int | None = None, *, natural: bool = False) -> int | None:
        value = self._get(key)
        if value is None:
            return default
        number = _as_int(value)
        if number is None:
            self.error(key, INVALID_INTEGER)
            return default
        if natural and number < 0:
            self.error(key, NOT_NATURAL)
            return default
        # Beyond 2**31 a count or position means the same as 2**31 (everything, or past
        # the end), and databases refuse larger LIMIT/OFFSET values.
        return max(-INT_LIMIT, min(number, INT_LIMIT))

    def natural(self, key: str, default: int | None = None) -> int | None:
        return self.integer(key, default, natural=True)

    def string(self, key: str, default: str | None = None) -> str | None:
        value = self._get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.error(key, NOT_A_STRING)
            return default
        return str(value)

    def required(self, key: str, *aliases: str) -> str:
        for name in (key, *aliases):
            value = self.string(name)
            if value is not None and value.strip():
                return value.strip()
        if key not in self.errors:
            self.error(key, MISSING)
        return ""

    def boolean(self, key: str, default: bool = False) -> bool:
        """CKAN's ``boolean_validator``: true/yes/t/y/1/on are true, anything else false."""
        value = self._get(key)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in TRUE_WORDS

    def string_list(self, key: str, *, json_string: bool = False) -> list[str] | None:
        """A list of strings. A JSON list in a string is parsed; with ``json_string`` (CKAN's
        ``convert_to_json_if_string``) any other string must be JSON too, otherwise a lone
        string is a one-item list."""
        value = self._get(key)
        if value is None:
            return None
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("[") or json_string:
                value = self.parsed_json(key, text)
                if value is INVALID:
                    return None
            else:
                return [text]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.error(key, NOT_A_LIST)
            return None
        for item in value:
            if not isinstance(item, str):
                self.error(key, f"{NOT_A_STRING}: {item}")
                return None
        return value

    def field_names(self, key: str) -> list[str] | None:
        """``"a,b"``, ``"a b"``, ``["a", "b"]`` or ``'["a", "b"]'`` → ``["a", "b"]``."""
        value = self._get(key)
        if value is None:
            return None
        if isinstance(value, str) and value.strip().startswith("["):
            value = self.parsed_json(key, value)
            if value is INVALID:
                return None
        items = value if isinstance(value, list) else [value]
        names: list[str] = []
        for item in items:
            if not isinstance(item, str):
                self.error(key, f"{NOT_A_STRING}: {item}")
                return None
            names += [n for n in re.split(r"[\s,]+", item) if n]
        return names

    def json_value(self, key: str) -> Any:
        """A dict or list, given as such or as a JSON string (CKAN's ``json_validator``)."""
        value = self._get(key)
        if isinstance(value, str):
            value = self.parsed_json(key, value)
            return None if value is INVALID else value
        return value

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)

    def unknown(self, allowed: Collection[str] = ()) -> list[str]:
        return sorted(k for k in self.data if k not in self.seen and k not in allowed)


def _as_int(value: Any) -> int | None:
    """CKAN's ``int_validator``: whole numbers, as numbers or digit strings."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None
