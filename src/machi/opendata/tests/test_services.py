"""Catalog writes: who may publish, what the public sees, versions kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from machi.core.models import Department, Municipality, User
from machi.opendata import selectors
from machi.opendata.models import DatasetState, VersionStatus
from machi.opendata.services.catalog import dataset_create, dataset_set_state, dataset_update
from machi.opendata.services.resources import (
    version_discard,
    version_publish,
    version_publish_now,
    version_upload,
)
from machi.testing.factories import DatasetFactory, DepartmentFactory, ResourceFactory
from machi.testing.fixtures import make_staff

GOOD = "名称,緯度,経度\n亀山市役所,34.8553,136.4519\n".encode()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def dataset(city: Municipality, department: Department) -> Any:
    return DatasetFactory(
        municipality=city, name="shisetsu", title="施設一覧", department=department
    )


def test_a_draft_is_not_public_until_published(city: Municipality, dataset: Any) -> None:
    assert selectors.dataset_find(city, "shisetsu") is None
    dataset_set_state(actor=None, dataset=dataset, state=DatasetState.ACTIVE)
    assert selectors.dataset_find(city, "shisetsu") == dataset
    assert selectors.dataset_find(city, str(dataset.id)) == dataset
    assert selectors.catalog_index(city).search(q="施設").ids == [str(dataset.id)]


def test_names_are_checked_with_a_message_per_field(
    city: Municipality, department: Department, dataset: Any
) -> None:
    with pytest.raises(ValidationError) as bad:
        dataset_create(
            actor=None, municipality=city, name="Bad Name", title="", department=department
        )
    assert set(bad.value.message_dict) == {"name", "title"}
    with pytest.raises(ValidationError) as taken:
        dataset_create(
            actor=None, municipality=city, name="shisetsu", title="x", department=department
        )
    assert "name" in taken.value.message_dict


def test_tags_are_split_and_deduplicated(dataset: Any) -> None:
    dataset_update(actor=None, dataset=dataset, tags=["防災、避難", "防災", " "])
    dataset.refresh_from_db()
    assert dataset.tags == ["防災", "避難"]


def test_clerk_of_another_department_cannot_edit(city: Municipality, dataset: Any) -> None:
    other = DepartmentFactory(municipality=city, code="620", name="環境課")
    outsider = make_staff(city, "kankyo@kameyama.example.jp", department=other)
    with pytest.raises(PermissionDenied):
        dataset_update(actor=outsider, dataset=dataset, title="変更")


def test_clerk_of_the_department_can_edit(clerk: User, dataset: Any) -> None:
    dataset_update(actor=clerk, dataset=dataset, title="公共施設一覧")
    dataset.refresh_from_db()
    assert dataset.title == "公共施設一覧"


def test_upload_is_checked_then_published_and_history_kept(
    city: Municipality, dataset: Any, django_capture_on_commit_callbacks: Any
) -> None:
    dataset_set_state(actor=None, dataset=dataset, state=DatasetState.ACTIVE)
    resource = ResourceFactory(dataset=dataset, name="施設 CSV", format="CSV")
    with django_capture_on_commit_callbacks(execute=True):
        first = version_upload(actor=None, resource=resource, filename="a.csv", content=GOOD)
    first.refresh_from_db()
    # The task ran in-process on commit: the file was read and is waiting for staff.
    assert first.status == VersionStatus.CHECKED
    assert first.encoding == "utf-8" and first.row_count == 1
    assert selectors.current_version(resource) is None
    version_publish(actor=None, version=first)
    with django_capture_on_commit_callbacks(execute=True):
        second = version_upload(
            actor=None,
            resource=resource,
            filename="b.csv",
            content=GOOD + "関支所,34.8500,136.3900\n".encode(),
        )
    second.refresh_from_db()
    version_publish(actor=None, version=second)
    found = selectors.resource_find(city, str(resource.id))
    assert found is not None
    assert selectors.current_version(found).number == 2  # type: ignore[union-attr]
    assert [v.number for v in selectors.resource_history(resource)] == [2, 1]


def test_unreadable_file_cannot_be_published(
    dataset: Any, django_capture_on_commit_callbacks: Any
) -> None:
    resource = ResourceFactory(dataset=dataset, name="CSV", format="CSV")
    with django_capture_on_commit_callbacks(execute=True):
        version = version_upload(
            actor=None,
            resource=resource,
            filename="x.csv",
            content=b"\x89PNG\r\n\x1a\n\x00\x00binary",
        )
    version.refresh_from_db()
    assert version.status == VersionStatus.FAILED
    with pytest.raises(ValidationError):
        version_publish(actor=None, version=version)
    version_discard(actor=None, version=version)
    version.refresh_from_db()
    assert version.status == VersionStatus.DISCARDED


def test_publishing_the_same_content_again_adds_no_version(dataset: Any) -> None:
    resource = ResourceFactory(dataset=dataset, name="CSV", format="CSV")
    assert version_publish_now(actor=None, resource=resource, filename="a.csv", content=GOOD)
    assert (
        version_publish_now(actor=None, resource=resource, filename="a.csv", content=GOOD) is None
    )
    assert resource.versions.count() == 1


def test_too_large_upload_is_refused_and_nothing_kept(settings: Any, dataset: Any) -> None:
    settings.MACHI_OPENDATA_MAX_UPLOAD_MB = 1
    resource = ResourceFactory(dataset=dataset, name="CSV", format="CSV")
    with pytest.raises(ValidationError) as big:
        version_upload(actor=None, resource=resource, filename="big.csv", content=GOOD * 60_000)
    assert "1 MB" in str(big.value)
    assert resource.versions.count() == 0


def test_other_municipality_sees_nothing(
    city: Municipality, other_city: Municipality, dataset: Any
) -> None:
    dataset_set_state(actor=None, dataset=dataset, state=DatasetState.ACTIVE)
    assert selectors.dataset_find(other_city, "shisetsu") is None
    assert selectors.catalog_index(other_city).search().count == 0
    assert selectors.dataset_names(other_city, limit=None, offset=0) == []


def test_publishing_refreshes_the_generated_dataset_list(
    city: Municipality, dataset: Any, django_capture_on_commit_callbacks: Any
) -> None:
    resource = ResourceFactory(dataset=dataset, name="CSV", format="CSV")
    version_publish_now(actor=None, resource=resource, filename="a.csv", content=GOOD)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dataset_set_state(actor=None, dataset=dataset, state=DatasetState.ACTIVE)
        dataset_update(actor=None, dataset=dataset, title="公共施設の一覧")
    assert len(callbacks) == 1  # one refresh per transaction, however many changes
    listing = selectors.dataset_find(city, "opendata-list")
    assert listing is not None and listing.generator == "dataset-list"
    version = selectors.current_version(listing.resources.get(format="CSV"))
    assert version is not None
    with version.file.open("rb") as handle:
        assert "公共施設の一覧" in handle.read().decode("utf-8-sig")
