"""Staff pages of the open data portal: the municipality's datasets, the dataset form,
resources, uploads with their validation report, publishing, and a check-only tool.

Every change goes through ``machi.opendata.services``, which refuses staff of another
department (403). The pages also check it first, so nobody fills in a form in vain.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from machi.core.access import staff_required
from machi.core.models import Department, User
from machi.core.permissions import departments_with_role
from machi.core.tenant_request import MunicipalRequest
from machi.opendata.forms import DatasetForm, ResourceForm, UploadForm, ValidateForm
from machi.opendata.models import (
    Dataset,
    DatasetGroup,
    DatasetState,
    Resource,
    ResourceVersion,
    VersionStatus,
)
from machi.opendata.report_display import encoding_label, report_context
from machi.opendata.services import resources as resource_services
from machi.opendata.services.catalog import (
    PUBLISHER_ROLES,
    dataset_create,
    dataset_set_state,
    dataset_update,
    require_publisher,
)
from machi.opendata.services.resources import (
    has_errors,
    resource_create,
    version_discard,
    version_publish,
)


def _user(request: MunicipalRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _departments(request: MunicipalRequest) -> QuerySet[Department]:
    """The departments this member of staff may publish for (as ``require_publisher``
    decides)."""
    return (
        departments_with_role(_user(request), request.municipality, PUBLISHER_ROLES)
        .select_related("parent")
        .order_by("code")
    )


def _groups(request: MunicipalRequest) -> QuerySet[DatasetGroup]:
    return DatasetGroup.objects.filter(municipality=request.municipality).order_by("name")


def _schemas() -> list[tuple[str, str]]:
    """(name, "title (name)") of every Table Schema machi ships, in the 定義書's order."""
    from machi.opendata.table_schemas import list_schemas

    english = get_language() == "en"
    return [
        (
            schema.name,
            f"{(schema.title_en if english else schema.title) or schema.name} ({schema.name})",
        )
        for schema in list_schemas()
    ]


def _dataset(request: MunicipalRequest, dataset_id: Any) -> Dataset:
    return get_object_or_404(
        Dataset.objects.select_related("department", "department__parent"),
        pk=dataset_id,
        municipality=request.municipality,
    )


def _may_publish(request: MunicipalRequest, dataset: Dataset) -> None:
    require_publisher(_user(request), request.municipality, dataset.department)


# --- datasets -----------------------------------------------------------------------------


@staff_required
def dataset_list(request: MunicipalRequest) -> HttpResponse:
    datasets = (
        Dataset.objects.filter(municipality=request.municipality)
        .select_related("department", "department__parent")
        .annotate(resource_count=Count("resources"))
        .order_by("-modified_at")
    )
    state = request.GET.get("state", "")
    if state in DatasetState.values:
        datasets = datasets.filter(state=state)
    context = {
        "datasets": datasets[:500],
        "states": DatasetState.choices,
        "state": state,
        "can_create": _departments(request).exists(),
        # Only the datasets this member of staff may publish are links; the others
        # would answer 403.
        "editable_departments": set(_departments(request).values_list("pk", flat=True)),
    }
    return render(request, "opendata/staff_list.html", context)


def _initial(dataset: Dataset) -> dict[str, Any]:
    return {
        "title": dataset.title,
        "title_en": dataset.title_en,
        "notes": dataset.notes,
        "tags": ", ".join(dataset.tags),
        "groups": list(dataset.groups.all()),
        "department": dataset.department,
        "license_id": dataset.license_id,
        "frequency": dataset.frequency,
        "contact_name": dataset.contact_name,
        "contact_email": dataset.contact_email,
        "contact_phone": dataset.contact_phone,
        "spatial": dataset.spatial,
        "temporal_start": dataset.temporal_start,
        "temporal_end": dataset.temporal_end,
    }


@staff_required
def dataset_new(request: MunicipalRequest) -> HttpResponse:
    departments = _departments(request)
    if not departments.exists():
        raise PermissionDenied(_("Only staff who publish data for a department can add datasets."))
    form = DatasetForm(
        request.POST or None,
        groups=_groups(request),
        departments=departments,
        initial={"department": departments.first()},
    )
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            created = dataset_create(
                actor=_user(request),
                municipality=request.municipality,
                name=form.cleaned_data["name"],
                groups=list(form.cleaned_data["groups"]),
                **fields,
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request, _("The dataset was saved as a draft. Add its files, then publish it.")
            )
            return redirect("opendata:staff_dataset", dataset_id=created.pk)
    status = 400 if form.errors else 200
    return render(request, "opendata/staff_dataset_form.html", {"form": form}, status=status)


def _version_rows(resource: Resource) -> list[ResourceVersion]:
    return list(resource.versions.order_by("-number")[:20])


@staff_required
def dataset_edit(request: MunicipalRequest, dataset_id: Any) -> HttpResponse:
    dataset = _dataset(request, dataset_id)
    _may_publish(request, dataset)
    user = _user(request)
    form = DatasetForm(
        groups=_groups(request),
        departments=_departments(request),
        editing=True,
        initial=_initial(dataset),
    )
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action in ("publish", "withdraw", "draft"):
            state = {
                "publish": DatasetState.ACTIVE,
                "withdraw": DatasetState.DELETED,
                "draft": DatasetState.DRAFT,
            }[action]
            try:
                dataset_set_state(actor=user, dataset=dataset, state=state)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    {
                        "publish": _("The dataset is published."),
                        "withdraw": _("The dataset is withdrawn from the public portal."),
                        "draft": _("The dataset is a draft again."),
                    }[action],
                )
            return redirect("opendata:staff_dataset", dataset_id=dataset.pk)
        form = DatasetForm(
            request.POST,
            groups=_groups(request),
            departments=_departments(request),
            editing=True,
            initial=_initial(dataset),
        )
        if form.is_valid():
            try:
                dataset_update(
                    actor=user,
                    dataset=dataset,
                    groups=list(form.cleaned_data["groups"]),
                    **form.service_fields(),
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("opendata:staff_dataset", dataset_id=dataset.pk)
    resources = [
        {"resource": r, "versions": _version_rows(r)}
        for r in dataset.resources.order_by("position", "created_at")
    ]
    context = {"form": form, "dataset": dataset, "resources": resources}
    status = 400 if form.errors else 200
    return render(request, "opendata/staff_dataset_form.html", context, status=status)


# --- resources and uploads ----------------------------------------------------------------


@staff_required
def resource_new(request: MunicipalRequest, dataset_id: Any) -> HttpResponse:
    dataset = _dataset(request, dataset_id)
    _may_publish(request, dataset)
    form = ResourceForm(request.POST or None, schemas=_schemas())
    if request.method == "POST" and form.is_valid():
        try:
            created = resource_create(actor=_user(request), dataset=dataset, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            if created.url:
                messages.success(request, _("The link is added."))
                return redirect("opendata:staff_dataset", dataset_id=dataset.pk)
            messages.success(request, _("The resource is added. Now upload its file."))
            return redirect("opendata:staff_upload", resource_id=created.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "dataset": dataset}
    return render(request, "opendata/staff_resource_form.html", context, status=status)


def _resource(request: MunicipalRequest, resource_id: Any) -> Resource:
    return get_object_or_404(
        Resource.objects.select_related("dataset__department", "dataset__municipality"),
        pk=resource_id,
        dataset__municipality=request.municipality,
    )


@staff_required
def version_upload(request: MunicipalRequest, resource_id: Any) -> HttpResponse:
    resource = _resource(request, resource_id)
    _may_publish(request, resource.dataset)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version = resource_services.version_upload(
                actor=_user(request),
                resource=resource,
                filename=upload.name or "data",
                content=upload.read(),
                change_note=form.cleaned_data.get("change_note", ""),
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            return redirect("opendata:staff_version", version_id=version.pk)
    context = {
        "form": form,
        "resource": resource,
        "dataset": resource.dataset,
        "max_mb": settings.MACHI_OPENDATA_MAX_UPLOAD_MB,
    }
    status = 400 if form.errors else 200
    return render(request, "opendata/staff_upload.html", context, status=status)


def _version(request: MunicipalRequest, version_id: Any) -> ResourceVersion:
    return get_object_or_404(
        ResourceVersion.objects.select_related(
            "resource__dataset__department", "resource__dataset__municipality", "created_by"
        ),
        pk=version_id,
        resource__dataset__municipality=request.municipality,
    )


def _published_message(number: int, dataset_state: str) -> str:
    """What publishing a version did: the public sees it only once the dataset is published."""
    if dataset_state == DatasetState.DRAFT:
        text = _(
            "Version %(n)s is published, but the dataset is still a draft, so the public portal "
            "does not show it yet. To show it, press “Publish” on the dataset page."
        )
    elif dataset_state == DatasetState.DELETED:
        text = _(
            "Version %(n)s is published, but the dataset is withdrawn from the portal, so the "
            "public cannot see it. To show it again, press “Publish” on the dataset page."
        )
    else:
        text = _("Version %(n)s is published. The public page shows it now.")
    return text % {"n": number}


@staff_required
def version_detail(request: MunicipalRequest, version_id: Any) -> HttpResponse:
    version = _version(request, version_id)
    dataset = version.resource.dataset
    _may_publish(request, dataset)
    here = reverse("opendata:staff_version", kwargs={"version_id": version.pk})
    if request.GET.get("part") == "status":
        response = render(request, "opendata/_version_status.html", {"version": version})
        if version.status != VersionStatus.CHECKING:
            response["HX-Refresh"] = "true"
        return response
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "publish":
                version_publish(actor=_user(request), version=version)
                messages.success(request, _published_message(version.number, dataset.state))
            elif action == "discard":
                version_discard(actor=_user(request), version=version)
                messages.success(request, _("The upload is discarded."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(here)
    context = {
        "version": version,
        "resource": version.resource,
        "dataset": dataset,
        "report": report_context(version.report, get_language() or "ja"),
        "checking": version.status == VersionStatus.CHECKING,
        "can_publish": version.status == VersionStatus.CHECKED and not has_errors(version),
        "has_errors": version.status in (VersionStatus.CHECKED, VersionStatus.FAILED)
        and has_errors(version),
        "can_discard": version.status in (VersionStatus.CHECKED, VersionStatus.FAILED),
        "encoding": encoding_label(version.encoding, version.has_bom),
        "status_url": f"{here}?part=status",
    }
    return render(request, "opendata/staff_version.html", context)


@staff_required
def validate_tool(request: MunicipalRequest) -> HttpResponse:
    """Check any CSV against a schema without keeping or publishing it."""
    schemas = _schemas()
    form = ValidateForm(request.POST or None, request.FILES or None, schemas=schemas)
    report = None
    filename = ""
    if request.method == "POST" and form.is_valid():
        from machi.opendata.validation import validate_bytes

        upload = form.cleaned_data["file"]
        result = validate_bytes(upload.read(), form.cleaned_data["schema_name"] or None)
        report = report_context(result.to_dict(), get_language() or "ja")
        filename = upload.name
    context = {
        "form": form,
        "report": report,
        "filename": filename,
        "schema_titles": dict(schemas),
        "max_mb": settings.MACHI_OPENDATA_MAX_UPLOAD_MB,
    }
    return render(
        request, "opendata/staff_validate.html", context, status=400 if form.errors else 200
    )
