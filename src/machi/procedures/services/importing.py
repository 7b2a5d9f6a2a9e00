"""Loading a municipality's catalog from a file (``format: machi-procedures/1``, YAML).

The whole file is one transaction: any problem leaves the database as it was, and every
problem is reported with its place in the file. Rows missing from a file are kept.
The format is documented in ``docs/procedures.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from machi.core.models import Department, Municipality, User
from machi.core.yaml_files import yaml_safe_load
from machi.procedures.models import Category
from machi.procedures.services.catalog import (
    PROCEDURE_FIELDS,
    category_upsert,
    form_definition_publish,
    life_event_save,
    procedure_save,
)

FORMAT = "machi-procedures/1"
T = TypeVar("T")


class CatalogFileError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ImportReport:
    categories: int = 0
    procedures: int = 0
    forms_published: list[str] = field(default_factory=list)
    life_events: int = 0


class _Rollback(Exception):
    pass


def parse_catalog_file(text: str) -> dict[str, Any]:
    try:
        data = yaml_safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise CatalogFileError([f"{where}not valid YAML ({exc.__class__.__name__})"]) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CatalogFileError([f'the file must start with "format: {FORMAT}"'])
    return data


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{name}: {m}" for name, messages in exc.message_dict.items() for m in messages]
    return list(exc.messages)


def catalog_import(*, actor: User | None, data: Mapping[str, Any]) -> ImportReport:
    """Create or update the categories, procedures, forms and guides of ``data``.

    Raises:
        CatalogFileError: every problem, each prefixed with where it is in the file.
    """
    problems: list[str] = []
    report = ImportReport()

    def attempt(where: str, work: Callable[[], T]) -> T | None:
        try:
            return work()
        except (ValidationError, PermissionDenied) as exc:
            messages = _messages(exc) if isinstance(exc, ValidationError) else [str(exc)]
            problems.extend(f"{where}: {message}" for message in messages)
            return None

    try:
        with transaction.atomic():
            _import(actor, data, report, attempt, problems)
            if problems:
                raise _Rollback
    except _Rollback:
        raise CatalogFileError(problems) from None
    return report


def _import(
    actor: User | None,
    data: Mapping[str, Any],
    report: ImportReport,
    attempt: Callable[[str, Callable[[], Any]], Any],
    problems: list[str],
) -> None:
    municipality = Municipality.objects.filter(code=str(data.get("municipality", ""))).first()
    if municipality is None:
        problems.append("municipality: no municipality has this code; create it first")
        return
    categories = {c.code: c for c in Category.objects.filter(municipality=municipality)}
    for index, raw in enumerate(data.get("categories") or []):
        where = f"categories[{index}]"
        if not isinstance(raw, Mapping) or not raw.get("code"):
            problems.append(f"{where}: needs a code and a name")
            continue
        category = attempt(
            where,
            partial(
                category_upsert,
                actor=actor,
                municipality=municipality,
                code=str(raw["code"]),
                name=str(raw.get("name", "")),
                name_en=str(raw.get("name_en", "")),
                description=str(raw.get("description", "")),
                order=int(raw.get("order", index)),
            ),
        )
        if category is not None:
            categories[category.code] = category
            report.categories += 1
    departments = {d.code: d for d in Department.objects.filter(municipality=municipality)}
    for index, raw in enumerate(data.get("procedures") or []):
        where = f"procedures[{index}]"
        if not isinstance(raw, Mapping) or not raw.get("code"):
            problems.append(f"{where}: needs a code")
            continue
        where = f"procedures[{index}] ({raw['code']})"
        category = categories.get(str(raw.get("category", "")))
        department = departments.get(str(raw.get("department", "")))
        if category is None or department is None:
            problems.append(f"{where}: unknown category or department code")
            continue
        values = {name: raw[name] for name in PROCEDURE_FIELDS if name in raw}
        values.setdefault("order", index)
        unknown = set(raw) - {*PROCEDURE_FIELDS, "code", "category", "department", "form"}
        if unknown:
            problems.append(f"{where}: unknown settings {', '.join(sorted(unknown))}")
            continue
        procedure = attempt(
            where,
            partial(
                procedure_save,
                actor=actor,
                municipality=municipality,
                code=str(raw["code"]),
                category=category,
                department=department,
                values=values,
            ),
        )
        if procedure is None:
            continue
        report.procedures += 1
        if "form" in raw:
            before = procedure.current_form_id
            form = attempt(
                f"{where}.form",
                partial(
                    form_definition_publish,
                    actor=actor,
                    procedure=procedure,
                    definition=raw["form"],
                    change_note="import",
                ),
            )
            if form is not None and form.pk != before:
                report.forms_published.append(f"{procedure.code} v{form.version}")
    for index, raw in enumerate(data.get("life_events") or []):
        where = f"life_events[{index}]"
        if not isinstance(raw, Mapping) or not raw.get("code"):
            problems.append(f"{where}: needs a code, a title and a guide")
            continue
        event = attempt(
            f"{where} ({raw['code']})",
            partial(
                life_event_save,
                actor=actor,
                municipality=municipality,
                code=str(raw["code"]),
                title=str(raw.get("title", "")),
                title_en=str(raw.get("title_en", "")),
                summary=str(raw.get("summary", "")),
                summary_en=str(raw.get("summary_en", "")),
                order=int(raw.get("order", index)),
                definition=raw.get("guide"),
            ),
        )
        if event is not None:
            report.life_events += 1
