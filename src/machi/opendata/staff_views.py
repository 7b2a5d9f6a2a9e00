"""Staff pages of the open data portal: the municipality's datasets, the dataset form,
resources, uploads with their validation report, publishing, and a check-only tool.

Every change goes through ``machi.opendata.services``, which refuses staff of another
department (403). The pages also check it first, so nobody fills in a form in vain.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from machi.core.access import staff_required
from machi.core.models import Department, StaffRole, User
from machi.core.permissions import has_role
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
from machi.opendata.views import encoding_label

SEVERITIES = ("error", "warning", "info")
PROBLEMS_SHOWN_PER_KIND = 200


def _user(request: MunicipalRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _departments(request: MunicipalRequest) -> QuerySet[Department]:
    """The departments this member of staff may publish for: those where they hold a
    publisher role, and the 課 under a 部 where they hold one (as ``require_publisher``
    decides); every department for a platform administrator."""
    user = _user(request)
    municipality = request.municipality
    departments = Department.objects.filter(municipality=municipality).order_by("code")
    if has_role(user, municipality, ()):  # only a platform administrator passes this
        return departments.select_related("parent")
    held = set(
        StaffRole.objects.filter(
            user=user, municipality=municipality, role__in=PUBLISHER_ROLES
        ).values_list("department_id", flat=True)
    )
    parents: dict[Any, Any] = dict(departments.values_list("pk", "parent_id"))
    allowed = []
    for pk in parents:
        chain: Any = pk
        for _step in range(10):  # a 課 under a 部 under …, as far as require_role looks
            if chain is None:
                break
            if chain in held:
                allowed.append(pk)
                break
            chain = parents.get(chain)
    return departments.filter(pk__in=allowed).select_related("parent")


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


#: A title for each kind of problem the validator reports (its stable codes).
KIND_TITLES = {
    "file.empty": gettext_lazy("Empty file"),
    "file.not-csv": gettext_lazy("Not a CSV file"),
    "file.no-rows": gettext_lazy("No rows of data"),
    "encoding.unknown": gettext_lazy("Unknown character encoding"),
    "encoding.utf16": gettext_lazy("Saved as UTF-16"),
    "encoding.cp932": gettext_lazy("Shift_JIS (CP932) encoding"),
    "ragged-row": gettext_lazy("Rows with the wrong number of cells"),
    "blank-row": gettext_lazy("Empty rows"),
    "header.blank": gettext_lazy("Columns without a header"),
    "header.duplicate": gettext_lazy("Repeated headers"),
    "header.missing": gettext_lazy("Missing columns"),
    "header.unknown": gettext_lazy("Columns the standard does not have"),
    "header.normalised": gettext_lazy("Headers written differently"),
    "header.misspelt": gettext_lazy("Misspelt headers"),
    "header.legacy-name": gettext_lazy("Headers with an older name"),
    "header.order": gettext_lazy("Columns out of the standard order"),
    "layout.legacy": gettext_lazy("Older 推奨データセット layout"),
    "layout.unknown": gettext_lazy("Not a standard layout"),
    "required.missing": gettext_lazy("Required values left empty"),
    "type.integer": gettext_lazy("Not a whole number"),
    "type.number": gettext_lazy("Not a number"),
    "type.date": gettext_lazy("Not a date"),
    "type.time": gettext_lazy("Not a time"),
    "wareki-date": gettext_lazy("Japanese-era dates (和暦)"),
    "excel-serial-date": gettext_lazy("Excel date serial numbers"),
    "fullwidth-digits": gettext_lazy("Full-width digits"),
    "constraint.enum": gettext_lazy("Values not in the list"),
    "constraint.pattern": gettext_lazy("Values in the wrong form"),
    "constraint.minimum": gettext_lazy("Values below the minimum"),
    "constraint.maximum": gettext_lazy("Values above the maximum"),
    "latitude.range": gettext_lazy("Latitude outside Japan"),
    "longitude.range": gettext_lazy("Longitude outside Japan"),
    "localgov-code.format": gettext_lazy("Local government codes in the wrong form"),
    "localgov-code.leading-zero": gettext_lazy("Local government codes missing a leading zero"),
    "localgov-code.check-digit": gettext_lazy("Local government codes with a wrong check digit"),
    "corporate-number.format": gettext_lazy("Corporate numbers in the wrong form"),
    "corporate-number.check-digit": gettext_lazy("Corporate numbers with a wrong check digit"),
    "phone.format": gettext_lazy("Telephone numbers in the wrong form"),
    "postal-code.format": gettext_lazy("Postal codes in the wrong form"),
    "kana.halfwidth": gettext_lazy("Half-width katakana"),
    "kana.invalid": gettext_lazy("Not katakana"),
    "format.uri": gettext_lazy("Addresses (URLs) in the wrong form"),
    "format.email": gettext_lazy("E-mail addresses in the wrong form"),
    "duplicate-id": gettext_lazy("Repeated IDs"),
    "platform-char": gettext_lazy("Platform-dependent characters"),
    "whitespace": gettext_lazy("Spaces around values"),
    "formula-cell": gettext_lazy("Cells a spreadsheet would run as formulas"),
}


def _in_language(problem: dict[str, Any], name: str, language: str) -> str:
    first, second = (
        (f"{name}_en", f"{name}_ja") if language == "en" else (f"{name}_ja", f"{name}_en")
    )
    return str(problem.get(first) or problem.get(second) or problem.get(name) or "")


def _problem(problem: dict[str, Any], language: str) -> dict[str, Any]:
    suggestion = problem.get("suggestion")
    return {
        "row": problem.get("row"),
        "column": problem.get("column"),
        "value": problem.get("value"),
        "message": _in_language(problem, "message", language),
        "fix": _in_language(problem, "fix", language),
        "suggestion": None if suggestion in (None, "") else str(suggestion),
        "severity": problem.get("severity") or "error",
    }


def _severity_label(severity: str) -> str:
    return {"error": _("Error"), "warning": _("Warning"), "info": _("Info")}.get(severity, severity)


def _severity_title(severity: str) -> str:
    return {
        "error": _("Errors (must be corrected before publishing)"),
        "warning": _("Warnings (should be corrected)"),
        "info": _("Notes"),
    }.get(severity, severity)


def _bilingual_note(note: str, language: str) -> str:
    """table_schemas writes its notes as "日本語 / English"."""
    japanese, _sep, english = note.partition(" / ")
    return (english or japanese) if language == "en" else japanese


def _legacy(summary: dict[str, Any], language: str) -> dict[str, Any] | None:
    """The older 推奨データセット layout: which schema, and each column's current name."""
    if summary.get("layout") != "legacy":
        return None
    schema_name = summary.get("schema")
    headers = [str(h.get("header", "")) for h in summary.get("headers") or []] or [
        str(c) for c in summary.get("columns") or []
    ]
    legacy: dict[str, Any] = {"name": summary.get("schema_title") or "", "mapping": []}
    if schema_name:
        from machi.opendata.table_schemas import UnknownSchemaError, legacy_mapping

        try:
            rows = legacy_mapping(str(schema_name), headers)
        except UnknownSchemaError:
            rows = []
        legacy["mapping"] = [(old, new, _bilingual_note(note, language)) for old, new, note in rows]
    return legacy


def report_context(report: dict[str, Any] | None, language: str) -> dict[str, Any] | None:
    """The validator's report arranged for people: the summary, then the problems grouped
    by kind (most severe first), each with where it is, what to do and a suggested value."""
    if not report:
        return None
    summary: dict[str, Any] = dict(report.get("summary") or report)
    problems: Iterable[dict[str, Any]] = report.get("problems") or []
    exact = summary.get("by_code") if isinstance(summary.get("by_code"), dict) else {}
    kinds: dict[str, dict[str, Any]] = {}
    stored = dict.fromkeys(SEVERITIES, 0)
    for raw in problems:
        problem = _problem(raw, language)
        severity = problem["severity"]
        stored[severity] = stored.get(severity, 0) + 1
        code = str(raw.get("code") or problem["message"])
        kind = kinds.get(code)
        if kind is None:
            kind = kinds[code] = {
                "code": code,
                "severity": severity,
                "title": str(KIND_TITLES.get(code, problem["message"])),
                "fix": problem["fix"],
                "count": 0,
                "problems": [],
                "same_fix": True,
            }
        kind["count"] += 1
        if problem["fix"] != kind["fix"]:
            kind["same_fix"] = False
        if len(kind["problems"]) < PROBLEMS_SHOWN_PER_KIND:
            kind["problems"].append(problem)
    ordered = sorted(
        kinds.values(),
        key=lambda k: (
            SEVERITIES.index(k["severity"]) if k["severity"] in SEVERITIES else 9,
            -k["count"],
        ),
    )
    for index, kind in enumerate(ordered, start=1):
        kind["count"] = max(kind["count"], int((exact or {}).get(kind["code"], 0)))
        kind["anchor"] = f"kind-{index}"
        kind["hidden"] = kind["count"] - len(kind["problems"])
        kind["severity_label"] = _severity_label(kind["severity"])
        kind["has_rows"] = any(p["row"] is not None for p in kind["problems"])
        kind["has_suggestions"] = any(p["suggestion"] is not None for p in kind["problems"])
    counts = dict(stored)
    if isinstance(summary.get("counts"), dict):
        counts.update({k: int(v) for k, v in summary["counts"].items() if isinstance(v, int)})
    encoding = str(summary.get("encoding") or "")
    has_bom = bool(summary.get("has_bom", summary.get("bom")))
    columns = summary.get("column_count", summary.get("columns"))
    return {
        "valid": bool(summary.get("valid")) and not counts.get("error"),
        "readable": summary.get("readable", True) is not False,
        "encoding": encoding_label(encoding, False) if encoding else "",
        "bom": has_bom,
        "rows": summary.get("rows"),
        "columns": len(columns) if isinstance(columns, list) else columns,
        "schema": summary.get("schema") or "",
        "schema_title": summary.get("schema_title") or "",
        "counts": [
            {"severity": s, "title": _severity_title(s), "count": counts.get(s, 0)}
            for s in SEVERITIES
        ],
        "error_count": counts.get("error", 0),
        "kinds": ordered,
        "legacy": _legacy(summary, language),
        "truncated": bool(summary.get("truncated")),
        "tabular": summary.get("tabular", True) is not False,
    }


def _version(request: MunicipalRequest, version_id: Any) -> ResourceVersion:
    return get_object_or_404(
        ResourceVersion.objects.select_related(
            "resource__dataset__department", "resource__dataset__municipality", "created_by"
        ),
        pk=version_id,
        resource__dataset__municipality=request.municipality,
    )


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
                messages.success(
                    request,
                    _("Version %(n)s is published. The public page shows it now.")
                    % {"n": version.number},
                )
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
