"""Catalog rows as CKAN 2.11 dictionaries (``package_show``, ``resource_show``,
``organization_show``, ``group_show``, ``tag_list``, ``license_list``).

Field names and types follow CKAN so existing clients read them unchanged; machi adds a
few resource keys (``datastore_active``, ``schema``, ``encoding``, ``version``) and keeps
dataset fields CKAN has no column for as ``extras`` (frequency, coverage, contact).
Times are UTC without an offset, as CKAN writes them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from machi.core.models import Department, Municipality
from machi.opendata import selectors
from machi.opendata.licenses import BY_ID, LICENSES, License
from machi.opendata.models import Dataset, DatasetGroup, Resource, ResourceVersion


@dataclass(frozen=True)
class Context:
    """What every action needs: the tenant and how to write absolute addresses."""

    municipality: Municipality
    site_url: str  # scheme and host, no trailing slash

    def absolute(self, path: str) -> str:
        return f"{self.site_url}{path}"

    def action_url(self, name: str) -> str:
        """``/api/3/action/<name>`` (the documented form; ckanapi's path works too)."""
        return reverse("opendata:ckan_action", kwargs={"version": "3", "action": name})


def ckan_time(value: dt.datetime | None) -> str | None:
    """``2024-05-01T03:04:05.123456``: UTC, no offset (CKAN's own format)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat()


def tag_id(municipality: Municipality, name: str) -> str:
    """Tags have no table of their own here; give each a stable id per tenant."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"machi:{municipality.pk}:tag:{name}"))


def tag_dict(municipality: Municipality, name: str) -> dict[str, Any]:
    return {
        "display_name": name,
        "id": tag_id(municipality, name),
        "name": name,
        "state": "active",
        "vocabulary_id": None,
    }


def license_dict(license: License) -> dict[str, Any]:
    return {
        "id": license.id,
        "title": license.title,
        "title_en": license.title_en,
        "url": license.url,
        "status": "active",
        "maintainer": "",
        "family": "",
        "od_conformance": license.od_conformance,
        "osd_conformance": "not reviewed",
        "domain_content": True,
        "domain_data": True,
        "domain_software": False,
        "is_generic": False,
        "is_okd_compliant": license.od_conformance == "approved",
        "is_osi_compliant": False,
    }


def licenses() -> list[dict[str, Any]]:
    return [license_dict(license) for license in LICENSES]


def organization_dict(
    department: Department, *, package_count: int | None = None
) -> dict[str, Any]:
    """A publishing department as a CKAN organisation; its ``name`` is the department code."""
    title = str(department)
    result: dict[str, Any] = {
        "id": str(department.pk),
        "name": selectors.organization_name(department),
        "title": title,
        "display_name": title,
        "title_en": department.name_en,
        "type": "organization",
        "description": "",
        "image_url": "",
        "image_display_url": "",
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def group_dict(group: DatasetGroup, *, package_count: int | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": str(group.pk),
        "name": group.name,
        "title": group.title,
        "display_name": group.title,
        "title_en": group.title_en,
        "description": group.description,
        "type": "group",
        "image_url": "",
        "image_display_url": "",
        "created": ckan_time(group.created_at),
        "is_organization": False,
        "approval_status": "approved",
        "state": "active",
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def group_brief(group: DatasetGroup) -> dict[str, Any]:
    """A group as listed inside a dataset."""
    return {
        "description": group.description,
        "display_name": group.title,
        "id": str(group.pk),
        "image_display_url": "",
        "name": group.name,
        "title": group.title,
    }


def is_listed(resource: Resource) -> bool:
    """Public resources: a published file, or a link to data kept elsewhere."""
    return selectors.current_version(resource) is not None or bool(resource.url)


def resource_dict(
    ctx: Context, resource: Resource, dataset: Dataset, position: int
) -> dict[str, Any]:
    version: ResourceVersion | None = selectors.current_version(resource)
    if version is not None:
        url = ctx.absolute(
            reverse("opendata:download", kwargs={"name": dataset.name, "resource_id": resource.pk})
        )
        url_type: str | None = "upload"
    else:
        url, url_type = resource.url, None
    return {
        "id": str(resource.pk),
        "package_id": str(dataset.pk),
        "name": resource.name,
        "description": resource.description,
        "format": resource.format,
        "url": url,
        "url_type": url_type,
        "mimetype": version.media_type if version else None,
        "mimetype_inner": None,
        "size": version.size if version else None,
        "hash": version.sha256 if version else "",
        "created": ckan_time(resource.created_at),
        "last_modified": ckan_time(version.published_at) if version else None,
        "metadata_modified": ckan_time(resource.modified_at),
        "position": position,
        "state": "active",
        "resource_type": None,
        "cache_url": None,
        "cache_last_updated": None,
        "datastore_active": bool(version and version.table_file),
        "schema": resource.schema_name,
        "encoding": version.encoding if version else "",
        "has_bom": version.has_bom if version else False,
        "version": version.number if version else None,
    }


def _extras(dataset: Dataset) -> list[dict[str, str]]:
    values = {
        "title_en": dataset.title_en,
        "frequency": dataset.frequency,
        "spatial": dataset.spatial,
        "temporal_start": dataset.temporal_start.isoformat() if dataset.temporal_start else "",
        "temporal_end": dataset.temporal_end.isoformat() if dataset.temporal_end else "",
        "contact_name": dataset.contact_name,
        "contact_email": dataset.contact_email,
        "contact_phone": dataset.contact_phone,
        "demo_data": "true" if dataset.is_demo else "",
        "generated_by": dataset.generator,
    }
    return [{"key": k, "value": v} for k, v in sorted(values.items()) if v]


def package_dict(ctx: Context, dataset: Dataset) -> dict[str, Any]:
    """``package_show``'s dictionary. ``dataset`` comes from
    :func:`selectors.datasets_with_details` so this makes no further queries."""
    license = BY_ID.get(dataset.license_id)
    resources = [r for r in dataset.resources.all() if is_listed(r)]
    groups = sorted(dataset.groups.all(), key=lambda g: g.name)
    organization = organization_dict(dataset.department)
    return {
        "id": str(dataset.pk),
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.notes,
        "url": "",
        "author": None,
        "author_email": None,
        "maintainer": dataset.contact_name or None,
        "maintainer_email": dataset.contact_email or None,
        "license_id": dataset.license_id,
        "license_title": license.title if license else dataset.license_id,
        "license_url": license.url if license else "",
        "isopen": bool(license and license.od_conformance == "approved"),
        "metadata_created": ckan_time(dataset.created_at),
        "metadata_modified": ckan_time(dataset.modified_at),
        "creator_user_id": None,
        "owner_org": organization["id"],
        "organization": organization,
        "private": False,
        "state": dataset.state,
        "type": "dataset",
        "version": None,
        "num_resources": len(resources),
        "num_tags": len(dataset.tags),
        "tags": [tag_dict(ctx.municipality, t) for t in dataset.tags],
        "groups": [group_brief(g) for g in groups],
        "extras": _extras(dataset),
        "resources": [resource_dict(ctx, r, dataset, i) for i, r in enumerate(resources)],
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }
