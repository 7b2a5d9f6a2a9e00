"""Computed values (e.g. a fee), in whole numbers, evaluated on the server.

An expression is a whole number or an object with one operator:

* ``{"field": "count"}`` the answer of a number or yen field (0 when empty);
* ``{"price": "item"}`` the price of the chosen choice (the sum for a checkbox list);
* ``{"add": [...]}``, ``{"mul": [...]}``, ``{"min": [...]}``, ``{"max": [...]}``;
* ``{"sum": {"group": "items", "of": <expression>}}`` over each item of a repeating group,
  where ``field`` and ``price`` name the group's own fields;
* ``{"count": "items"}`` the number of items in a group;
* ``{"if": {"when": <condition>, "then": <expression>, "else": <expression>}}``.

Results are clamped to ±10^12 so no answer can make a number the database cannot hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from machi.core.formdef.conditions import condition_holds
from machi.core.formdef.definition import Field, FormSpec

LIMIT: Final = 10**12


def _clamp(value: int) -> int:
    return max(-LIMIT, min(LIMIT, value))


def _price(field: Field | None, answer: object) -> int:
    if field is None:
        return 0
    chosen = answer if isinstance(answer, list) else [answer]
    return sum((c.price or 0) for c in field.choices if c.value in chosen)


def _value(answer: object) -> int:
    return answer if isinstance(answer, int) and not isinstance(answer, bool) else 0


def evaluate(
    expr: Any,
    answers: Mapping[str, Any],
    fields: Mapping[str, Field],
    *,
    top: Mapping[str, Any] | None = None,
    top_fields: Mapping[str, Field] | None = None,
) -> int:
    top = answers if top is None else top
    top_fields = fields if top_fields is None else top_fields
    if isinstance(expr, int) and not isinstance(expr, bool):
        return _clamp(expr)
    if not isinstance(expr, Mapping) or len(expr) != 1:
        return 0
    name, arg = next(iter(expr.items()))
    if name == "field":
        return _value(answers.get(arg))
    if name == "price":
        return _clamp(_price(fields.get(arg), answers.get(arg)))
    if name in ("add", "mul", "min", "max"):
        values = [evaluate(item, answers, fields, top=top, top_fields=top_fields) for item in arg]
        if name == "add":
            return _clamp(sum(values))
        if name == "min":
            return _clamp(min(values))
        if name == "max":
            return _clamp(max(values))
        result = 1
        for value in values:
            result = _clamp(result * value)
        return result
    if name == "sum":
        group = top_fields.get(arg["group"])
        items = top.get(arg["group"]) or []
        children = {f.key: f for f in group.fields} if group else {}
        total = 0
        for item in items if isinstance(items, list) else []:
            if isinstance(item, Mapping):
                total = _clamp(
                    total + evaluate(arg["of"], item, children, top=top, top_fields=top_fields)
                )
        return total
    if name == "count":
        items = top.get(arg)
        return len(items) if isinstance(items, list) else 0
    if name == "if":
        branch = "then" if condition_holds(arg["when"], top) else "else"
        return evaluate(arg[branch], answers, fields, top=top, top_fields=top_fields)
    return 0


def computed_values(spec: FormSpec, answers: Mapping[str, Any]) -> dict[str, int]:
    """Every computed value of the form for these answers, in definition order."""
    return {c.key: evaluate(c.expr, answers, spec.fields_by_key) for c in spec.computed}
