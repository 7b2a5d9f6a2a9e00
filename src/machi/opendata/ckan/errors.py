"""CKAN's error types and how the Action API reports them.

Each error becomes ``{"help": …, "success": false, "error": {"__type": …, …}}`` with the
HTTP status CKAN 2.11 uses (``ckan/views/api.py``), so ``ckanapi`` turns it back into the
matching exception (``NotFound``, ``ValidationError``, ``SearchQueryError`` …).
Requests the API cannot even read (unknown action, GET on a write action, broken JSON)
are :class:`BadRequest`: a 400 whose body is a bare JSON string, as CKAN sends it.
"""

from __future__ import annotations

from typing import Any, ClassVar


class BadRequest(Exception):
    """400 with the body ``"Bad request: <message>"`` (no envelope)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def body(self) -> str:
        return f"Bad request: {self.message}"


class ActionError(Exception):
    """An error an action raises; subclasses say which CKAN ``__type`` and status."""

    type_name: ClassVar[str] = "Internal Server Error"
    status: ClassVar[int] = 500
    prefix: ClassVar[str] = ""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def error_dict(self) -> dict[str, Any]:
        message = self.prefix
        if self.message:
            message = f"{message}: {self.message}" if message else self.message
        return {"__type": self.type_name, "message": message}


class NotFound(ActionError):
    type_name = "Not Found Error"
    status = 404
    prefix = "Not found"


class NotAuthorized(ActionError):
    type_name = "Authorization Error"
    status = 403
    prefix = "Access denied"


class SearchQueryError(ActionError):
    """The query cannot be understood (bad ``fq``, ``q`` syntax)."""

    type_name = "Search Query Error"
    status = 400

    def error_dict(self) -> dict[str, Any]:
        return {
            "__type": self.type_name,
            "message": f"Search Query is invalid: {(self.message,)!r}",
        }


class SearchError(ActionError):
    """A search parameter is not allowed (unknown parameter, bad sort)."""

    type_name = "Search Error"
    status = 409

    def error_dict(self) -> dict[str, Any]:
        return {"__type": self.type_name, "message": f"Search error: {(self.message,)!r}"}


class ValidationError(ActionError):
    """Field errors, ``{"rows": ["Must be a natural number"]}``, beside ``__type`` as CKAN
    puts them (CKAN sends no ``message`` for this type)."""

    type_name = "Validation Error"
    status = 409

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors

    def error_dict(self) -> dict[str, Any]:
        return {**self.errors, "__type": self.type_name}
