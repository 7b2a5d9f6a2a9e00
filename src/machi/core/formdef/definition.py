"""Reading and checking a form definition (``machi-form/1``).

A definition is JSON: steps of fields, optional computed values. :func:`parse_definition`
either returns an immutable :class:`FormSpec` or raises :class:`DefinitionError` listing
every problem with its path (``steps[1].fields[0].choices``), so staff can fix them all
at once in the admin. The format is documented in ``docs/procedures.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from django.utils.translation import gettext as _

from machi.core.localized import localized

FORMAT: Final = "machi-form/1"

TEXT_TYPES: Final = frozenset({"text", "textarea", "kana", "address", "email"})
CHOICE_TYPES: Final = frozenset({"select", "radio", "checkbox"})
FIELD_TYPES: Final = frozenset(
    {
        *TEXT_TYPES,
        *CHOICE_TYPES,
        "date",
        "number",
        "yen",
        "postal_code",
        "phone",
        "file",
        "group",
    }
)
#: Where a field's first value can come from (once-only): the resident's verified
#: attributes (OpenID Connect) or profile, or the account itself.
PREFILL_SOURCES: Final = frozenset(
    {
        *("name", "name_kana", "address", "postal_code", "phone", "email", "birthdate", "gender"),
        # Entered once at the counter (書かない窓口) for a move, used by every form that asks;
        # the counter derives what each means (casework.services.counter.counter_facts).
        *("new_postal_code", "new_address", "move_date", "previous_postal_code"),
        *("previous_address", "move"),
    }
)
#: Sources whose value is a meaning, not text: a select or radio field taking one maps each
#: meaning to its own choice value with ``prefill_choices`` (e.g. move "in" → "moved_in").
PREFILL_MEANINGS: Final[Mapping[str, tuple[str, ...]]] = {"move": ("in", "within", "out")}
COMPUTED_KINDS: Final = frozenset({"yen", "number"})
_KEY_RE: Final = re.compile(r"[a-z][a-z0-9_]{0,39}")
MAX_STEPS: Final = 30
MAX_FIELDS: Final = 200
MAX_GROUP_ITEMS: Final = 50
MAX_FILES_PER_FIELD: Final = 10
MAX_FILE_SIZE_MB: Final = 20
MAX_PRICE: Final = 10**9
DEFAULT_TEXT_LENGTH: Final = {"text": 200, "textarea": 2000, "kana": 200, "address": 300}
CONDITION_OPERATORS: Final = ("equals", "not_equals", "in", "filled", "gte", "lte")


class DefinitionError(ValueError):
    """A definition that cannot be used; ``problems`` are (path, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))
        self.problems = problems


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    label_en: str = ""
    price: int | None = None

    def text(self, language: str) -> str:
        return localized(self, "label", language)


@dataclass(frozen=True)
class Field:
    key: str
    type: str
    label: str
    label_en: str = ""
    help: str = ""
    help_en: str = ""
    required: bool | Mapping[str, Any] = False
    show_if: Mapping[str, Any] | None = None
    choices: tuple[Choice, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    prefill: str | None = None
    # A verified value is locked, unless the answer may differ from the applicant's own
    # (e.g. a collection address): then it is only a suggestion.
    prefill_editable: bool = False
    # For a PREFILL_MEANINGS source: meaning → this field's choice value.
    prefill_choices: Mapping[str, str] | None = None
    contact: bool = False
    date_range: str = ""  # "past" (up to today), "future" (from today) or ""
    fields: tuple[Field, ...] = ()
    min_items: int = 0
    max_items: int = 10
    item_label: str = ""
    item_label_en: str = ""
    max_files: int = 1
    max_size_mb: int = 10

    def text(self, language: str) -> str:
        return localized(self, "label", language)

    def help_text(self, language: str) -> str:
        return localized(self, "help", language)

    def item_text(self, language: str) -> str:
        if language == "en" and self.item_label_en:
            return self.item_label_en
        return self.item_label or self.text(language)

    @property
    def is_multiple(self) -> bool:
        """A checkbox list with choices keeps a list; a single checkbox keeps a bool."""
        return self.type == "checkbox" and bool(self.choices)

    def choice(self, value: object) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    title_en: str = ""
    intro: str = ""
    intro_en: str = ""
    show_if: Mapping[str, Any] | None = None
    fields: tuple[Field, ...] = ()

    def text(self, language: str) -> str:
        return localized(self, "title", language)

    def intro_text(self, language: str) -> str:
        return localized(self, "intro", language)


@dataclass(frozen=True)
class Computed:
    key: str
    label: str
    expr: Any
    label_en: str = ""
    kind: str = "yen"

    def text(self, language: str) -> str:
        return localized(self, "label", language)


@dataclass(frozen=True)
class FormSpec:
    steps: tuple[Step, ...]
    computed: tuple[Computed, ...] = ()
    fields_by_key: Mapping[str, Field] = field(default_factory=dict)
    step_of: Mapping[str, str] = field(default_factory=dict)

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)

    def field(self, key: str) -> Field | None:
        return self.fields_by_key.get(key)


class DefinitionReader:
    """Walks the raw JSON, collecting problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []
        self.seen: dict[str, Field] = {}
        self.order: list[str] = []
        self.step_of: dict[str, str] = {}

    def problem(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    # -- small typed getters -------------------------------------------------------------
    def text(self, raw: Mapping[str, Any], name: str, path: str, *, required: bool = False) -> str:
        value = raw.get(name, "")
        if not isinstance(value, str):
            self.problem(f"{path}.{name}", _("Must be text."))
            return ""
        if required and not value.strip():
            self.problem(f"{path}.{name}", _("Must not be empty."))
        return value.strip()

    def integer(self, raw: Mapping[str, Any], name: str, path: str) -> int | None:
        value = raw.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(f"{path}.{name}", _("Must be a whole number."))
            return None
        return value

    def key(self, raw: Mapping[str, Any], path: str) -> str:
        key = raw.get("key")
        if not isinstance(key, str) or _KEY_RE.fullmatch(key) is None:
            self.problem(
                f"{path}.key",
                _(
                    "Use 1–40 lower-case letters, digits or _ "
                    "starting with a letter, e.g. name_kana."
                ),
            )
            return str(key)
        return key

    def unknown(self, raw: Mapping[str, Any], allowed: set[str], path: str) -> None:
        for name in sorted(set(raw) - allowed):
            self.problem(f"{path}.{name}", _("Unknown setting."))

    # -- structure ------------------------------------------------------------------------
    def choices(self, raw: Any, path: str) -> tuple[Choice, ...]:
        if not isinstance(raw, list) or not raw:
            self.problem(path, _("Give at least one choice."))
            return ()
        choices: list[Choice] = []
        values: set[str] = set()
        for index, item in enumerate(raw):
            where = f"{path}[{index}]"
            if not isinstance(item, Mapping):
                self.problem(where, _("Each choice needs a value and a label."))
                continue
            self.unknown(item, {"value", "label", "label_en", "price"}, where)
            value = item.get("value")
            if not isinstance(value, str) or not value:
                self.problem(f"{where}.value", _("Must be text."))
                continue
            if value in values:
                self.problem(f"{where}.value", _("This value is used twice."))
            values.add(value)
            price = self.integer(item, "price", where)
            if price is not None and not 0 <= price <= MAX_PRICE:
                self.problem(f"{where}.price", _("Must be from 0 to 1,000,000,000."))
            choices.append(
                Choice(
                    value=value,
                    label=self.text(item, "label", where, required=True),
                    label_en=self.text(item, "label_en", where),
                    price=price,
                )
            )
        return tuple(choices)

    def field(self, raw: Any, path: str, *, in_group: bool, step_key: str) -> Field | None:
        if not isinstance(raw, Mapping):
            self.problem(path, _("Each field must be an object with a key, a type and a label."))
            return None
        allowed = {
            "key", "type", "label", "label_en", "help", "help_en", "required", "show_if",
            "choices", "min", "max", "max_length", "prefill", "prefill_editable", "contact",
            "date_range", "prefill_choices",
            "fields", "min_items", "max_items", "item_label", "item_label_en", "max_files",
            "max_size_mb",
        }  # fmt: skip
        self.unknown(raw, allowed, path)
        key = self.key(raw, path)
        kind = raw.get("type")
        if kind not in FIELD_TYPES:
            self.problem(
                f"{path}.type",
                _("Unknown field type. Use one of: %(types)s.")
                % {"types": ", ".join(sorted(FIELD_TYPES))},
            )
            return None
        if in_group and kind in ("group", "file"):
            self.problem(f"{path}.type", _("A repeating group cannot contain this type."))
        values: dict[str, Any] = {
            "key": key,
            "type": kind,
            "label": self.text(raw, "label", path, required=True),
            "label_en": self.text(raw, "label_en", path),
            "help": self.text(raw, "help", path),
            "help_en": self.text(raw, "help_en", path),
        }
        required = raw.get("required", False)
        if isinstance(required, Mapping):
            self.condition(required, f"{path}.required", current=key)
        elif not isinstance(required, bool):
            self.problem(f"{path}.required", _("Must be true, false or a condition."))
            required = False
        values["required"] = required
        if "show_if" in raw:
            if in_group:
                self.problem(f"{path}.show_if", _("Fields inside a group cannot be conditional."))
            else:
                self.condition(raw["show_if"], f"{path}.show_if", current=key)
                values["show_if"] = raw["show_if"]
        if kind in CHOICE_TYPES:
            if kind != "checkbox" or "choices" in raw:
                values["choices"] = self.choices(raw.get("choices"), f"{path}.choices")
        elif "choices" in raw:
            self.problem(
                f"{path}.choices", _("Only select, radio and checkbox fields have choices.")
            )
        minimum = self.integer(raw, "min", path)
        maximum = self.integer(raw, "max", path)
        if (minimum is not None or maximum is not None) and kind not in ("number", "yen"):
            self.problem(f"{path}.min", _("Only number and yen fields have a minimum or maximum."))
        if minimum is not None and maximum is not None and minimum > maximum:
            self.problem(f"{path}.max", _("The maximum is smaller than the minimum."))
        values["minimum"], values["maximum"] = minimum, maximum
        max_length = self.integer(raw, "max_length", path)
        if max_length is not None and (
            kind not in DEFAULT_TEXT_LENGTH or not 1 <= max_length <= 10000
        ):
            self.problem(
                f"{path}.max_length", _("Only text fields have a length, from 1 to 10000.")
            )
        values["max_length"] = max_length or DEFAULT_TEXT_LENGTH.get(kind)
        prefill = raw.get("prefill")
        if prefill is not None and prefill not in PREFILL_SOURCES:
            self.problem(
                f"{path}.prefill",
                _("Unknown source. Use one of: %(sources)s.")
                % {"sources": ", ".join(sorted(PREFILL_SOURCES))},
            )
            prefill = None
        if prefill is not None and in_group:
            self.problem(f"{path}.prefill", _("Fields inside a group are not prefilled."))
        values["prefill"] = prefill
        editable = raw.get("prefill_editable", False)
        if not isinstance(editable, bool) or (editable and prefill is None):
            self.problem(f"{path}.prefill_editable", _("Use true together with prefill."))
            editable = False
        values["prefill_editable"] = editable
        values["prefill_choices"] = self.prefill_choices(raw, path, prefill, values)
        contact = raw.get("contact", False)
        if contact and kind != "email":
            self.problem(f"{path}.contact", _("Only an e-mail field can be the contact address."))
        values["contact"] = bool(contact)
        date_range = raw.get("date_range", "")
        if date_range not in ("", "past", "future") or (date_range and kind != "date"):
            self.problem(
                f"{path}.date_range", _('Only date fields have a range: "past" or "future".')
            )
            date_range = ""
        values["date_range"] = date_range
        if kind == "group":
            values.update(self.group(raw, path, step_key=step_key))
        elif "fields" in raw:
            self.problem(f"{path}.fields", _("Only a repeating group has fields."))
        if kind == "file":
            max_files = self.integer(raw, "max_files", path)
            max_size = self.integer(raw, "max_size_mb", path)
            max_files = 1 if max_files is None else max_files
            max_size = 10 if max_size is None else max_size
            if not 1 <= max_files <= MAX_FILES_PER_FIELD:
                self.problem(
                    f"{path}.max_files",
                    _("Must be from 1 to %(max)d.") % {"max": MAX_FILES_PER_FIELD},
                )
            if not 1 <= max_size <= MAX_FILE_SIZE_MB:
                self.problem(
                    f"{path}.max_size_mb",
                    _("Must be from 1 to %(max)d.") % {"max": MAX_FILE_SIZE_MB},
                )
            values["max_files"], values["max_size_mb"] = max_files, max_size
        return Field(**values)

    def prefill_choices(
        self, raw: Mapping[str, Any], path: str, prefill: str | None, values: Mapping[str, Any]
    ) -> dict[str, str] | None:
        """Which of the field's choices each meaning of a PREFILL_MEANINGS source selects."""
        mapping = raw.get("prefill_choices")
        meanings = PREFILL_MEANINGS.get(prefill or "")
        if meanings is None:
            if mapping is not None:
                self.problem(
                    f"{path}.prefill_choices",
                    _("Use this only with prefill: %(sources)s.")
                    % {"sources": ", ".join(sorted(PREFILL_MEANINGS))},
                )
            return None
        if values["type"] not in ("select", "radio"):
            self.problem(f"{path}.prefill", _("Only a select or radio field can take this source."))
            return None
        if not isinstance(mapping, Mapping) or not mapping:
            self.problem(
                f"{path}.prefill_choices",
                _("Say which choice each meaning selects, e.g. {%(example)s}.")
                % {"example": f'"{meanings[0]}": "<choice value>"'},
            )
            return None
        known = {choice.value for choice in values.get("choices", ())}
        for meaning, value in mapping.items():
            if meaning not in meanings:
                self.problem(
                    f"{path}.prefill_choices.{meaning}",
                    _("Unknown meaning. Use one of: %(meanings)s.")
                    % {"meanings": ", ".join(meanings)},
                )
            elif value not in known:
                self.problem(
                    f"{path}.prefill_choices.{meaning}", _("Not one of the field's choices.")
                )
        return {str(meaning): str(value) for meaning, value in mapping.items()}

    def group(self, raw: Mapping[str, Any], path: str, *, step_key: str) -> dict[str, Any]:
        children_raw = raw.get("fields")
        children: list[Field] = []
        if not isinstance(children_raw, list) or not children_raw:
            self.problem(f"{path}.fields", _("A repeating group needs at least one field."))
        else:
            keys: set[str] = set()
            for index, child_raw in enumerate(children_raw):
                child = self.field(
                    child_raw, f"{path}.fields[{index}]", in_group=True, step_key=step_key
                )
                if child is None:
                    continue
                if child.key in keys:
                    self.problem(f"{path}.fields[{index}].key", _("This key is used twice."))
                keys.add(child.key)
                children.append(child)
        min_items = self.integer(raw, "min_items", path)
        max_items = self.integer(raw, "max_items", path)
        min_items = 0 if min_items is None else min_items
        max_items = 10 if max_items is None else max_items
        if not 0 <= min_items <= max_items <= MAX_GROUP_ITEMS:
            self.problem(
                f"{path}.max_items",
                _("Use 0 ≤ min_items ≤ max_items ≤ %(max)d.") % {"max": MAX_GROUP_ITEMS},
            )
        return {
            "fields": tuple(children),
            "min_items": min_items,
            "max_items": max_items,
            "item_label": self.text(raw, "item_label", path),
            "item_label_en": self.text(raw, "item_label_en", path),
        }

    def condition(self, raw: Any, path: str, *, current: str | None) -> None:
        """A condition may only look at answers given before the field or step it guards."""
        if not isinstance(raw, Mapping) or len(raw) == 0:
            self.problem(
                path, _('A condition must be an object, e.g. {"field": "x", "equals": "y"}.')
            )
            return
        if "all" in raw or "any" in raw:
            name = "all" if "all" in raw else "any"
            items = raw[name]
            if set(raw) != {name} or not isinstance(items, list) or not items:
                self.problem(path, _('"all" and "any" take a non-empty list of conditions.'))
                return
            for index, item in enumerate(items):
                self.condition(item, f"{path}.{name}[{index}]", current=current)
            return
        if "not" in raw:
            if set(raw) != {"not"}:
                self.problem(path, _('"not" takes one condition.'))
                return
            self.condition(raw["not"], f"{path}.not", current=current)
            return
        target = raw.get("field")
        operators = [name for name in CONDITION_OPERATORS if name in raw]
        if set(raw) - {"field", *CONDITION_OPERATORS} or len(operators) != 1:
            self.problem(
                path,
                _("Use one field and one of: %(ops)s.") % {"ops": ", ".join(CONDITION_OPERATORS)},
            )
            return
        referenced = self.seen.get(target) if isinstance(target, str) else None
        if referenced is None or target == current:
            self.problem(f"{path}.field", _("Refer to a field that comes earlier in the form."))
            return
        if referenced.type in ("group", "file"):
            self.problem(f"{path}.field", _("Conditions cannot look at groups or files."))
        operator = operators[0]
        operand = raw[operator]
        if operator == "in" and not isinstance(operand, list):
            self.problem(f"{path}.in", _('"in" takes a list of values.'))
        if operator in ("gte", "lte") and (
            isinstance(operand, bool) or not isinstance(operand, int)
        ):
            self.problem(f"{path}.{operator}", _("Must be a whole number."))
        if operator == "filled" and not isinstance(operand, bool):
            self.problem(f"{path}.filled", _("Must be true or false."))
        if referenced.choices and operator in ("equals", "not_equals", "in"):
            wanted = operand if isinstance(operand, list) else [operand]
            known = {c.value for c in referenced.choices}
            for value in wanted:
                if value not in known:
                    self.problem(
                        f"{path}.{operator}",
                        _("%(value)s is not a choice of that field.") % {"value": value},
                    )

    def expression(self, raw: Any, path: str, *, group: Field | None = None) -> None:
        """Check a computed-value expression (see :mod:`.expressions` for the meaning)."""
        fields = {f.key: f for f in group.fields} if group else self.seen
        if isinstance(raw, bool) or raw is None:
            self.problem(path, _("Not a valid expression."))
        elif isinstance(raw, int):
            return
        elif not isinstance(raw, Mapping) or len(raw) != 1:
            self.problem(path, _("An expression is a whole number or an object with one operator."))
        elif "field" in raw or "price" in raw:
            name = "field" if "field" in raw else "price"
            target = fields.get(raw[name]) if isinstance(raw[name], str) else None
            if target is None:
                self.problem(f"{path}.{name}", _("Refer to a field of the form (or of the group)."))
            elif name == "field" and target.type not in ("number", "yen"):
                self.problem(f"{path}.field", _("Only number and yen fields can be counted."))
            elif name == "price" and not any(c.price is not None for c in target.choices):
                self.problem(f"{path}.price", _("That field has no choice with a price."))
        elif "add" in raw or "mul" in raw or "max" in raw or "min" in raw:
            name = next(iter(raw))
            items = raw[name]
            if not isinstance(items, list) or not items:
                self.problem(f"{path}.{name}", _("Give a non-empty list of expressions."))
                return
            for index, item in enumerate(items):
                self.expression(item, f"{path}.{name}[{index}]", group=group)
        elif "sum" in raw:
            spec = raw["sum"]
            target = self.seen.get(str(spec.get("group"))) if isinstance(spec, Mapping) else None
            if group is not None or target is None or target.type != "group" or "of" not in spec:
                self.problem(
                    f"{path}.sum",
                    _('"sum" takes {"group": <repeating group>, "of": <expression>}.'),
                )
                return
            self.expression(spec["of"], f"{path}.sum.of", group=target)
        elif "count" in raw:
            target = self.seen.get(raw["count"]) if isinstance(raw["count"], str) else None
            if target is None or target.type != "group":
                self.problem(f"{path}.count", _("Refer to a repeating group."))
        elif "if" in raw:
            spec = raw["if"]
            if not isinstance(spec, Mapping) or set(spec) != {"when", "then", "else"}:
                self.problem(f"{path}.if", _('"if" takes "when", "then" and "else".'))
                return
            self.condition(spec["when"], f"{path}.if.when", current=None)
            self.expression(spec["then"], f"{path}.if.then", group=group)
            self.expression(spec["else"], f"{path}.if.else", group=group)
        else:
            self.problem(path, _("Unknown operator %(op)s.") % {"op": next(iter(raw))})

    def read(self, raw: Any) -> FormSpec:
        if not isinstance(raw, Mapping):
            self.problem("", _("A form definition is a JSON object."))
            raise DefinitionError(self.problems)
        self.unknown(raw, {"format", "steps", "computed"}, "")
        if raw.get("format") != FORMAT:
            self.problem("format", _('Must be "%(format)s".') % {"format": FORMAT})
        steps_raw = raw.get("steps")
        if not isinstance(steps_raw, list) or not 1 <= len(steps_raw) <= MAX_STEPS:
            self.problem("steps", _("Give from 1 to %(max)d steps.") % {"max": MAX_STEPS})
            raise DefinitionError(self.problems)
        steps: list[Step] = []
        step_keys: set[str] = set()
        for index, step_raw in enumerate(steps_raw):
            steps.append(self.step(step_raw, f"steps[{index}]", step_keys))
        if len(self.seen) > MAX_FIELDS:
            self.problem("steps", _("A form has at most %(max)d fields.") % {"max": MAX_FIELDS})
        computed: list[Computed] = []
        computed_raw = raw.get("computed", [])
        if not isinstance(computed_raw, list):
            self.problem("computed", _("Must be a list."))
            computed_raw = []
        for index, item in enumerate(computed_raw):
            where = f"computed[{index}]"
            if not isinstance(item, Mapping):
                self.problem(where, _("Each computed value needs a key, a label and an expr."))
                continue
            self.unknown(item, {"key", "label", "label_en", "kind", "expr"}, where)
            key = self.key(item, where)
            if key in self.seen or any(c.key == key for c in computed):
                self.problem(f"{where}.key", _("This key is used twice."))
            kind = item.get("kind", "yen")
            if kind not in COMPUTED_KINDS:
                self.problem(f"{where}.kind", _('Use "yen" or "number".'))
            self.expression(item.get("expr"), f"{where}.expr")
            computed.append(
                Computed(
                    key=key,
                    label=self.text(item, "label", where, required=True),
                    label_en=self.text(item, "label_en", where),
                    kind=kind,
                    expr=item.get("expr"),
                )
            )
        if self.problems:
            raise DefinitionError(self.problems)
        return FormSpec(
            steps=tuple(steps),
            computed=tuple(computed),
            fields_by_key=dict(self.seen),
            step_of=dict(self.step_of),
        )

    def step(self, raw: Any, path: str, step_keys: set[str]) -> Step:
        if not isinstance(raw, Mapping):
            self.problem(path, _("Each step must be an object with a key, a title and fields."))
            return Step(key="", title="")
        self.unknown(
            raw, {"key", "title", "title_en", "intro", "intro_en", "show_if", "fields"}, path
        )
        key = self.key(raw, path)
        if key in step_keys:
            self.problem(f"{path}.key", _("This key is used twice."))
        step_keys.add(key)
        if "show_if" in raw:
            self.condition(raw["show_if"], f"{path}.show_if", current=None)
        fields_raw = raw.get("fields")
        fields: list[Field] = []
        if not isinstance(fields_raw, list) or not fields_raw:
            self.problem(f"{path}.fields", _("A step needs at least one field."))
        else:
            for index, field_raw in enumerate(fields_raw):
                where = f"{path}.fields[{index}]"
                parsed = self.field(field_raw, where, in_group=False, step_key=key)
                if parsed is None:
                    continue
                if parsed.key in self.seen:
                    self.problem(f"{where}.key", _("This key is used twice."))
                self.seen[parsed.key] = parsed
                self.step_of[parsed.key] = key
                fields.append(parsed)
        return Step(
            key=key,
            title=self.text(raw, "title", path, required=True),
            title_en=self.text(raw, "title_en", path),
            intro=self.text(raw, "intro", path),
            intro_en=self.text(raw, "intro_en", path),
            show_if=raw.get("show_if"),
            fields=tuple(fields),
        )


def parse_definition(raw: Any) -> FormSpec:
    """Check ``raw`` (the decoded JSON) and return the form it describes.

    Raises:
        DefinitionError: with every problem found, each with its path.
    """
    return DefinitionReader().read(raw)


def iter_fields(spec: FormSpec) -> Iterator[tuple[Step, Field]]:
    for step in spec.steps:
        for item in step.fields:
            yield step, item
