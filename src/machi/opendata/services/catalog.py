"""Datasets and groups: create, edit, publish and withdraw (公開・公開停止)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from machi.core.audit_actions import AuditAction
from machi.core.models import Department, Municipality, Role, User
from machi.core.permissions import require_role
from machi.core.services.audit import audit_record
from machi.core.task_queue import enqueue_on_commit
from machi.opendata.licenses import BY_ID
from machi.opendata.models import NAME_PATTERN, Dataset, DatasetGroup, DatasetState

PUBLISHER_ROLES = (Role.CLERK, Role.DEPARTMENT_ADMIN)
EDITABLE_FIELDS = (
    "title",
    "title_en",
    "notes",
    "tags",
    "department",
    "license_id",
    "frequency",
    "contact_name",
    "contact_email",
    "contact_phone",
    "spatial",
    "temporal_start",
    "temporal_end",
)


def require_publisher(
    actor: User | None, municipality: Municipality, department: Department
) -> None:
    """Staff of the publishing department (or its 部) and platform administrators; ``None`` is
    machi itself (generators, demo loading)."""
    if actor is not None:
        require_role(actor, municipality, PUBLISHER_ROLES, department=department)


def refuse_unknown_fields(fields: Mapping[str, Any], allowed: Iterable[str], what: str) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown {what} fields: {sorted(unknown)}")


def assign_changes(target: models.Model, fields: Mapping[str, Any]) -> list[str]:
    """Set the fields whose value differs; their names, for :func:`save_changes`."""
    changed = [key for key, value in fields.items() if getattr(target, key) != value]
    for key in changed:
        setattr(target, key, fields[key])
    return changed


def save_changes(
    *,
    actor: User | None,
    municipality: Municipality,
    target: models.Model,
    changed: list[str],
    action: AuditAction,
) -> None:
    """Save an edit and write which fields it changed to the audit log."""
    target.save()
    audit_record(
        action=action,
        actor=actor,
        municipality=municipality,
        target=target,
        data={"fields": changed},
    )


def clean_tags(tags: Sequence[str]) -> list[str]:
    """Tags as typed, without blanks and repeats; CKAN allows no commas inside a tag."""
    seen: list[str] = []
    for raw in tags:
        for tag in re.split(r"[,、，]", raw):
            tag = tag.strip()
            if tag and tag not in seen:
                if len(tag) > 100:
                    raise ValidationError(
                        {"tags": _("A tag can have at most 100 characters: %(tag)s") % {"tag": tag}}
                    )
                seen.append(tag)
    return seen


def _check(dataset: Dataset) -> None:
    errors: dict[str, str] = {}
    if not re.fullmatch(NAME_PATTERN, dataset.name):
        errors["name"] = _(
            "Use 2 to 100 lowercase letters, digits, - or _ (for example hinanjo-ichiran)."
        )
    elif (
        Dataset.objects.filter(municipality=dataset.municipality, name=dataset.name)
        .exclude(pk=dataset.pk)
        .exists()
    ):
        errors["name"] = _("Another dataset already uses this name.")
    if not dataset.title.strip():
        errors["title"] = _("Enter a title.")
    if dataset.license_id not in BY_ID:
        errors["license_id"] = _("Choose one of the licences in the list.")
    if dataset.department.municipality_id != dataset.municipality_id:
        errors["department"] = _("Choose a department of this municipality.")
    if (
        dataset.temporal_start
        and dataset.temporal_end
        and dataset.temporal_start > dataset.temporal_end
    ):
        errors["temporal_end"] = _("The end of the period is before its start.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def group_upsert(
    *,
    municipality: Municipality,
    name: str,
    title: str,
    title_en: str = "",
    description: str = "",
) -> DatasetGroup:
    group, _created = DatasetGroup.objects.update_or_create(
        municipality=municipality,
        name=name,
        defaults={"title": title, "title_en": title_en, "description": description},
    )
    return group


@transaction.atomic
def dataset_create(
    *,
    actor: User | None,
    municipality: Municipality,
    name: str,
    title: str,
    department: Department,
    groups: Sequence[DatasetGroup] = (),
    state: str = DatasetState.DRAFT,
    is_demo: bool = False,
    generator: str = "",
    **fields: Any,
) -> Dataset:
    """A new dataset (a draft unless ``state`` says otherwise)."""
    require_publisher(actor, municipality, department)
    refuse_unknown_fields(fields, EDITABLE_FIELDS, "dataset")
    if "tags" in fields:
        fields["tags"] = clean_tags(fields["tags"])
    dataset = Dataset(
        municipality=municipality,
        name=name.strip(),
        title=title.strip(),
        department=department,
        state=state,
        is_demo=is_demo,
        generator=generator,
        **fields,
    )
    _check(dataset)
    dataset.save()
    dataset.groups.set(groups)
    audit_record(
        action=AuditAction.OPENDATA_DATASET_CREATE,
        actor=actor,
        municipality=municipality,
        target=dataset,
        data={"name": dataset.name, "state": state},
    )
    return dataset


@transaction.atomic
def dataset_update(
    *,
    actor: User | None,
    dataset: Dataset,
    groups: Sequence[DatasetGroup] | None = None,
    **fields: Any,
) -> Dataset:
    """Change a dataset's description. Only the fields given change."""
    require_publisher(actor, dataset.municipality, dataset.department)
    refuse_unknown_fields(fields, EDITABLE_FIELDS, "dataset")
    if "tags" in fields:
        fields["tags"] = clean_tags(fields["tags"])
    if "department" in fields:
        require_publisher(actor, dataset.municipality, fields["department"])
    changed = assign_changes(dataset, fields)
    _check(dataset)
    if groups is not None and {g.pk for g in groups} != {g.pk for g in dataset.groups.all()}:
        dataset.groups.set(groups)
        changed.append("groups")
    if changed:
        save_changes(
            actor=actor,
            municipality=dataset.municipality,
            target=dataset,
            changed=changed,
            action=AuditAction.OPENDATA_DATASET_UPDATE,
        )
        if dataset.state == DatasetState.ACTIVE:
            catalog_changed(dataset)
    return dataset


@transaction.atomic
def dataset_set_state(*, actor: User | None, dataset: Dataset, state: str) -> Dataset:
    """Publish, withdraw or return a dataset to draft."""
    require_publisher(actor, dataset.municipality, dataset.department)
    if state not in DatasetState.values:
        raise ValidationError({"state": _("Unknown state.")})
    if state == DatasetState.ACTIVE and not dataset.title.strip():
        raise ValidationError({"title": _("Enter a title before publishing.")})
    if dataset.state != state:
        before = dataset.state
        dataset.state = state
        dataset.save(update_fields=["state", "modified_at"])
        catalog_changed(dataset)
        audit_record(
            action=AuditAction.OPENDATA_DATASET_STATE,
            actor=actor,
            municipality=dataset.municipality,
            target=dataset,
            data={"from": before, "to": state},
        )
    return dataset


def catalog_changed(dataset: Dataset) -> None:
    """After commit, refresh the municipality's generated オープンデータ一覧 — once per
    transaction, and not for changes the generators make themselves."""
    if dataset.generator:
        return
    key = str(dataset.municipality_id)
    enqueue_on_commit("opendata.dataset_list_refresh", key, once=f"opendata-list:{key}")


def touch(dataset: Dataset) -> None:
    """Mark the dataset modified (CKAN's metadata_modified moves when a resource changes)."""
    dataset.save(update_fields=["modified_at"])
