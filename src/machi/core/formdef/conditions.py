"""Show/require conditions, evaluated on the server against the answers so far.

``{"field": "delivery", "equals": "mail"}``, ``{"field": "x", "in": ["a", "b"]}``,
``{"field": "x", "filled": true}``, ``{"field": "n", "gte": 2}``, and ``all`` / ``any`` /
``not`` to combine them. A checkbox list "equals" a value when that value is ticked.
The definition reader has already checked the shape, so this never meets unknown input.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def is_filled(value: object) -> bool:
    """Whether an answer was given. 0 is an answer; an unticked box is not."""
    if value is None or value is False:
        return False
    return not (isinstance(value, str | list | dict) and not value)


def _number(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _equals(answer: object, expected: object) -> bool:
    if isinstance(answer, list):
        return expected in answer
    return answer == expected


def condition_holds(condition: Mapping[str, Any] | None, answers: Mapping[str, Any]) -> bool:
    """Whether ``condition`` is true for ``answers``; no condition is always true."""
    if condition is None:
        return True
    if "all" in condition:
        return all(condition_holds(item, answers) for item in condition["all"])
    if "any" in condition:
        return any(condition_holds(item, answers) for item in condition["any"])
    if "not" in condition:
        return not condition_holds(condition["not"], answers)
    answer = answers.get(condition["field"])
    if "equals" in condition:
        return _equals(answer, condition["equals"])
    if "not_equals" in condition:
        return not _equals(answer, condition["not_equals"])
    if "in" in condition:
        return any(_equals(answer, value) for value in condition["in"])
    if "filled" in condition:
        return is_filled(answer) == condition["filled"]
    number = _number(answer)
    if number is None:
        return False
    if "gte" in condition:
        return number >= condition["gte"]
    return number <= condition["lte"]


def is_required(required: bool | Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
    if isinstance(required, bool):
        return required
    return condition_holds(required, answers)


def referenced_fields(condition: Mapping[str, Any] | None) -> set[str]:
    """The field keys a condition looks at (to know what an htmx refresh must watch)."""
    if condition is None:
        return set()
    for name in ("all", "any"):
        if name in condition:
            return set().union(*(referenced_fields(item) for item in condition[name]))
    if "not" in condition:
        return referenced_fields(condition["not"])
    return {condition["field"]}
