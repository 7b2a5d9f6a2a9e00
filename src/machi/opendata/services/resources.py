"""Resources and their versions: upload → check → publish (or discard).

An upload is stored as a new version in state *checking*; the validator runs as a task
(in-process in the embedded mode) and leaves the report on the version. Staff see the
report and publish. Only a published version is public, and publishing a version never
changes an earlier one, so the history stays downloadable. Generated datasets skip the
staff step but not the checks, and add a version only when the content changed.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from machi.core.audit_actions import AuditAction
from machi.core.models import User
from machi.core.services.audit import audit_record
from machi.core.task_queue import enqueue_on_commit
from machi.opendata.models import (
    Dataset,
    DatasetState,
    Resource,
    ResourceVersion,
    VersionStatus,
)
from machi.opendata.services.catalog import (
    assign_changes,
    catalog_changed,
    refuse_unknown_fields,
    require_publisher,
    save_changes,
    touch,
)

RESOURCE_FIELDS = ("name", "description", "url", "format", "schema_name")
TABULAR_FORMATS = {"CSV", "TSV"}
FORMAT_BY_SUFFIX = {
    ".csv": "CSV",
    ".tsv": "TSV",
    ".json": "JSON",
    ".geojson": "GeoJSON",
    ".xlsx": "XLSX",
    ".xls": "XLS",
    ".pdf": "PDF",
    ".zip": "ZIP",
    ".xml": "XML",
    ".ttl": "TTL",
}


def max_upload_bytes() -> int:
    return int(settings.MACHI_OPENDATA_MAX_UPLOAD_MB) * 1024 * 1024


def format_of(filename: str) -> str:
    return FORMAT_BY_SUFFIX.get(PurePath(filename).suffix.lower(), "")


def is_tabular(resource: Resource, filename: str) -> bool:
    return (resource.format or format_of(filename)).upper() in TABULAR_FORMATS


@transaction.atomic
def resource_create(
    *,
    actor: User | None,
    dataset: Dataset,
    name: str,
    description: str = "",
    url: str = "",
    format: str = "",
    schema_name: str = "",
    generator_key: str = "",
) -> Resource:
    require_publisher(actor, dataset.municipality, dataset.department)
    if not name.strip():
        raise ValidationError({"name": _("Enter a name for the resource.")})
    _check_schema(schema_name)
    position = (dataset.resources.aggregate(n=Max("position"))["n"] or 0) + 1
    resource = Resource.objects.create(
        dataset=dataset,
        name=name.strip(),
        description=description,
        url=url,
        format=format.strip().upper() if format.upper() != "GEOJSON" else "GeoJSON",
        schema_name=schema_name,
        generator_key=generator_key,
        position=position,
    )
    touch(dataset)
    audit_record(
        action=AuditAction.OPENDATA_RESOURCE_CREATE,
        actor=actor,
        municipality=dataset.municipality,
        target=resource,
        data={"dataset": dataset.name, "name": resource.name},
    )
    return resource


@transaction.atomic
def resource_update(*, actor: User | None, resource: Resource, **fields: Any) -> Resource:
    dataset = resource.dataset
    require_publisher(actor, dataset.municipality, dataset.department)
    refuse_unknown_fields(fields, RESOURCE_FIELDS, "resource")
    if "schema_name" in fields:
        _check_schema(fields["schema_name"])
    changed = assign_changes(resource, fields)
    if changed:
        save_changes(
            actor=actor,
            municipality=dataset.municipality,
            target=resource,
            changed=changed,
            action=AuditAction.OPENDATA_RESOURCE_UPDATE,
        )
        touch(dataset)
    return resource


def _check_schema(schema_name: str) -> None:
    if not schema_name:
        return
    from machi.opendata.table_schemas import schema_names

    if schema_name not in schema_names():
        raise ValidationError(
            {"schema_name": _("Unknown table schema: %(n)s") % {"n": schema_name}}
        )


def _new_version(
    *, actor: User | None, resource: Resource, filename: str, content: bytes, change_note: str
) -> ResourceVersion:
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    if len(content) > max_upload_bytes():
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)s MB. Split it or ask the IT office.")
                % {"mb": settings.MACHI_OPENDATA_MAX_UPLOAD_MB}
            }
        )
    safe_name = PurePath(filename.replace("\\", "/")).name or "data"
    number = (resource.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ResourceVersion(
        resource=resource,
        number=number,
        filename=safe_name[:200],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        media_type=mimetypes.guess_type(safe_name)[0] or "application/octet-stream",
        change_note=change_note[:300],
        created_by=actor,
    )
    version.file.save(safe_name, ContentFile(content), save=False)
    version.save()
    return version


@transaction.atomic
def version_upload(
    *,
    actor: User | None,
    resource: Resource,
    filename: str,
    content: bytes,
    change_note: str = "",
) -> ResourceVersion:
    """Store an upload as a new version and start checking it. Nothing is public yet."""
    dataset = Resource.objects.select_for_update().get(pk=resource.pk).dataset
    require_publisher(actor, dataset.municipality, dataset.department)
    version = _new_version(
        actor=actor, resource=resource, filename=filename, content=content, change_note=change_note
    )
    audit_record(
        action=AuditAction.OPENDATA_VERSION_UPLOAD,
        actor=actor,
        municipality=dataset.municipality,
        target=version,
        data={"resource": str(resource.pk), "number": version.number, "size": version.size},
    )
    enqueue_on_commit("opendata.version_check", str(version.pk))
    return version


def _set_progress(version_id: Any, percent: int) -> None:
    ResourceVersion.objects.filter(pk=version_id).update(progress=max(0, min(100, percent)))


def version_check(*, version: ResourceVersion) -> ResourceVersion:
    """Run the validator over a version's file and keep its report (idempotent)."""
    if version.status != VersionStatus.CHECKING:
        return version
    resource = version.resource
    with version.file.open("rb") as handle:
        content = handle.read()
    if is_tabular(resource, version.filename):
        _check_table(version, content)
    else:
        version.report = {"summary": {"valid": True, "tabular": False}, "problems": []}
        version.status = VersionStatus.CHECKED
    version.progress = 100
    version.save()
    return version


def _check_table(version: ResourceVersion, content: bytes) -> None:
    from machi.opendata.validation import read_table, validate_bytes

    resource = version.resource
    report = validate_bytes(
        content,
        resource.schema_name or None,
        progress=lambda percent: _set_progress(version.pk, int(percent * 0.9)),
    ).to_dict()
    version.report = report
    summary = report_summary(report)
    version.encoding = summary.get("encoding") or ""
    version.has_bom = bool(summary.get("has_bom", summary.get("bom")))
    if summary.get("readable") is False:
        version.status = VersionStatus.FAILED
        return
    try:
        table, _encoding, _bom = read_table(content)
    except ValueError:
        version.status = VersionStatus.FAILED
        return
    version.row_count = table.height
    version.columns = list(table.columns)
    buffer = io.BytesIO()
    table.write_parquet(buffer)
    version.table_file.save(f"{version.pk}.parquet", ContentFile(buffer.getvalue()), save=False)
    version.status = VersionStatus.CHECKED


def report_summary(report: dict[str, Any] | None) -> dict[str, Any]:
    """The summary of a stored report: nested under "summary", or the validator's flat
    ``ValidationReport.to_dict()`` itself."""
    if not report:
        return {}
    nested = report.get("summary")
    return nested if isinstance(nested, dict) else report


def has_errors(version: ResourceVersion) -> bool:
    return not report_summary(version.report).get("valid", False)


@transaction.atomic
def version_publish(*, actor: User | None, version: ResourceVersion) -> ResourceVersion:
    """Make a checked version the public one. A file with errors is refused."""
    version = (
        ResourceVersion.objects.select_for_update()
        .select_related("resource__dataset__department", "resource__dataset__municipality")
        .get(pk=version.pk)
    )
    dataset = version.resource.dataset
    require_publisher(actor, dataset.municipality, dataset.department)
    if version.status == VersionStatus.PUBLISHED:
        return version
    if version.status != VersionStatus.CHECKED:
        raise ValidationError(_("Only a checked file can be published."))
    if has_errors(version):
        raise ValidationError(
            _("The check found errors in this file. Correct them and upload it again.")
        )
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    resource = version.resource
    if not resource.format:
        resource.format = format_of(version.filename)
        resource.save(update_fields=["format", "modified_at"])
    touch(dataset)
    if dataset.state == DatasetState.ACTIVE:
        catalog_changed(dataset)
    audit_record(
        action=AuditAction.OPENDATA_VERSION_PUBLISH,
        actor=actor,
        municipality=dataset.municipality,
        target=version,
        data={"resource": str(resource.pk), "number": version.number},
    )
    return version


@transaction.atomic
def version_discard(*, actor: User | None, version: ResourceVersion) -> ResourceVersion:
    dataset = version.resource.dataset
    require_publisher(actor, dataset.municipality, dataset.department)
    if version.status == VersionStatus.PUBLISHED:
        raise ValidationError(_("A published version stays in the history."))
    version.status = VersionStatus.DISCARDED
    version.save(update_fields=["status"])
    audit_record(
        action=AuditAction.OPENDATA_VERSION_DISCARD,
        actor=actor,
        municipality=dataset.municipality,
        target=version,
        data={"number": version.number},
    )
    return version


@transaction.atomic
def version_publish_now(
    *,
    actor: User | None,
    resource: Resource,
    filename: str,
    content: bytes,
    change_note: str = "",
) -> ResourceVersion | None:
    """Upload, check and publish in one step (generators, demo data, scripted imports).

    Returns ``None`` when the newest published version already has this content, so
    re-running a generator adds no version. Refuses (and keeps nothing) if the check
    finds errors.
    """
    resource = Resource.objects.select_for_update().select_related("dataset").get(pk=resource.pk)
    latest = resource.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()
    if latest is not None and latest.sha256 == hashlib.sha256(content).hexdigest():
        return None
    version = _new_version(
        actor=actor, resource=resource, filename=filename, content=content, change_note=change_note
    )
    version_check(version=version)
    if version.status != VersionStatus.CHECKED or has_errors(version):
        raise ValidationError(
            _("%(file)s did not pass the check: %(summary)s")
            % {"file": filename, "summary": version.report.get("counts", version.report)}
        )
    return version_publish(actor=actor, version=version)
