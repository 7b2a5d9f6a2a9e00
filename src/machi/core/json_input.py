"""Reading JSON that comes from outside (request bodies, JSON inside parameters), within
limits, for every API: the DRF parser (:mod:`machi.core.api`) and the CKAN Action API
reader (``machi.opendata.ckan.params``) both call :func:`loads`.

Python's ``json`` recurses once per nesting level, so ``[[[[…]]]]`` 50,000 levels deep
ends in ``RecursionError`` (a 500) instead of a clean refusal. :func:`loads` counts the
nesting first without recursing, refuses bodies above :func:`max_bytes`, and refuses text
PostgreSQL cannot store or Python cannot encode: NUL (``\\u0000``) and lone surrogates
(``"\\ud800"``). Every refusal is a :class:`JSONInputError` (a ``ValueError``) with a stable
``code`` and a message in Japanese and English.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: Deepest nesting of arrays and objects accepted. machi's own documents (form
#: definitions with conditions) stay under 20 levels; CKAN parameters under 5.
MAX_DEPTH = 64
#: Used when DATA_UPLOAD_MAX_MEMORY_SIZE is None (Django's default is the same).
DEFAULT_MAX_BYTES = 2_621_440

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_NUL = "\x00"
_SURROGATE = re.compile("[\ud800-\udfff]")


def max_bytes() -> int:
    """The largest JSON body read: Django's limit for request bodies that are not files
    (``DATA_UPLOAD_MAX_MEMORY_SIZE``, 2.5 MB unless configured)."""
    configured = getattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", None)
    return int(configured) if configured else DEFAULT_MAX_BYTES


def bilingual(message: Promise | str, **values: Any) -> str:
    """``"<Japanese> / <English>"`` whatever language the request asked for."""
    texts = []
    for language in ("ja", "en"):
        with translation.override(language):
            text = str(message)
            texts.append(text % values if values else text)
    ja, en = texts
    return ja if ja == en else f"{ja} / {en}"


class JSONInputError(ValueError):
    """JSON refused before or after parsing; ``code`` is one of ``too_large``,
    ``too_deep`` and ``invalid_characters``; ``message`` is Japanese / English."""

    def __init__(self, code: str, message: Promise | str, **values: Any) -> None:
        self.code = code
        self.message = bilingual(message, **values)
        super().__init__(self.message)


def too_large(limit: int) -> JSONInputError:
    return JSONInputError(
        "too_large",
        _("The JSON body is larger than %(kb)s KB. Send less data in one request."),
        kb=limit // 1024,
    )


def too_deep(max_depth: int = MAX_DEPTH) -> JSONInputError:
    return JSONInputError(
        "too_deep",
        _(
            "The JSON is nested more than %(depth)s levels deep. "
            "Send flatter data (fewer arrays and objects inside each other)."
        ),
        depth=max_depth,
    )


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in ``text``, counted without recursion
    (brackets inside strings do not count)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def bad_character(text: str, *, allow_nul: bool = False) -> str | None:
    """``"nul"`` or ``"surrogate"`` when ``text`` holds a character no database or
    encoder accepts, else ``None``."""
    if not allow_nul and _NUL in text:
        return "nul"
    if _SURROGATE.search(text):
        return "surrogate"
    return None


def characters_refused(found: str) -> JSONInputError:
    if found == "nul":
        return JSONInputError(
            "invalid_characters",
            _(
                "The text contains a NUL character (\\u0000), which cannot be stored. "
                "Remove it and send again."
            ),
        )
    return JSONInputError(
        "invalid_characters",
        _(
            "The text contains a lone surrogate (such as \\ud800) that is not a character. "
            "Send valid UTF-8 text."
        ),
    )


def check_strings(value: Any, *, allow_nul: bool = False) -> None:
    """Refuse NUL (unless ``allow_nul``) and lone surrogates in every string and key."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found = bad_character(item, allow_nul=allow_nul)
            if found:
                raise characters_refused(found)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def loads(
    raw: bytes | str,
    *,
    max_depth: int = MAX_DEPTH,
    limit: int | None = None,
    allow_nul: bool = False,
    parse_constant: Callable[[str], Any] | None = None,
) -> Any:
    """``json.loads`` for input from outside.

    Raises:
        JSONInputError: larger than ``limit`` (default :func:`max_bytes`), nested deeper
            than ``max_depth``, or holding NUL / lone surrogates in a string.
        ValueError: not JSON at all (``json.JSONDecodeError``, ``UnicodeDecodeError``).
    """
    limit = max_bytes() if limit is None else limit
    if len(raw) > limit:
        raise too_large(limit)
    text = raw if isinstance(raw, str) else raw.decode(json.detect_encoding(raw), "surrogatepass")
    if nesting_depth(text) > max_depth:
        raise too_deep(max_depth)
    value = json.loads(text, parse_constant=parse_constant)
    check_strings(value, allow_nul=allow_nul)
    return value


class BoundedJSONDecoder(json.JSONDecoder):
    """A decoder with :func:`loads`' depth and text checks, for code that takes a decoder
    class (Django's ``forms.JSONField(decoder=...)`` in the admin). Refusals are
    ``json.JSONDecodeError``, which such forms show as an error on the field."""

    def decode(self, s: str, *args: Any, **kwargs: Any) -> Any:
        try:
            if nesting_depth(s) > MAX_DEPTH:
                raise too_deep()
            value = super().decode(s, *args, **kwargs)
            check_strings(value)
        except JSONInputError as exc:
            raise json.JSONDecodeError(exc.message, s, 0) from exc
        return value
