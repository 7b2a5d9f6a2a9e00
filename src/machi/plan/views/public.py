"""Public pages (no login): the plan's progress, and its exports."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET
from rest_framework.renderers import JSONRenderer

from machi.core.csv_files import csv_attachment
from machi.core.tenant_request import MunicipalRequest
from machi.plan import selectors
from machi.plan.exports import plan_csv, plan_json


@require_GET
def plan_index(request: MunicipalRequest) -> HttpResponse:
    plans = list(selectors.plan_list(municipality=request.municipality))
    if len(plans) == 1:
        return redirect("plan:progress", code=plans[0].code)
    return render(request, "plan/plan_index.html", {"plans": plans})


@require_GET
def plan_progress(request: MunicipalRequest, code: str) -> HttpResponse:
    plan = selectors.plan_get(municipality=request.municipality, code=code)
    dashboard = selectors.plan_dashboard(plan=plan)
    return render(request, "plan/plan_progress.html", {"plan": plan, "dashboard": dashboard})


@require_GET
def plan_export_csv(request: MunicipalRequest, code: str) -> HttpResponse:
    plan = selectors.plan_get(municipality=request.municipality, code=code)
    content = plan_csv(selectors.plan_dashboard(plan=plan))
    return csv_attachment(content, "utf-8-sig", f"{plan.code}.csv")


@require_GET
def plan_export_json(request: MunicipalRequest, code: str) -> HttpResponse:
    plan = selectors.plan_get(municipality=request.municipality, code=code)
    # The API's own renderer, so the file and /api/v1/plans/<id>/ are byte-for-byte alike.
    body = JSONRenderer().render(plan_json(selectors.plan_dashboard(plan=plan)))
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan.code}.json"'
    return response
