"""Reads of the open data catalog, always within one municipality."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from machi.core.localized import localized
from machi.core.models import Department, Municipality
from machi.opendata import search
from machi.opendata.licenses import BY_ID, license_title
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
    return _with_details(Dataset.objects.filter(municipality=municipality))


def _with_details(datasets: QuerySet[Dataset]) -> QuerySet[Dataset]:
    return datasets.select_related("department", "department__parent").prefetch_related(
        "groups",
        Prefetch(
            "resources",
            queryset=Resource.objects.order_by("position", "created_at").prefetch_related(
                _published_versions()
            ),
        ),
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
    """Datasets in the order of ``ids`` (a search result page).

    Looked up by primary key alone, then kept only if they are the municipality's: with the
    municipality in the WHERE clause the planner may walk the municipality's whole index.
    """
    rows = {
        str(d.id): d
        for d in _with_details(Dataset.objects.filter(id__in=ids))
        if d.municipality_id == municipality.pk
    }
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


def facet_labels(
    municipality: Municipality, field: str, values: Collection[str], language: str = "ja"
) -> dict[str, str]:
    """What people read for facet values: a department's name rather than its code, a
    group's and a licence's title. Fields shown as they are (tags, formats) map nothing."""
    if field == "organization":
        departments = Department.objects.filter(
            municipality=municipality, code__in=values
        ).select_related("parent")
        return {organization_name(d): str(d) for d in departments}
    if field == "groups":
        groups = DatasetGroup.objects.filter(municipality=municipality, name__in=values)
        return {g.name: localized(g, "title", language) for g in groups}
    if field == "license_id":
        return {v: license_title(v, language) for v in values if v in BY_ID}
    return {}


_INDEXED_COLUMNS = (
    "id",
    "name",
    "title",
    "title_en",
    "notes",
    "tags",
    "state",
    "license_id",
    "generator",
    "created_at",
    "modified_at",
    "department_id",
    "department__code",
    "department__name",
)


def _indexed(
    row: dict[str, Any], groups: list[tuple[str, str]], resources: list[tuple[str, str]]
) -> search.IndexedDataset:
    """One dataset as the search sees it; ``groups`` are (name, title), ``resources`` (name,
    format)."""
    tags = tuple(row["tags"] or ())
    formats = tuple(sorted({fmt.upper() for _name, fmt in resources if fmt}))
    text = " ".join(
        [
            row["title"],
            row["title_en"],
            " ".join(tags),
            row["notes"],
            row["name"],
            row["department__name"],
            " ".join(title for _name, title in groups),
            " ".join(name for name, _fmt in resources),
            " ".join(formats),
        ]
    )
    dataset_id = str(row["id"])
    return search.IndexedDataset(
        id=dataset_id,
        name=row["name"],
        title=row["title"],
        tags=tags,
        text=search.fold(text),
        title_folded=search.fold(f"{row['title']} {row['title_en']}"),
        tags_folded=search.fold(" ".join(tags)),
        values={
            "organization": (row["department__code"],),
            "owner_org": (str(row["department_id"]),),
            "groups": tuple(name for name, _title in groups),
            "tags": tags,
            "res_format": formats,
            "license_id": (row["license_id"],),
            "name": (row["name"],),
            "id": (dataset_id,),
            "state": (row["state"],),
            "generator": (row["generator"],) if row["generator"] else (),
        },
        state=row["state"],
        metadata_modified=row["modified_at"],
        metadata_created=row["created_at"],
    )


def _index_rows(municipality: Municipality) -> list[search.IndexedDataset]:
    """Plain rows, not model instances: building the index of thousands of datasets is then
    a matter of milliseconds per hundred, not seconds."""
    datasets = Dataset.objects.filter(municipality=municipality).exclude(state=DatasetState.DELETED)
    groups: dict[Any, list[tuple[str, str]]] = defaultdict(list)
    for dataset_id, name, title in Dataset.groups.through.objects.filter(
        dataset__in=datasets
    ).values_list("dataset_id", "datasetgroup__name", "datasetgroup__title"):
        groups[dataset_id].append((name, title))
    resources: dict[Any, list[tuple[str, str]]] = defaultdict(list)
    for dataset_id, name, fmt in (
        Resource.objects.filter(dataset__in=datasets)
        .order_by("position", "created_at")
        .values_list("dataset_id", "name", "format")
    ):
        resources[dataset_id].append((name, fmt))
    return [
        _indexed(row, groups[row["id"]], resources[row["id"]])
        for row in datasets.values(*_INDEXED_COLUMNS).iterator(chunk_size=2000)
    ]


def catalog_index(municipality: Municipality) -> search.CatalogIndex:
    """The in-memory search index of the municipality's catalog, current as of now."""
    # COUNT(*) and MAX over the (municipality, state, modified_at) index alone.
    stamp = Dataset.objects.filter(municipality=municipality).aggregate(
        n=Count("*"), latest=Max("modified_at")
    )

    return search.index_for(
        str(municipality.pk), (stamp["n"], stamp["latest"]), lambda: _index_rows(municipality)
    )
