"""Reads of the open data catalog, always within one municipality."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from machi.core.models import Department, Municipality
from machi.opendata import search
from machi.opendata.models import (
    Dataset,
    DatasetGroup,
    DatasetState,
    Resource,
    ResourceVersion,
    VersionStatus,
)


def _published_versions() -> Prefetch[Any]:
    return Prefetch(
        "versions",
        queryset=ResourceVersion.objects.filter(status=VersionStatus.PUBLISHED).order_by("-number"),
        to_attr="published_versions",
    )


def datasets_with_details(municipality: Municipality) -> QuerySet[Dataset]:
    """Datasets with what a dataset page or ``package_show`` needs, in few queries."""
    return (
        Dataset.objects.filter(municipality=municipality)
        .select_related("department", "department__parent")
        .prefetch_related(
            "groups",
            Prefetch(
                "resources",
                queryset=Resource.objects.order_by("position", "created_at").prefetch_related(
                    _published_versions()
                ),
            ),
        )
    )


def dataset_find(
    municipality: Municipality, key: str, *, states: Sequence[str] = (DatasetState.ACTIVE,)
) -> Dataset | None:
    """A dataset by its name or id (CKAN accepts both), in one of ``states``."""
    found = datasets_with_details(municipality).filter(state__in=states)
    try:
        return found.get(Q(name=key) | Q(id=uuid.UUID(key)))
    except ValueError:
        return found.filter(name=key).first()
    except Dataset.DoesNotExist:
        return None


def datasets_by_ids(municipality: Municipality, ids: Sequence[str]) -> list[Dataset]:
    """Datasets in the order of ``ids`` (a search result page)."""
    rows = {str(d.id): d for d in datasets_with_details(municipality).filter(id__in=ids)}
    return [rows[i] for i in ids if i in rows]


def dataset_names(municipality: Municipality, *, limit: int | None, offset: int) -> list[str]:
    names = (
        Dataset.objects.filter(municipality=municipality, state=DatasetState.ACTIVE)
        .order_by("name")
        .values_list("name", flat=True)
    )
    return list(names[offset : offset + limit] if limit is not None else names[offset:])


def current_version(resource: Resource) -> ResourceVersion | None:
    """The newest published version (uses the prefetch when there is one)."""
    versions = getattr(resource, "published_versions", None)
    if versions is not None:
        return versions[0] if versions else None
    return resource.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


def resource_find(municipality: Municipality, resource_id: str) -> Resource | None:
    """A resource of a published dataset, by id."""
    try:
        key = uuid.UUID(str(resource_id))
    except ValueError:
        return None
    return (
        Resource.objects.filter(
            id=key, dataset__municipality=municipality, dataset__state=DatasetState.ACTIVE
        )
        .select_related("dataset")
        .prefetch_related(_published_versions())
        .first()
    )


def resource_history(resource: Resource) -> QuerySet[ResourceVersion]:
    return resource.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number")


def groups_with_counts(municipality: Municipality) -> QuerySet[DatasetGroup]:
    return DatasetGroup.objects.filter(municipality=municipality).annotate(
        package_count=Count("datasets", filter=Q(datasets__state=DatasetState.ACTIVE))
    )


def publishers_with_counts(municipality: Municipality) -> list[Department]:
    """Departments with a published dataset (CKAN organisations), each with ``package_count``."""
    counts = dict(
        Dataset.objects.filter(municipality=municipality, state=DatasetState.ACTIVE)
        .values("department")
        .annotate(n=Count("id"))
        .values_list("department", "n")
    )
    departments = list(
        Department.objects.filter(id__in=counts).select_related("parent").order_by("code")
    )
    for department in departments:
        department.package_count = counts[department.id]  # type: ignore[attr-defined]
    return departments


def publisher_find(municipality: Municipality, key: str) -> Department | None:
    """A department by its organisation name (code) or id."""
    found = Department.objects.filter(municipality=municipality)
    try:
        return found.filter(Q(code=key) | Q(id=uuid.UUID(key))).first()
    except ValueError:
        return found.filter(code=key).first()


def organization_name(department: Department) -> str:
    """The CKAN organisation name of a department."""
    return department.code


def _indexed(dataset: Dataset) -> search.IndexedDataset:
    groups = list(dataset.groups.all())
    resources = list(dataset.resources.all())
    formats = tuple(sorted({r.format.upper() for r in resources if r.format}))
    organization = dataset.department
    text = " ".join(
        [
            dataset.title,
            dataset.title_en,
            " ".join(dataset.tags),
            dataset.notes,
            dataset.name,
            organization.name,
            " ".join(g.title for g in groups),
            " ".join(r.name for r in resources),
            " ".join(formats),
        ]
    )
    return search.IndexedDataset(
        id=str(dataset.id),
        name=dataset.name,
        title=dataset.title,
        tags=tuple(dataset.tags),
        text=search.fold(text),
        title_folded=search.fold(f"{dataset.title} {dataset.title_en}"),
        tags_folded=search.fold(" ".join(dataset.tags)),
        values={
            "organization": (organization_name(organization),),
            "owner_org": (str(organization.pk),),
            "groups": tuple(g.name for g in groups),
            "tags": tuple(dataset.tags),
            "res_format": formats,
            "license_id": (dataset.license_id,),
            "name": (dataset.name,),
            "id": (str(dataset.id),),
            "state": (dataset.state,),
            "generator": (dataset.generator,) if dataset.generator else (),
        },
        state=dataset.state,
        metadata_modified=dataset.modified_at,
        metadata_created=dataset.created_at,
    )


def catalog_index(municipality: Municipality) -> search.CatalogIndex:
    """The in-memory search index of the municipality's catalog, current as of now."""
    stamp = Dataset.objects.filter(municipality=municipality).aggregate(
        n=Count("id"), latest=Max("modified_at")
    )

    def load() -> Iterable[search.IndexedDataset]:
        rows = (
            Dataset.objects.filter(municipality=municipality)
            .exclude(state=DatasetState.DELETED)
            .select_related("department")
            .prefetch_related(
                "groups",
                Prefetch("resources", Resource.objects.only("id", "dataset_id", "name", "format")),
            )
        )
        return [_indexed(d) for d in rows.iterator(chunk_size=2000)]

    return search.index_for(str(municipality.pk), (stamp["n"], stamp["latest"]), load)
