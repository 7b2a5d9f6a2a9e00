"""Writes to the catalog: categories, procedures, form versions and life-event guides."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from machi.core.audit_actions import AuditAction
from machi.core.formdef.definition import DefinitionError, parse_definition
from machi.core.models import Department, Municipality, Role, User
from machi.core.permissions import require_role
from machi.core.services.audit import audit_record
from machi.procedures.life_events import parse_guide
from machi.procedures.models import (
    Category,
    FormDefinition,
    IdentityRequirement,
    LifeEvent,
    Procedure,
)

CATALOG_ROLES = [Role.PLATFORM_ADMIN, Role.DEPARTMENT_ADMIN]
PROCEDURE_FIELDS = (
    "title",
    "title_en",
    "summary",
    "summary_en",
    "eligibility",
    "deadline",
    "required_documents",
    "what_to_bring",
    "fee",
    "online",
    "counter_info",
    "identity_level",
    "keywords",
    "related_links",
    "processing_days",
    "review_checklist",
    "decision_templates",
    "is_published",
    "order",
)


def _check_actor(
    actor: User | None, municipality: Municipality, department: Department | None
) -> None:
    """``actor=None`` is the command line; staff need a catalog role (for that department)."""
    if actor is not None and not actor.is_superuser:
        require_role(actor, municipality, CATALOG_ROLES, department=department)


def definition_problems_text(error: DefinitionError) -> list[str]:
    return [f"{path}: {message}" if path else message for path, message in error.problems]


def _text_list(value: Any, field: str) -> list[str]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValidationError({field: _("Give a list of texts, one per line.")})
    return [v.strip() for v in value]


def _links(value: Any) -> list[dict[str, str]]:
    if value in (None, ""):
        return []
    links: list[dict[str, str]] = []
    if isinstance(value, list):
        for item in value:
            if (
                isinstance(item, Mapping)
                and isinstance(item.get("title"), str)
                and isinstance(item.get("url"), str)
                and item["url"].startswith(("https://", "http://", "/"))
            ):
                links.append({"title": item["title"].strip(), "url": item["url"].strip()})
                continue
            break
        else:
            return links
    raise ValidationError(
        {"related_links": _('Give a list of {"title": …, "url": …} with http(s) or /… addresses.')}
    )


def _templates(value: Any) -> dict[str, list[str]]:
    if value in (None, ""):
        return {}
    if isinstance(value, Mapping) and set(value) <= {"approve", "reject"}:
        return {kind: _text_list(value[kind], "decision_templates") for kind in value}
    raise ValidationError(
        {"decision_templates": _('Give {"approve": [texts], "reject": [texts]}.')}
    )


@transaction.atomic
def category_upsert(
    *,
    actor: User | None,
    municipality: Municipality,
    code: str,
    name: str,
    name_en: str = "",
    description: str = "",
    order: int = 0,
) -> Category:
    _check_actor(actor, municipality, None)
    category = Category.objects.filter(municipality=municipality, code=code).first()
    renamed = category is not None and (category.name, category.name_en) != (name, name_en)
    category = category or Category(municipality=municipality, code=code)
    category.name, category.name_en = name, name_en
    category.description, category.order = description, order
    category.full_clean()
    category.save()
    if renamed:
        # The category's name is searched with its procedures: mark them changed so the
        # catalog index is rebuilt on the next search.
        Procedure.objects.filter(category=category).update(updated_at=timezone.now())
    return category


@transaction.atomic
def procedure_save(
    *,
    actor: User | None,
    municipality: Municipality,
    code: str,
    category: Category,
    department: Department,
    values: Mapping[str, Any],
) -> Procedure:
    """Create or update a procedure's catalog entry (not its form: see
    :func:`form_definition_publish`)."""
    if department.municipality_id != municipality.pk or category.municipality_id != municipality.pk:
        raise PermissionDenied(_("The department and the category must be this municipality's."))
    _check_actor(actor, municipality, department)
    unknown = set(values) - set(PROCEDURE_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown settings: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    procedure = Procedure.objects.filter(municipality=municipality, code=code).first()
    created = procedure is None
    procedure = procedure or Procedure(municipality=municipality, code=code)
    procedure.category, procedure.department = category, department
    for name, value in values.items():
        setattr(procedure, name, value)
    procedure.required_documents = _text_list(procedure.required_documents, "required_documents")
    procedure.what_to_bring = _text_list(procedure.what_to_bring, "what_to_bring")
    procedure.related_links = _links(procedure.related_links)
    procedure.review_checklist = _text_list(procedure.review_checklist, "review_checklist")
    procedure.decision_templates = _templates(procedure.decision_templates)
    if procedure.identity_level not in IdentityRequirement.values:
        raise ValidationError({"identity_level": _("Use anonymous, signed_in or verified.")})
    procedure.full_clean(exclude=["current_form"])
    before = (
        None
        if created
        else Procedure.objects.filter(pk=procedure.pk).values(*PROCEDURE_FIELDS).first()
    )
    procedure.save()
    after = {name: getattr(procedure, name) for name in PROCEDURE_FIELDS}
    changed = sorted(
        name for name in PROCEDURE_FIELDS if before is None or before[name] != after[name]
    )
    if changed:
        audit_record(
            action=AuditAction.PROCEDURE_CREATED if created else AuditAction.PROCEDURE_UPDATED,
            actor=actor,
            municipality=municipality,
            target=procedure,
            data={"code": code, "fields": changed},
        )
    return procedure


def _canonical(definition: Any) -> str:
    return json.dumps(definition, sort_keys=True, ensure_ascii=False)


@transaction.atomic
def form_definition_publish(
    *,
    actor: User | None,
    procedure: Procedure,
    definition: Any,
    change_note: str = "",
) -> FormDefinition:
    """Make ``definition`` the procedure's form. An unchanged definition keeps the current
    version; a changed one becomes the next version (earlier ones stay for old drafts and
    submissions).

    Raises:
        ValidationError: on the ``definition`` field, one message per problem with its path.
    """
    _check_actor(actor, procedure.municipality, procedure.department)
    try:
        parse_definition(definition)
    except DefinitionError as exc:
        raise ValidationError({"definition": definition_problems_text(exc)}) from None
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    current = procedure.current_form
    if current is not None and _canonical(current.definition) == _canonical(definition):
        return current
    latest = FormDefinition.objects.filter(procedure=procedure).aggregate(v=Max("version"))["v"]
    form = FormDefinition.objects.create(
        municipality=procedure.municipality,
        procedure=procedure,
        version=(latest or 0) + 1,
        definition=definition,
        change_note=change_note[:300],
        created_by_label="system" if actor is None else actor.email,
    )
    procedure.current_form = form
    procedure.save(update_fields=["current_form", "updated_at"])
    audit_record(
        action=AuditAction.PROCEDURE_FORM_PUBLISHED,
        actor=actor,
        municipality=procedure.municipality,
        target=procedure,
        data={"version": form.version, "note": change_note[:300]},
    )
    return form


@transaction.atomic
def life_event_save(
    *,
    actor: User | None,
    municipality: Municipality,
    code: str,
    title: str,
    definition: Any,
    title_en: str = "",
    summary: str = "",
    summary_en: str = "",
    order: int = 0,
) -> LifeEvent:
    _check_actor(actor, municipality, None)
    codes = Procedure.objects.filter(municipality=municipality).values_list("code", flat=True)
    try:
        parse_guide(definition, codes)
    except DefinitionError as exc:
        raise ValidationError({"definition": definition_problems_text(exc)}) from None
    event = LifeEvent.objects.filter(municipality=municipality, code=code).first()
    created = event is None
    event = event or LifeEvent(municipality=municipality, code=code)
    event.title, event.title_en = title, title_en
    event.summary, event.summary_en = summary, summary_en
    event.definition, event.order = definition, order
    event.full_clean()
    event.save()
    if created:
        audit_record(
            action=AuditAction.LIFE_EVENT_CREATED,
            actor=actor,
            municipality=municipality,
            target=event,
        )
    return event
