"""Background work of the open data portal (in-process in the embedded mode)."""

from __future__ import annotations

from celery import shared_task

from machi.core.models import Municipality
from machi.opendata.generators.publishing import generated_publish_all, generated_publish_many
from machi.opendata.models import ResourceVersion, VersionStatus
from machi.opendata.services.resources import version_check


@shared_task(name="opendata.version_check")
def opendata_version_check(version_id: str) -> str:
    """Validate an uploaded version. Safe to run twice: a checked version is left alone."""
    version = (
        ResourceVersion.objects.select_related("resource__dataset").filter(pk=version_id).first()
    )
    if version is None or version.status != VersionStatus.CHECKING:
        return "skipped"
    return version_check(version=version).status


@shared_task(name="opendata.generated_publish")
def opendata_generated_publish() -> int:
    """Bring every generated dataset of every municipality up to date."""
    return generated_publish_all()


@shared_task(name="opendata.dataset_list_refresh")
def opendata_dataset_list_refresh(municipality_id: str) -> int:
    """Bring one municipality's オープンデータ一覧 up to date after its catalog changed."""
    municipality = Municipality.objects.filter(pk=municipality_id, is_active=True).first()
    if municipality is None:
        return 0
    results = generated_publish_many(municipalities=[municipality], keys=["dataset-list"])
    return sum(1 for result in results if result.changed)
