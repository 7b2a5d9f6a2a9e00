"""Scenario menus: import from a YAML list (``code, title, order, definition``), all or
nothing, every problem with its place."""

from __future__ import annotations

from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from machi.assistant.models import Scenario
from machi.assistant.scenario_definition import scenario_problems
from machi.core.models import Municipality
from machi.core.yaml_files import yaml_safe_load


@transaction.atomic
def scenarios_import(*, municipality: Municipality, text: str) -> int:
    try:
        data: Any = yaml_safe_load(text)
    except yaml.YAMLError as exc:
        raise ValidationError(_("The file is not valid YAML: %(error)s") % {"error": exc}) from exc
    if not isinstance(data, list):
        raise ValidationError(_("The file must be a list of scenario menus."))
    problems: list[str] = []
    for index, item in enumerate(data):
        where = f"[{index}]"
        if not isinstance(item, dict):
            problems.append(_("%(path)s: a menu must be an object") % {"path": where})
            continue
        code = str(item.get("code", ""))
        if not code or slugify(code) != code:
            problems.append(_("%(path)s.code: letters, digits and hyphens") % {"path": where})
        if not 1 <= len(str(item.get("title", "")).strip()) <= 100:
            problems.append(_("%(path)s.title: 1 to 100 characters") % {"path": where})
        problems += [f"{where}.{p}" for p in scenario_problems(item.get("definition"))]
    if problems:
        raise ValidationError(problems)
    for item in data:
        Scenario.objects.update_or_create(
            municipality=municipality,
            code=item["code"],
            defaults={
                "title": str(item["title"]).strip(),
                "definition": item["definition"],
                "order": int(item.get("order", 0)),
                "is_published": bool(item.get("published", True)),
            },
        )
    return len(data)
