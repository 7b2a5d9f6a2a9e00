"""Cleaning answers, one step at a time (the pages) or all at once (submission, the API).

The server decides: which steps and fields apply (conditions), what is required, what each
answer means, and what the computed values are. Answers to questions that do not apply are
dropped; input for questions the form never showed is refused (:class:`ForgedInput`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from django.utils.translation import gettext as _

from machi.core.formdef.conditions import (
    condition_holds,
    is_filled,
    is_required,
    referenced_fields,
)
from machi.core.formdef.definition import Field, FormSpec, Step
from machi.core.formdef.expressions import computed_values
from machi.core.formdef.fieldtypes import FieldInvalid, display_value, parse_value

PREFIX: Final = "f-"
ITEM_MARKER: Final = "_item"
_GROUP_NAME_RE: Final = re.compile(r"f-([a-z][a-z0-9_]*)-([0-9]{1,3})-([a-z_][a-z0-9_]*)")


class ForgedInput(ValueError):
    """Input the page never asked for (unknown fields, hidden or locked ones): refuse it."""

    def __init__(self, keys: list[str]) -> None:
        super().__init__(", ".join(sorted(keys)))
        self.keys = sorted(keys)


@dataclass(frozen=True)
class FieldError:
    input_id: str
    path: str
    label: str
    message: str


@dataclass
class Outcome:
    answers: dict[str, Any]
    errors: list[FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class MultiValue(Protocol):
    """What a Django ``QueryDict`` offers: one value or all values of a name."""

    def get(self, key: str, default: Any = None) -> Any: ...
    def getlist(self, key: str) -> list[Any]: ...
    def __iter__(self) -> Iterator[str]: ...


def input_id(key: str, index: int | None = None, child: str | None = None) -> str:
    return f"{PREFIX}{key}" if index is None else f"{PREFIX}{key}-{index}-{child}"


def visible_steps(spec: FormSpec, answers: Mapping[str, Any]) -> list[Step]:
    return [step for step in spec.steps if condition_holds(step.show_if, answers)]


def revealed_on_page(step: Step, item: Field) -> bool:
    """A field whose condition looks at an answer on its own step is sent with the page and
    revealed there (by htmx, or shown with its hint when scripts are off)."""
    own = {f.key for f in step.fields}
    return bool(referenced_fields(item.show_if) & own)


def rendered_fields(step: Step, answers: Mapping[str, Any]) -> list[Field]:
    """The fields a page for ``step`` carries, given the answers of the other steps."""
    return [
        f for f in step.fields if revealed_on_page(step, f) or condition_holds(f.show_if, answers)
    ]


def _item_label(group: Field, index: int, child: Field, language: str) -> str:
    return f"{group.item_text(language)} {index + 1}: {child.text(language)}"


def _required_message(item: Field, language: str) -> str:
    label = item.text(language)
    if item.type in ("select", "radio") or item.is_multiple:
        return _("Choose %(label)s.") % {"label": label}
    if item.type == "checkbox":
        return _("Tick the box to confirm: %(label)s.") % {"label": label}
    if item.type == "file":
        return _("Attach %(label)s (PDF, JPEG or PNG).") % {"label": label}
    return _("Enter %(label)s.") % {"label": label}


class _Cleaner:
    def __init__(self, language: str, today: dt.date) -> None:
        self.language = language
        self.today = today
        self.errors: list[FieldError] = []

    def scalar(
        self, item: Field, raw: object, answers: Mapping[str, Any], where: tuple[str, str, str]
    ) -> object:
        """Return the stored value, or None when empty or wrong (errors are recorded)."""
        ident, path, label = where
        empty = not raw.strip() if isinstance(raw, str) else not is_filled(raw)
        if empty:
            if is_required(item.required, answers):
                self.errors.append(
                    FieldError(ident, path, label, _required_message(item, self.language))
                )
            return None
        try:
            value = parse_value(item, raw, today=self.today)
        except FieldInvalid as exc:
            self.errors.append(FieldError(ident, path, label, exc.message))
            return None
        if item.type == "checkbox" and value is False and is_required(item.required, answers):
            self.errors.append(
                FieldError(ident, path, label, _required_message(item, self.language))
            )
        return value if is_filled(value) or value is False else None

    def group(
        self, item: Field, raw: object, answers: Mapping[str, Any]
    ) -> list[dict[str, Any]] | None:
        label = item.text(self.language)
        items = raw if isinstance(raw, list) else []
        kept: list[dict[str, Any]] = []
        for index, entry in enumerate(items):
            entry = entry if isinstance(entry, Mapping) else {}
            if not any(
                is_filled(v) and (not isinstance(v, str) or v.strip()) for v in entry.values()
            ):
                continue  # a blank row left on the page
            unknown = set(entry) - {c.key for c in item.fields}
            if unknown:
                raise ForgedInput([f"{item.key}[{index}].{key}" for key in unknown])
            position = len(kept)
            cleaned: dict[str, Any] = {}
            for child in item.fields:
                where = (
                    input_id(item.key, index, child.key),
                    f"{item.key}[{position}].{child.key}",
                    _item_label(item, position, child, self.language),
                )
                value = self.scalar(child, entry.get(child.key), answers, where)
                if value is not None:
                    cleaned[child.key] = value
            kept.append(cleaned)
        ident = input_id(item.key)
        if len(kept) < item.min_items or (not kept and is_required(item.required, answers)):
            wanted = max(item.min_items, 1)
            self.errors.append(
                FieldError(
                    ident,
                    item.key,
                    label,
                    _("Add at least %(count)d %(item)s.")
                    % {"count": wanted, "item": item.item_text(self.language)},
                )
            )
        if len(kept) > item.max_items:
            self.errors.append(
                FieldError(
                    ident,
                    item.key,
                    label,
                    _("Add at most %(count)d. Remove the extra ones.") % {"count": item.max_items},
                )
            )
        return kept or None

    def step(
        self,
        step: Step,
        raw: Mapping[str, Any],
        answers: dict[str, Any],
        locked: Mapping[str, Any],
    ) -> None:
        """Clean ``raw`` for one step into ``answers`` (changed in place), in field order so a
        condition sees the answers above it."""
        for item in step.fields:
            if not condition_holds(item.show_if, answers):
                answers.pop(item.key, None)
                continue
            if item.key in locked:
                answers[item.key] = locked[item.key]
                continue
            if item.type == "group":
                value: object = self.group(item, raw.get(item.key), answers)
            else:
                where = (input_id(item.key), item.key, item.text(self.language))
                value = self.scalar(item, raw.get(item.key), answers, where)
            if value is None:
                answers.pop(item.key, None)
            else:
                answers[item.key] = value


def clean_step(
    spec: FormSpec,
    step: Step,
    raw: Mapping[str, Any],
    answers: Mapping[str, Any],
    *,
    language: str,
    today: dt.date,
    locked: Mapping[str, Any] | None = None,
) -> Outcome:
    """Clean the answers posted for one step and merge them into ``answers``.

    Raises:
        ForgedInput: ``raw`` answers a field this step's page does not carry, or a locked
            (verified) field.
    """
    locked = locked or {}
    allowed = {f.key for f in rendered_fields(step, answers)} - set(locked)
    forged = [key for key in raw if key not in allowed]
    if forged:
        raise ForgedInput(forged)
    merged = dict(answers)
    cleaner = _Cleaner(language, today)
    cleaner.step(step, raw, merged, locked)
    return Outcome(merged, cleaner.errors)


def clean_answers(
    spec: FormSpec,
    data: Mapping[str, Any],
    *,
    language: str,
    today: dt.date,
    locked: Mapping[str, Any] | None = None,
    strict: bool = True,
) -> Outcome:
    """Clean a whole set of answers (the API, and the final check before submitting).

    With ``strict`` (the API), an answer to an unknown field, to a locked field or to a
    question that does not apply is refused (:class:`ForgedInput`); without it (answers
    saved step by step), such answers are dropped.
    """
    locked = locked or {}
    if strict:
        unknown = [key for key in data if key not in spec.fields_by_key or key in locked]
        if unknown:
            raise ForgedInput(unknown)
    cleaner = _Cleaner(language, today)
    answers: dict[str, Any] = {}
    for step in spec.steps:
        if not condition_holds(step.show_if, answers):
            continue
        cleaner.step(step, data, answers, locked)
    if strict:
        not_applicable = [key for key in data if key not in answers and is_filled(data[key])]
        inapplicable = [key for key in not_applicable if not _applies(spec, key, answers)]
        if inapplicable:
            raise ForgedInput(inapplicable)
    return Outcome(answers, cleaner.errors)


def _applies(spec: FormSpec, key: str, answers: Mapping[str, Any]) -> bool:
    step = spec.step(spec.step_of[key])
    item = spec.fields_by_key[key]
    if step is None:
        return False
    return condition_holds(step.show_if, answers) and condition_holds(item.show_if, answers)


def read_page(step: Step, post: MultiValue, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The raw answers of a step page from the posted form (names ``f-<key>`` and
    ``f-<group>-<n>-<field>``). File fields are filled in by the caller.

    Raises:
        ForgedInput: a posted ``f-`` name that is not an input of this page.
    """
    fields = {f.key: f for f in rendered_fields(step, answers)}
    raw: dict[str, Any] = {}
    groups: dict[str, dict[int, dict[str, Any]]] = {}
    forged: list[str] = []
    for name in post:
        if not name.startswith(PREFIX):
            continue
        key = name[len(PREFIX) :]
        item = fields.get(key)
        if item is not None and item.type not in ("group", "file"):
            if item.is_multiple:
                raw[key] = [v for v in post.getlist(name) if isinstance(v, str)]
            else:
                raw[key] = post.get(name)
            continue
        match = _GROUP_NAME_RE.fullmatch(name)
        group = fields.get(match[1]) if match else None
        if match is None or group is None or group.type != "group":
            if not (item is not None and item.type == "file"):
                forged.append(key)
            continue
        index, child_key = int(match[2]), match[3]
        child = next((c for c in group.fields if c.key == child_key), None)
        entry = groups.setdefault(group.key, {}).setdefault(index, {})
        if child_key == ITEM_MARKER:
            continue
        if child is None:
            forged.append(key)
        elif child.is_multiple:
            entry[child_key] = post.getlist(name)
        else:
            entry[child_key] = post.get(name)
    if forged:
        raise ForgedInput(forged)
    for key, entries in groups.items():
        raw[key] = [entries[i] for i in sorted(entries)]
    return raw


@dataclass(frozen=True)
class SummaryRow:
    key: str
    label: str
    value: str
    items: tuple[tuple[tuple[str, str], ...], ...] = ()  # a group: per item, (label, value)


@dataclass(frozen=True)
class SummarySection:
    step: Step
    title: str
    rows: tuple[SummaryRow, ...]


def summarize(
    spec: FormSpec,
    answers: Mapping[str, Any],
    language: str,
    file_names: Mapping[str, str] | None = None,
) -> list[SummarySection]:
    """The answers that apply, step by step, as text (check page, PDF, mail, status page)."""
    sections: list[SummarySection] = []
    for step in visible_steps(spec, answers):
        rows: list[SummaryRow] = []
        for item in step.fields:
            if not condition_holds(item.show_if, answers):
                continue
            value = answers.get(item.key)
            if item.type == "group":
                entries = value if isinstance(value, list) else []
                items = tuple(
                    tuple(
                        (child.text(language), display_value(child, entry.get(child.key), language))
                        for child in item.fields
                        if entry.get(child.key) not in (None, "", [])
                    )
                    for entry in entries
                )
                rows.append(SummaryRow(item.key, item.text(language), "", items))
            else:
                rows.append(
                    SummaryRow(
                        item.key,
                        item.text(language),
                        display_value(item, value, language, file_names),
                    )
                )
        sections.append(SummarySection(step, step.text(language), tuple(rows)))
    return sections


def computed_rows(
    spec: FormSpec, answers: Mapping[str, Any], language: str
) -> list[tuple[str, str, int]]:
    """(label, text, value) of each computed value, e.g. ("手数料", "1,500円", 1500)."""
    from machi.core.formdef.fieldtypes import format_yen

    values = computed_values(spec, answers)
    return [
        (
            c.text(language),
            format_yen(values[c.key], language) if c.kind == "yen" else f"{values[c.key]:,}",
            values[c.key],
        )
        for c in spec.computed
    ]
