"""Publishing generated datasets: create once, then add a version only when content changes.

For one generator and one municipality everything happens in one transaction: the
dataset (created the first time, published, marked with the generator's key), its
resources (found by their ``generator_key``) and their new versions. If rendering or a
check fails, nothing of that run is kept and the public keeps seeing the previous
versions. After creation the dataset's description belongs to the staff: machi never
rewrites it, and a dataset staff have withdrawn (公開停止) is left alone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from machi.core.models import Municipality
from machi.opendata.generators import registry
from machi.opendata.generators.base import GeneratedResource, Generator, GroupSpec
from machi.opendata.models import (
    GENERATED_CHANGE_NOTE,
    Dataset,
    DatasetGroup,
    DatasetState,
    Resource,
)
from machi.opendata.services.catalog import dataset_create, group_upsert
from machi.opendata.services.resources import resource_create, version_publish_now

logger = logging.getLogger(__name__)


#: Why a run did nothing (``PublishResult.skipped``).
SKIP_WITHDRAWN = "withdrawn"  # staff withdrew the dataset (公開停止); machi leaves it alone
SKIP_EMPTY = "empty"  # the generator has nothing to publish yet
SKIP_NO_DEPARTMENT = "no-department"  # the municipality has no department to publish it
SKIP_REASONS = (SKIP_WITHDRAWN, SKIP_EMPTY, SKIP_NO_DEPARTMENT)


@dataclass(frozen=True)
class ResourceOutcome:
    key: str
    name: str
    version: int | None  # the new version's number; None when the content was unchanged
    created: bool = False


@dataclass
class PublishResult:
    """What one run of one generator did for one municipality."""

    generator: str
    municipality: str  # 全国地方公共団体コード
    dataset: str = ""  # the dataset's name
    created: bool = False
    resources: list[ResourceOutcome] = field(default_factory=list)
    skipped: str = ""  # why nothing was done: one of SKIP_REASONS
    error: str = ""  # why the run failed (nothing of it was kept)

    @property
    def changed(self) -> bool:
        return self.created or any(r.version is not None for r in self.resources)

    def describe(self) -> str:
        """One line for the command line and the log."""
        where = f"{self.municipality} {self.generator}"
        if self.error:
            return f"{where}: FAILED, nothing published: {self.error}"
        if self.skipped:
            return f"{where}: skipped ({self.skipped})"
        parts = [f"dataset {self.dataset} created" if self.created else f"dataset {self.dataset}"]
        for outcome in self.resources:
            if outcome.version is None:
                parts.append(f"{outcome.key} unchanged")
            else:
                parts.append(f"{outcome.key} v{outcome.version}")
        return f"{where}: " + ", ".join(parts)


def _groups(municipality: Municipality, specs: Iterable[GroupSpec]) -> list[DatasetGroup]:
    groups = []
    for spec in specs:
        found = (
            DatasetGroup.objects.filter(municipality=municipality)
            .filter(Q(name=spec.name) | Q(title=spec.title))
            .order_by("name")
            .first()
        )
        if found is None:
            found = group_upsert(
                municipality=municipality, name=spec.name, title=spec.title, title_en=spec.title_en
            )
        groups.append(found)
    return groups


def _free_name(municipality: Municipality, name: str) -> str:
    """``name``, or ``name-2`` … when staff already use it for a dataset of their own."""
    taken = set(
        Dataset.objects.filter(municipality=municipality, name__startswith=name).values_list(
            "name", flat=True
        )
    )
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name}-{number}"
    return candidate


def _create_dataset(municipality: Municipality, generator: Generator) -> Dataset | None:
    department = generator.publisher(municipality)
    if department is None:
        return None
    defaults = generator.defaults(municipality)
    return dataset_create(
        actor=None,
        municipality=municipality,
        name=_free_name(municipality, defaults.name),
        title=defaults.title,
        department=department,
        groups=_groups(municipality, defaults.groups),
        state=DatasetState.ACTIVE,
        generator=generator.key,
        title_en=defaults.title_en,
        notes=defaults.notes,
        tags=list(defaults.tags),
        license_id=defaults.license_id,
        frequency=defaults.frequency,
        spatial=str(municipality),
    )


def _publish_resource(dataset: Dataset, item: GeneratedResource) -> ResourceOutcome:
    resource = Resource.objects.filter(dataset=dataset, generator_key=item.key).first()
    created = resource is None
    if resource is None:
        resource = resource_create(
            actor=None,
            dataset=dataset,
            name=item.name,
            description=item.description,
            format=item.format,
            schema_name=item.schema_name,
            generator_key=item.key,
        )
    version = version_publish_now(
        actor=None,
        resource=resource,
        filename=item.filename,
        content=item.content,
        change_note=GENERATED_CHANGE_NOTE,
    )
    return ResourceOutcome(
        item.key, resource.name, version.number if version is not None else None, created
    )


@transaction.atomic
def generated_publish(*, municipality: Municipality, generator: Generator) -> PublishResult:
    """Bring ``generator``'s dataset of ``municipality`` up to date.

    Raises whatever the generator or the checks raise; the transaction is then rolled
    back, so nothing is published half-way.
    """
    result = PublishResult(generator=generator.key, municipality=municipality.code)
    # One run at a time per municipality (a row lock on PostgreSQL).
    Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
    dataset = (
        Dataset.objects.select_related("department")
        .filter(municipality=municipality, generator=generator.key)
        .first()
    )
    if dataset is not None and dataset.state == DatasetState.DELETED:
        result.dataset = dataset.name
        result.skipped = SKIP_WITHDRAWN
        return result
    if dataset is None:
        # Create first, so a generator that lists the catalog (オープンデータ一覧) sees its
        # own dataset on the very first run; undone if there is nothing to publish.
        savepoint = transaction.savepoint()
        dataset = _create_dataset(municipality, generator)
        if dataset is None:
            result.skipped = SKIP_NO_DEPARTMENT
            return result
        items = generator.resources(municipality)
        if not items:
            transaction.savepoint_rollback(savepoint)
            result.skipped = SKIP_EMPTY
            return result
        transaction.savepoint_commit(savepoint)
        result.created = True
    else:
        items = generator.resources(municipality)
    result.dataset = dataset.name
    keys = [item.key for item in items]
    if len(keys) != len(set(keys)):
        raise ValueError(f"Generator {generator.key} returned two resources with one key")
    for item in items:
        result.resources.append(_publish_resource(dataset, item))
    return result


def generated_publish_many(
    *, municipalities: Iterable[Municipality] | None = None, keys: Iterable[str] | None = None
) -> list[PublishResult]:
    """Run the registered generators (or those in ``keys``) for each active municipality.

    A failing generator is logged and reported; the others still run.
    """
    if municipalities is None:
        municipalities = Municipality.objects.filter(is_active=True).order_by("code")
    wanted = set(keys) if keys is not None else None
    chosen = [g for g in registry.generators() if wanted is None or g.key in wanted]
    results = []
    for municipality in municipalities:
        for generator in chosen:
            try:
                result = generated_publish(municipality=municipality, generator=generator)
            except Exception as exc:  # reported, and the next one runs
                logger.exception(
                    "Generator %s failed for %s; nothing was published",
                    generator.key,
                    municipality.code,
                )
                result = PublishResult(
                    generator=generator.key,
                    municipality=municipality.code,
                    error=f"{type(exc).__name__}: {exc}",
                )
            results.append(result)
    return results


def generated_publish_all() -> int:
    """Every generator for every active municipality; returns how many datasets changed."""
    results = generated_publish_many()
    for result in results:
        logger.info("%s", result.describe())
    return sum(1 for result in results if result.changed)
