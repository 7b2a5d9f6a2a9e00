"""Back-office pages: the case queue, a case, its actions, and staff notifications."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from machi.casework import selectors, services
from machi.casework.department_stats import department_statistics
from machi.casework.models import Approval, Case, CaseEventKind
from machi.casework.permissions import can_revoke_documents
from machi.casework.services import approvals as approval_services
from machi.casework.services import exports as export_services
from machi.core.access import staff_required
from machi.core.charts import bar_chart_svg
from machi.core.csv_files import csv_attachment
from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.wareki import parse_date
from machi.core.models import User
from machi.core.tenant_request import MunicipalRequest
from machi.procedures import selectors as procedure_selectors
from machi.procedures.models import SubmissionStatus


def _user(request: MunicipalRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _date(text: str, errors: list[str], label: str) -> dt.date | None:
    if not text.strip():
        return None
    try:
        return parse_date(text)
    except JapaneseInputError as exc:
        errors.append(f"{label}: {exc.message}")
        return None


@staff_required
def case_list(request: MunicipalRequest) -> HttpResponse:
    user = _user(request)
    query = request.GET
    errors: list[str] = []
    filters = selectors.CaseFilters(
        status=query.get("status", "") if query.get("status") in SubmissionStatus.values else "",
        procedure=query.get("procedure", "")[:64],
        mine=query.get("mine") == "1",
        overdue=query.get("overdue") == "1",
        received_from=_date(query.get("from", ""), errors, _("Received from")),
        received_to=_date(query.get("to", ""), errors, _("Received to")),
    )
    page = selectors.case_page(
        user=user, municipality=request.municipality, filters=filters, number=query.get("page")
    )
    params = query.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "errors": errors,
        "statuses": SubmissionStatus.choices,
        "procedures": selectors.procedures_with_cases(user=user, municipality=request.municipality),
        "query": params.urlencode(),
        "today": timezone.localdate(),
        "language": get_language() or "ja",
    }
    return render(request, "casework/case_list.html", context, status=400 if errors else 200)


def _case_context(request: MunicipalRequest, case: Case, **extra: Any) -> dict[str, Any]:
    language = get_language() or "ja"
    submission = case.submission
    spec = procedure_selectors.form_spec(submission.form)
    attachments = list(submission.attachments.all())
    sections, computed = procedure_selectors.submission_summary(
        submission=submission, language=language, attachments=attachments
    )
    timeline = sorted(
        [("public", e.occurred_at, e) for e in submission.events.all()]
        # "opened" is the resident's 受付 above, and a note shows as itself.
        + [
            ("internal", e.occurred_at, e)
            for e in case.events.exclude(kind__in=[CaseEventKind.OPENED, CaseEventKind.NOTE])
        ]
        + [("note", n.created_at, n) for n in case.notes.all()],
        key=lambda row: row[1],
    )
    items = case.procedure.review_checklist
    return {
        "case": case,
        "submission": submission,
        "token": services.case_token(case),
        "sections": sections,
        "computed": computed,
        "attachments": attachments,
        "timeline": timeline,
        "checklist": [(i, text, case.checklist.get(str(i), {})) for i, text in enumerate(items)],
        "unchecked": selectors.unchecked_items(case=case),
        "fields": [(key, item.text(language)) for key, item in spec.fields_by_key.items()],
        "corrections": [
            (
                correction,
                procedure_selectors.correction_changes(
                    spec=spec, correction=correction, language=language
                ),
            )
            for correction in selectors.answered_corrections(case=case)
        ],
        "colleagues": selectors.case_staff(case=case),
        "may_revoke": can_revoke_documents(_user(request), case),
        "templates": case.procedure.decision_templates,
        **_approval_context(request, case),
        "today": timezone.localdate(),
        "errors": {},
        "posted": {},  # what a refused form sent, shown again so nothing typed is lost
        **extra,
    }


def _approval_context(request: MunicipalRequest, case: Case) -> dict[str, Any]:
    panel = selectors.approval_panel(case=case, user=_user(request))
    return {"has_route": case.procedure.approval_routes.exists(), **panel}


@staff_required
def case_detail(request: MunicipalRequest, case_id: str) -> HttpResponse:
    case = services.case_view(
        staff=_user(request), municipality=request.municipality, case_id=case_id
    )
    return render(request, "casework/case_detail.html", _case_context(request, case))


def _assign(request: MunicipalRequest, case: Case, version: str) -> Case:
    chosen = request.POST.get("assignee", "")
    assignee = selectors.case_staff(case=case).filter(pk=chosen).first() if chosen else None
    if chosen and assignee is None:
        raise ValidationError({"assignee": _("Choose a member of staff of the case's department.")})
    return services.case_assign(actor=_user(request), case=case, assignee=assignee, version=version)


def _checklist(request: MunicipalRequest, case: Case, version: str) -> Case:
    item = request.POST.get("item", "")
    if not item.isascii() or not item.isdigit():
        raise ValidationError(_("This checklist item does not exist."))
    return services.case_checklist_mark(
        actor=_user(request),
        case=case,
        item=int(item),
        done=request.POST.get("done") == "1",
        version=version,
    )


def _reason(request: MunicipalRequest) -> str:
    """The reason typed, else the chosen standard reason (pages without JavaScript send the
    choice only; with it the choice is copied into the box to be edited)."""
    return request.POST.get("reason", "").strip() or request.POST.get("template", "")


def _confirms_unchecked(request: MunicipalRequest) -> bool:
    return request.POST.get("confirm_unchecked") == "1"


ACTIONS: dict[str, Callable[[MunicipalRequest, Case, str], Any]] = {
    "assign": _assign,
    "checklist": _checklist,
    "note": lambda request, case, version: services.case_note_add(
        actor=_user(request), case=case, body=request.POST.get("body", ""), version=version
    ),
    "revoke_document": lambda request, case, version: services.case_document_revoke(
        actor=_user(request),
        case=case,
        document_id=request.POST.get("document", ""),
        reason=request.POST.get("revoke_reason", ""),
        version=version,
    ),
    "review": lambda request, case, version: services.case_start_review(
        actor=_user(request), case=case, version=version
    ),
    "correction": lambda request, case, version: services.case_request_correction(
        actor=_user(request),
        case=case,
        fields=request.POST.getlist("fields"),
        message=request.POST.get("message", ""),
        version=version,
    ),
    "decide": lambda request, case, version: services.case_decide(
        actor=_user(request),
        case=case,
        decision=request.POST.get("decision", ""),
        reason=_reason(request),
        version=version,
        confirm_unchecked=_confirms_unchecked(request),
    ),
}


@require_POST
@staff_required
def case_act(request: MunicipalRequest, case_id: str, action: str) -> HttpResponse:
    """Every action: parse, call the service with the version the page showed, show the
    case again (with the problems, or with what changed)."""
    if action not in ACTIONS:
        raise Http404
    case = Case.objects.filter(municipality=request.municipality, pk=case_id).first()
    if case is None:
        raise Http404
    try:
        ACTIONS[action](request, case, request.POST.get("version", ""))
    except services.CaseChanged as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("casework:case", case_id=case.pk)
    except ValidationError as exc:
        fresh = services.case_view(
            staff=_user(request), municipality=request.municipality, case_id=case_id
        )
        problems = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        context = _case_context(
            request, fresh, errors=problems, failed_action=action, posted=request.POST
        )
        return render(request, "casework/case_detail.html", context, status=400)
    except PermissionDenied:
        raise
    messages.success(request, _("Saved."))
    return redirect("casework:case", case_id=case.pk)


@staff_required
def case_attachment(request: MunicipalRequest, case_id: str, attachment_id: str) -> FileResponse:
    """A file of the application, shown in the browser (it was checked when uploaded)."""
    case = services.case_view(
        staff=_user(request), municipality=request.municipality, case_id=case_id
    )
    attachment = case.submission.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"), content_type=attachment.content_type, filename=attachment.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Framed by the case page only (its own origin), so a PDF opens inline beside the answers.
case_attachment = xframe_options_sameorigin(
    csp_replace({"frame-ancestors": [SELF], "object-src": [SELF]})(case_attachment)
)


def _approval_of(case: Case, request: MunicipalRequest) -> Approval:
    approval = case.approvals.filter(pk=request.POST.get("approval", "")).first()
    if approval is None:
        raise ValidationError(_("This approval does not exist any more. Reload the page."))
    return approval


def _to_order(request: MunicipalRequest) -> int:
    value = request.POST.get("to_order", "")
    if not value.isascii() or not value.isdigit():
        raise ValidationError({"to_order": _("Choose an earlier step or the drafter.")})
    return int(value)


APPROVAL_ACTIONS: dict[str, Callable[[MunicipalRequest, Case], Any]] = {
    "submit": lambda request, case: approval_services.approval_submit(
        actor=_user(request),
        case=case,
        decision=request.POST.get("decision", ""),
        reason=_reason(request),
        version=request.POST.get("version", ""),
        confirm_unchecked=_confirms_unchecked(request),
    ),
    "approve": lambda request, case: approval_services.approval_approve(
        actor=_user(request),
        approval=_approval_of(case, request),
        step_id=request.POST.get("step", ""),
        comment=request.POST.get("comment", ""),
    ),
    "deputy": lambda request, case: approval_services.approval_deputy_approve(
        actor=_user(request),
        approval=_approval_of(case, request),
        step_id=request.POST.get("step", ""),
        comment=request.POST.get("comment", ""),
    ),
    "post_review": lambda request, case: approval_services.approval_post_review(
        actor=_user(request),
        approval=_approval_of(case, request),
        step_id=request.POST.get("step", ""),
    ),
    "send_back": lambda request, case: approval_services.approval_send_back(
        actor=_user(request),
        approval=_approval_of(case, request),
        step_id=request.POST.get("step", ""),
        to_order=_to_order(request),
        reason=request.POST.get("reason", ""),
    ),
    "recall": lambda request, case: approval_services.approval_recall(
        actor=_user(request), approval=_approval_of(case, request)
    ),
    "resubmit": lambda request, case: approval_services.approval_resubmit(
        actor=_user(request),
        approval=_approval_of(case, request),
        decision=request.POST.get("decision", ""),
        reason=_reason(request),
        confirm_unchecked=_confirms_unchecked(request),
    ),
}


@require_POST
@staff_required
def approval_act(request: MunicipalRequest, case_id: str, action: str) -> HttpResponse:
    """Every e-approval action: the service checks who may do it at this step."""
    if action not in APPROVAL_ACTIONS:
        raise Http404
    case = Case.objects.filter(municipality=request.municipality, pk=case_id).first()
    if case is None:
        raise Http404
    try:
        APPROVAL_ACTIONS[action](request, case)
    except services.CaseChanged as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("casework:case", case_id=case.pk)
    except ValidationError as exc:
        if getattr(exc, "code", None) == "stale":
            messages.error(request, " ".join(exc.messages))
            return redirect("casework:case", case_id=case.pk)
        fresh = services.case_view(
            staff=_user(request), municipality=request.municipality, case_id=case_id
        )
        problems = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        context = _case_context(
            request,
            fresh,
            errors=problems,
            failed_action=f"approval-{action}",
            posted=request.POST,
        )
        return render(request, "casework/case_detail.html", context, status=400)
    messages.success(request, _("Saved."))
    return redirect("casework:case", case_id=case.pk)


@staff_required
def approval_tasks(request: MunicipalRequest) -> HttpResponse:
    """決裁待ち: what waits for the signed-in approver, deputy or absent approver."""
    tasks = selectors.approval_tasks(user=_user(request), municipality=request.municipality)
    return render(request, "casework/approvals.html", {"tasks": tasks})


@staff_required
def absence(request: MunicipalRequest) -> HttpResponse:
    """不在登録: an approver says when they are away and who decides for them (代決)."""
    user = _user(request)
    errors: list[str] = []
    if request.method == "POST":
        starts_on = _date(request.POST.get("starts_on", ""), errors, _("From"))
        ends_on = _date(request.POST.get("ends_on", ""), errors, _("To"))
        deputy = selectors.deputy_by_id(user=user, deputy_id=request.POST.get("deputy", ""))
        if deputy is None:
            errors.append(_("Deputy") + ": " + _("Choose who decides for you."))
        if not errors and starts_on and ends_on and deputy:
            try:
                approval_services.absence_register(
                    actor=user, user=user, deputy=deputy, starts_on=starts_on, ends_on=ends_on
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, _("Your absence was registered."))
                return redirect("casework:absence")
    context = {
        "errors": errors,
        "deputies": selectors.deputies_for(user=user),
        "absences": selectors.absences_of(user=user),
    }
    return render(request, "casework/absence.html", context, status=400 if errors else 200)


@staff_required
def case_export(request: MunicipalRequest) -> HttpResponse:
    """CSV for the core system (一括取込), UTF-8 with BOM or CP932; recorded each time."""
    user = _user(request)
    procedures = selectors.procedures_with_cases(user=user, municipality=request.municipality)
    errors: list[str] = []
    if request.method == "POST":
        procedure = procedures.filter(code=request.POST.get("procedure", "")).first()
        if procedure is None:
            errors.append(_("Choose the procedure to export."))
        else:
            try:
                exported = export_services.cases_export(
                    actor=user,
                    municipality=request.municipality,
                    procedure=procedure,
                    encoding=request.POST.get("encoding", ""),
                    include_exported=request.POST.get("include_exported") == "1",
                    cells=request.POST.get("cells", "text"),
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                return csv_attachment(
                    exported.content, request.POST.get("encoding", ""), exported.name
                )
    context = {
        "procedures": procedures,
        "encodings": export_services.ENCODINGS,
        "cell_formats": export_services.CELLS,
        "errors": errors,
        "exports": selectors.recent_exports(user=user, municipality=request.municipality),
    }
    return render(request, "casework/export.html", context, status=400 if errors else 200)


@staff_required
def case_statistics(request: MunicipalRequest) -> HttpResponse:
    figures = department_statistics(user=_user(request), municipality=request.municipality)
    months = [m.strftime("%Y-%m") for m in figures.months]
    chart = bar_chart_svg(
        [str(m.month) for m in figures.months],
        figures.monthly_totals,
        titles=months,
        title=_("Applications received per month"),
        summary=", ".join(f"{m}: {n}" for m, n in zip(months, figures.monthly_totals, strict=True)),
        ident="volume-chart",
    )
    rows = [
        (row, [figures.volume.get((str(row.procedure.pk), month), 0) for month in figures.months])
        for row in figures.rows
    ]
    context = {
        "figures": figures,
        "months": months,
        "rows": rows,
        "chart": mark_safe(chart),  # noqa: S308 - built from escaped text and numbers only
    }
    return render(request, "casework/statistics.html", context)
