"""Life-event guides (ライフイベント): a few questions, then exactly the procedures that apply.

A guide's definition (JSON or YAML) has ``questions`` — single-choice questions that may
depend on earlier answers, written like form fields (``key``, ``label``, ``choices``,
``show_if``) — and ``items``: each either a procedure of the catalog (``procedure: code``)
or a task elsewhere (``title``, e.g. the 転入届 at the new town hall), with a ``when``
condition in the form engine's condition language and an optional ``note``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from machi.core.formdef.conditions import condition_holds
from machi.core.formdef.definition import DefinitionError, DefinitionReader, Field
from machi.core.localized import localized


@dataclass(frozen=True)
class GuideItem:
    procedure: str
    title: str
    title_en: str
    note: str
    note_en: str
    when: Mapping[str, Any] | None

    def note_text(self, language: str) -> str:
        return localized(self, "note", language)

    def title_text(self, language: str) -> str:
        return localized(self, "title", language)


@dataclass(frozen=True)
class Guide:
    questions: tuple[Field, ...]
    items: tuple[GuideItem, ...]

    def visible_questions(self, answers: Mapping[str, str]) -> list[Field]:
        return [q for q in self.questions if condition_holds(q.show_if, answers)]

    def next_question(self, answers: Mapping[str, str]) -> Field | None:
        """The first question that applies and is not answered yet; None when done."""
        return next((q for q in self.visible_questions(answers) if q.key not in answers), None)

    def clean(self, given: Mapping[str, str]) -> dict[str, str]:
        """Keep the answers that are choices of questions that apply, in question order."""
        answers: dict[str, str] = {}
        for question in self.questions:
            if not condition_holds(question.show_if, answers):
                continue
            value = given.get(question.key)
            if isinstance(value, str) and question.choice(value) is not None:
                answers[question.key] = value
        return answers

    def applicable(self, answers: Mapping[str, str]) -> list[GuideItem]:
        return [item for item in self.items if condition_holds(item.when, answers)]


def parse_guide(raw: Any, procedure_codes: Iterable[str]) -> Guide:
    """Check a guide definition against the catalog's procedure codes.

    Raises:
        DefinitionError: listing every problem with its path.
    """
    reader = DefinitionReader()
    codes = set(procedure_codes)
    if not isinstance(raw, Mapping):
        raise DefinitionError([("", _("A guide is an object with questions and items."))])
    reader.unknown(raw, {"questions", "items"}, "")
    questions: list[Field] = []
    for index, item in enumerate(raw.get("questions") or []):
        path = f"questions[{index}]"
        question = reader.field(item, path, in_group=False, step_key="guide")
        if question is None:
            continue
        if question.type != "radio":
            reader.problem(f"{path}.type", _('Guide questions are single-choice: use "radio".'))
        if question.key in reader.seen:
            reader.problem(f"{path}.key", _("This key is used twice."))
        reader.seen[question.key] = question
        questions.append(question)
    if not questions:
        reader.problem("questions", _("Give at least one question."))
    items: list[GuideItem] = []
    for index, item in enumerate(raw.get("items") or []):
        path = f"items[{index}]"
        if not isinstance(item, Mapping):
            reader.problem(path, _("Each item needs a procedure or a title."))
            continue
        reader.unknown(item, {"procedure", "title", "title_en", "note", "note_en", "when"}, path)
        code = item.get("procedure", "")
        if code and code not in codes:
            reader.problem(f"{path}.procedure", _("No procedure has this code."))
        if not code and not item.get("title"):
            reader.problem(path, _("Each item needs a procedure or a title."))
        if "when" in item:
            reader.condition(item["when"], f"{path}.when", current=None)
        items.append(
            GuideItem(
                procedure=str(code),
                title=reader.text(item, "title", path),
                title_en=reader.text(item, "title_en", path),
                note=reader.text(item, "note", path),
                note_en=reader.text(item, "note_en", path),
                when=item.get("when"),
            )
        )
    if not items:
        reader.problem("items", _("Give at least one item."))
    if reader.problems:
        raise DefinitionError(reader.problems)
    return Guide(tuple(questions), tuple(items))
