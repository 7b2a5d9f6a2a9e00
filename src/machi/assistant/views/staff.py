"""Staff pages of the assistant: the dashboard of rates and questions to look at, and the
FAQ (list, CSV import and export, create and edit with a preview of how it ranks)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from machi.assistant import selectors
from machi.assistant.encoders import enabled_names
from machi.assistant.engine import FaqDocument
from machi.assistant.models import FaqEntry, Synonym
from machi.assistant.permissions import can_manage_faq
from machi.assistant.services.faq import (
    ImportReport,
    faq_entry_save,
    faq_export_csv,
    faq_import_csv,
)
from machi.assistant.services.synonyms import synonyms_export_csv, synonyms_import_csv
from machi.assistant.synonym_table import default_synonyms
from machi.core.access import staff_required
from machi.core.charts import bar_chart_svg
from machi.core.csv_files import ENCODINGS, csv_attachment
from machi.core.models import User
from machi.core.tenant_request import MunicipalRequest
from machi.procedures.models import Procedure

EDITED = "__edited__"


def _manager(request: MunicipalRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not can_manage_faq(user, request.municipality):
        raise PermissionDenied(_("Only staff who look after the FAQ can open this page."))
    return user


def _csv_export(
    request: MunicipalRequest, export: Callable[[str], bytes], filename: str, back: str
) -> HttpResponse:
    """The download in the encoding asked for (``?export=``), or back with the reason."""
    encoding = request.GET["export"]
    try:
        content = export(encoding)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    return csv_attachment(content, encoding, filename)


def _csv_upload(
    request: MunicipalRequest, load: Callable[[bytes], ImportReport], max_bytes: int
) -> list[str]:
    """Import the uploaded file; the problems, or none (with a message of what changed)."""
    upload = request.FILES.get("file")
    if upload is None or (upload.size or 0) > max_bytes:
        return [_("Choose a CSV file of at most %(mb)s MB to import.") % {"mb": max_bytes // 2**20}]
    try:
        report = load(upload.read())
    except ValidationError as exc:
        return exc.messages
    messages.success(
        request,
        _("Imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.")
        % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
    )
    return []


@staff_required
def dashboard(request: MunicipalRequest) -> HttpResponse:
    _manager(request)
    weeks = selectors.weekly_figures(municipality=request.municipality)
    labels = [f"{w.starts:%m/%d}" for w in weeks]
    chart = bar_chart_svg(
        labels,
        [w.asked for w in weeks],
        titles=[f"{w.starts:%Y-%m-%d}" for w in weeks],
        title=_("Questions per week"),
        summary=", ".join(f"{w.starts:%Y-%m-%d}: {w.asked} ({w.answer_rate}%)" for w in weeks),
        ident="questions-chart",
    )
    context = {
        "weeks": weeks,
        "chart": mark_safe(chart),  # noqa: S308 - built from escaped text and numbers only
        "groups": selectors.questions_to_review(municipality=request.municipality)[:50],
        "encoding": selectors.vector_progress(
            municipality=request.municipality, encoders=enabled_names()
        ),
    }
    return render(request, "assistant/staff_dashboard.html", context)


@staff_required
def faq_list(request: MunicipalRequest) -> HttpResponse:
    user = _manager(request)
    if request.GET.get("export") in ENCODINGS:
        return _csv_export(
            request,
            lambda encoding: faq_export_csv(municipality=request.municipality, encoding=encoding),
            "faq.csv",
            "assistant:faq_list",
        )
    errors: list[str] = []
    if request.method == "POST":
        errors = _csv_upload(
            request,
            lambda content: faq_import_csv(
                actor=user, municipality=request.municipality, content=content
            ),
            5 * 2**20,
        )
        if not errors:
            return redirect("assistant:faq_list")
    query = request.GET.get("q", "").strip()[:100]
    context = {
        "entries": selectors.faq_entries(municipality=request.municipality, query=query)[:500],
        "query": query,
        "errors": errors,
    }
    return render(request, "assistant/staff_faq_list.html", context, status=400 if errors else 200)


def _preview(
    request: MunicipalRequest, values: dict[str, str], entry: FaqEntry | None
) -> list[dict[str, Any]]:
    samples = [s.strip() for s in values.get("samples", "").splitlines() if s.strip()][:10]
    return selectors.faq_ranking_preview(
        municipality=request.municipality,
        edited=FaqDocument(
            EDITED,
            values.get("question", ""),
            values.get("answer", ""),
            values.get("category", ""),
            values.get("keywords", ""),
        ),
        replaces=entry,
        samples=samples,
    )


@staff_required
def faq_edit(request: MunicipalRequest, entry_id: str | None = None) -> HttpResponse:
    user = _manager(request)
    entry = (
        get_object_or_404(FaqEntry, pk=entry_id, municipality=request.municipality)
        if entry_id
        else None
    )
    fields = ("code", "category", "question", "answer", "keywords", "procedure", "samples")
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in fields}
        values["is_published"] = request.POST.get("is_published", "")
    elif entry is not None:
        values = {
            "code": entry.code,
            "category": entry.category,
            "question": entry.question,
            "answer": entry.answer,
            "keywords": entry.keywords,
            "procedure": entry.procedure.code if entry.procedure else "",
            "samples": entry.question,
            "is_published": "1" if entry.is_published else "",
        }
    else:  # "add to FAQ" from the dashboard passes the residents' wording
        asked = request.GET.get("question", "")[:300]
        values = {name: "" for name in fields} | {
            "question": asked,
            "samples": asked,
            "is_published": "1",
        }
    errors: list[str] = []
    preview = None
    status = 200
    if request.method == "POST" and request.POST.get("action") == "preview":
        preview = _preview(request, values, entry)
    elif request.method == "POST":
        try:
            saved = faq_entry_save(
                actor=user, municipality=request.municipality, entry=entry, values=values
            )
        except ValidationError as exc:
            errors = exc.messages
            status = 400
        else:
            messages.success(request, _("Saved. The assistant uses it from the next question."))
            return redirect("assistant:faq_edit", entry_id=saved.pk)
    context = {
        "entry": entry,
        "values": values,
        "errors": errors,
        "preview": preview,
        "procedures": Procedure.objects.filter(municipality=request.municipality).order_by(
            "order", "code"
        ),
    }
    return render(request, "assistant/staff_faq_form.html", context, status=status)


@staff_required
def synonyms(request: MunicipalRequest) -> HttpResponse:
    """The municipality's synonyms (used beside the shipped table): CSV in and out."""
    user = _manager(request)
    if request.GET.get("export") in ENCODINGS:
        return _csv_export(
            request,
            lambda encoding: synonyms_export_csv(
                municipality=request.municipality, encoding=encoding
            ),
            "synonyms.csv",
            "assistant:synonyms",
        )
    errors: list[str] = []
    if request.method == "POST":
        errors = _csv_upload(
            request,
            lambda content: synonyms_import_csv(
                actor=user, municipality=request.municipality, content=content
            ),
            2**20,
        )
        if not errors:
            return redirect("assistant:synonyms")
    context = {
        "own": Synonym.objects.filter(municipality=request.municipality).order_by("canonical"),
        "shipped": default_synonyms().pairs,
        "errors": errors,
    }
    return render(request, "assistant/staff_synonyms.html", context, status=400 if errors else 200)
