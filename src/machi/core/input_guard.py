"""One guard at the edge for text no page can use: a NUL character (PostgreSQL refuses it
in text, so a search or a saved note with ``%00`` ended in a 500) or a lone surrogate.

- **Path and query string** (searches, filters, ids): the request is refused with a 400
  before any view runs, so nothing is read or written: a page in the site's look that says
  what to do, or for ``/api/`` paths the API error body
  ``{"code": "invalid_characters", "detail": …}``.
- **Form fields** (``POST``, urlencoded or multipart): NUL is removed before the view sees
  the form, and the page says so. Whatever the person typed is kept, so their form is shown
  again with its own checks (a chat question of control characters only is still "empty")
  or saved, never lost on an error page. Lone surrogates cannot arrive this way: Django
  decodes form bodies with replacement characters.
- **JSON bodies** are refused by the JSON parser (:mod:`machi.core.json_input`).

A view that reads its raw input itself and answers in its own format (the CKAN Action API,
which removes NUL like CKAN, and the file validator) is marked with
:func:`reads_own_input` and left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from machi.core import json_input
from machi.core.api import error_response

View = TypeVar("View", bound=Callable[..., Any])
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
NUL = "\x00"


def reads_own_input(view: View) -> View:
    """Mark a view that checks its own query string and body (like ``csrf_exempt``)."""
    view.reads_own_input = True  # type: ignore[attr-defined]
    return view


def _texts(data: QueryDict) -> Iterable[str]:
    for key, values in data.lists():
        yield key
        yield from (v for v in values if isinstance(v, str))


def refused_input(request: HttpRequest) -> str | None:
    """``"nul"`` or ``"surrogate"`` when the path or the query string holds one."""
    for text in (request.path, *_texts(request.GET)):
        found = json_input.bad_character(text)
        if found:
            return found
    return None


def bad_input_response(request: HttpRequest, found: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        message = json_input.characters_refused(found).message
        return error_response(400, "invalid_characters", message)
    if found == "nul":
        problem = _(
            "The address or search contains a NUL character (a control character that "
            "cannot be used). Remove it from the address or the search words and try again."
        )
    else:
        problem = _(
            "The address or search contains a broken character that is not valid text. "
            "Type the search words again."
        )
    return render(request, "core/bad_request.html", {"problem": problem}, status=400)


def _form_without_nul(request: HttpRequest) -> QueryDict | None:
    """A copy of the form without NUL, or ``None`` when the form has none."""
    if request.method != "POST" or request.content_type not in FORM_TYPES:
        return None
    form = request.POST
    if not any(NUL in text for text in _texts(form)):
        return None
    cleaned = QueryDict(mutable=True, encoding=form.encoding)
    for key, values in form.lists():
        cleaned.setlist(
            key.replace(NUL, ""), [v.replace(NUL, "") if isinstance(v, str) else v for v in values]
        )
    cleaned._mutable = False
    return cleaned


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        if getattr(view_func, "reads_own_input", False):
            return None
        found = refused_input(request)
        if found:
            return bad_input_response(request, found)
        cleaned = _form_without_nul(request)
        if cleaned is not None:
            request.POST = cleaned  # type: ignore[assignment]
            if not request.path.startswith("/api/"):
                messages.warning(
                    request,
                    _(
                        "A NUL character (a control character that cannot be stored) was "
                        "removed from what you sent. Check the text."
                    ),
                )
        return None
