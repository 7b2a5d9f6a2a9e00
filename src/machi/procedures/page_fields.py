"""What the step templates need for each field: its input's id, name, value, hint and error.

Presentation only: which fields apply and what the answers mean was decided by the engine.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from machi.core.examples import with_examples
from machi.core.formdef.conditions import condition_holds, is_required, referenced_fields
from machi.core.formdef.definition import Field, Step
from machi.core.formdef.engine import FieldError, input_id, revealed_on_page
from machi.core.formdef.fieldtypes import display_value
from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.phone import format_phone
from machi.core.japanese.postal import format_postal_code
from machi.procedures.models import Attachment

AUTOCOMPLETE = {
    "name": "name",
    "email": "email",
    "phone": "tel",
    "postal_code": "postal-code",
    "address": "street-address",
    "birthdate": "bday",
    "gender": "sex",
}
INPUT_MODE = {"number": "numeric", "yen": "numeric", "postal_code": "numeric", "phone": "tel"}
INPUT_TYPE = {"email": "email", "phone": "tel"}


@dataclass
class ChoiceView:
    value: str
    label: str
    id: str
    checked: bool


@dataclass
class FieldView:
    field: Field
    id: str
    name: str
    label: str
    help: str
    required: bool
    error: str = ""
    value: str = ""
    checked: bool = False
    choices: list[ChoiceView] = dataclasses.field(default_factory=list)
    locked: bool = False
    display: str = ""
    conditional: bool = False
    shown: bool = True
    items: list[list[FieldView]] = dataclasses.field(default_factory=list)
    item_label: str = ""
    attachments: list[Attachment] = dataclasses.field(default_factory=list)
    refresh: bool = False

    @property
    def type(self) -> str:
        return self.field.type

    @property
    def input_type(self) -> str:
        return INPUT_TYPE.get(self.field.type, "text")

    @property
    def inputmode(self) -> str:
        return INPUT_MODE.get(self.field.type, "")

    @property
    def autocomplete(self) -> str:
        return AUTOCOMPLETE.get(self.field.prefill or self.field.type, "")

    @property
    def described_by(self) -> str:
        ids = [f"{self.id}-hint"] if self.help or self.hint else []
        if self.error:
            ids.append(f"{self.id}-error")
        return " ".join(ids)

    @property
    def hint(self) -> str:
        """A format example for inputs people type in more than one way."""
        return {
            "date": with_examples(
                _("For example %(era)s, R8.4.1 or 2026-04-01."), era="令和8年4月1日"
            ),
            "postal_code": _("7 digits, for example 519-0195."),
            "phone": _("Including the area code, for example 0595-82-1111."),
            "kana": with_examples(
                _("In katakana, for example %(name)s. Hiragana is changed to katakana."),
                name="カメヤマ タロウ",
            ),
            "yen": _("In yen, digits only."),
        }.get(self.field.type, "")

    @property
    def accept(self) -> str:
        return "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


def input_text(item: Field, value: object) -> str:
    """A stored value as it goes back into a text input."""
    if value is None:
        return ""
    try:
        if item.type == "postal_code":
            return format_postal_code(str(value))[1:]
        if item.type == "phone":
            return format_phone(str(value))
    except JapaneseInputError:
        return str(value)
    return str(value)


def _choices(item: Field, ident: str, selected: object, language: str) -> list[ChoiceView]:
    chosen = selected if isinstance(selected, list) else [selected]
    return [
        ChoiceView(
            value=c.value,
            label=c.text(language),
            id=ident if index == 0 else f"{ident}-{index}",
            checked=c.value in chosen,
        )
        for index, c in enumerate(item.choices)
    ]


def _view(
    item: Field,
    ident: str,
    name: str,
    value: object,
    *,
    raw: bool,
    required: bool,
    errors: Mapping[str, str],
    language: str,
) -> FieldView:
    view = FieldView(
        field=item,
        id=ident,
        name=name,
        label=item.text(language),
        help=item.help_text(language),
        required=required,
        error=errors.get(ident, ""),
    )
    if item.type in ("select", "radio") or item.is_multiple:
        view.choices = _choices(item, ident, value, language)
    elif item.type == "checkbox":
        view.checked = value is True or (
            isinstance(value, str) and value.lower() in ("yes", "on", "true", "1")
        )
    elif item.type != "file":
        view.value = value if raw and isinstance(value, str) else input_text(item, value)
    return view


def step_field_views(
    step: Step,
    *,
    values: Mapping[str, Any],
    answers: Mapping[str, Any],
    raw: bool,
    errors: list[FieldError],
    locked: Mapping[str, Any],
    attachments: list[Attachment],
    language: str,
    extra_items: Mapping[str, int] | None = None,
    refresh_keys: set[str] | None = None,
) -> list[FieldView]:
    """Views of the fields a step page carries.

    ``values`` are what goes into the inputs (posted text after an error, else the stored
    answers); ``answers`` decide conditions. ``extra_items`` adds blank group rows.
    """
    by_id = {e.input_id: e.message for e in errors}
    extra_items = extra_items or {}
    refresh_keys = refresh_keys or set()
    views: list[FieldView] = []
    for item in step.fields:
        conditional = revealed_on_page(step, item)
        shown = condition_holds(item.show_if, answers)
        if not shown and not conditional:
            continue
        ident = input_id(item.key)
        value = values.get(item.key)
        if item.key in locked:
            view = FieldView(
                field=item,
                id=ident,
                name="",
                label=item.text(language),
                help="",
                required=False,
                locked=True,
                display=display_value(item, locked[item.key], language),
            )
        elif item.type == "group":
            view = FieldView(
                field=item,
                id=ident,
                name=ident,
                label=item.text(language),
                help=item.help_text(language),
                required=is_required(item.required, answers) or item.min_items > 0,
                error=by_id.get(ident, ""),
                item_label=item.item_text(language),
            )
            entries = list(value) if isinstance(value, list) else []
            entries += [{}] * extra_items.get(item.key, 0)
            if not entries:
                entries = [{}] * max(item.min_items, 1)
            for index, entry in enumerate(entries):
                entry = entry if isinstance(entry, Mapping) else {}
                view.items.append(
                    [
                        _view(
                            child,
                            input_id(item.key, index, child.key),
                            input_id(item.key, index, child.key),
                            entry.get(child.key),
                            raw=raw,
                            required=is_required(child.required, answers),
                            errors=by_id,
                            language=language,
                        )
                        for child in item.fields
                    ]
                )
        else:
            view = _view(
                item,
                ident,
                ident,
                value,
                raw=raw,
                required=is_required(item.required, answers),
                errors=by_id,
                language=language,
            )
            if item.type == "file":
                ids = [str(v) for v in (answers.get(item.key) or [])]
                view.attachments = [a for a in attachments if str(a.pk) in ids]
        view.conditional = conditional
        view.shown = shown
        view.refresh = item.key in refresh_keys
        for row in view.items:
            for child in row:
                child.refresh = view.refresh
        views.append(view)
    return views


def refresh_keys(step: Step, has_computed: bool) -> set[str]:
    """Fields whose change re-renders the page (htmx): they reveal other fields, or change
    a computed value such as the fee."""
    own = {f.key for f in step.fields}
    keys = set().union(*(referenced_fields(f.show_if) for f in step.fields)) & own
    if has_computed:
        keys |= {
            f.key
            for f in step.fields
            if f.type in ("group", "select", "radio", "checkbox", "number", "yen")
        }
    return keys
