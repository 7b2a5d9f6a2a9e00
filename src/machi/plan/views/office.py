"""The plan office for staff and committee members: tasks, initiatives, evaluations, OODA."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from machi.core.access import staff_required
from machi.core.models import User
from machi.core.tenant_request import MunicipalRequest
from machi.plan import permissions, selectors
from machi.plan.forms import ActualForm, CommentForm, EvaluationForm, OODAForm, ReasonForm
from machi.plan.models import Evaluation, Initiative
from machi.plan.services import discussion, evaluations, kpis


def _user(request: MunicipalRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@staff_required
def office_home(request: MunicipalRequest) -> HttpResponse:
    today = timezone.localdate()
    tasks = selectors.my_tasks(user=_user(request), municipality=request.municipality, today=today)
    plans = selectors.plan_list(municipality=request.municipality)
    return render(
        request, "plan/office_home.html", {"tasks": tasks, "plans": plans, "today": today}
    )


@staff_required
def office_plan(request: MunicipalRequest, code: str) -> HttpResponse:
    plan = selectors.plan_get(municipality=request.municipality, code=code)
    dashboard = selectors.plan_dashboard(plan=plan)
    return render(request, "plan/office_plan.html", {"plan": plan, "dashboard": dashboard})


def _initiative_page(
    request: MunicipalRequest,
    initiative: Initiative,
    *,
    evaluation_form: EvaluationForm | None = None,
    actual_forms: dict[str, ActualForm] | None = None,
    comment_form: CommentForm | None = None,
    reason_form: ReasonForm | None = None,
    reason_for: str = "",
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    plan = initiative.plan
    current = request.municipality.current_fiscal_year()
    history = selectors.initiative_evaluations(initiative=initiative)
    open_evaluation = next((e for e in history if e.is_editable), None)
    initial: dict[str, object] = {"fiscal_year": min(current, plan.last_fiscal_year)}
    if open_evaluation is not None:
        initial = {
            "fiscal_year": open_evaluation.fiscal_year,
            "grade": open_evaluation.grade,
            "comment": open_evaluation.comment,
            "next_action": open_evaluation.next_action,
        }
    kpi_series = selectors.initiative_kpis(initiative=initiative)
    can_enter = {
        str(s.kpi.pk): permissions.can_enter_actuals(user, s.kpi, request.municipality)
        for s in kpi_series
    }
    forms = actual_forms or {}
    for series in kpi_series:
        key = str(series.kpi.pk)
        if key not in forms:
            forms[key] = ActualForm(plan=plan, up_to=current, prefix_id=f"kpi-{key[:8]}")
    context = {
        "plan": plan,
        "initiative": initiative,
        "history": history,
        "kpis": [(s, forms[str(s.kpi.pk)], can_enter[str(s.kpi.pk)]) for s in kpi_series],
        "evaluation_form": evaluation_form
        or EvaluationForm(plan=plan, up_to=current, initial=initial),
        "comment_form": comment_form or CommentForm(),
        "reason_form": reason_form or ReasonForm(),
        "reason_for": reason_for,
        "can_prepare": permissions.can_prepare(user, initiative),
        "can_review": permissions.can_review(user, initiative),
        "is_member": permissions.is_committee_member(user, request.municipality),
        "comments": initiative.comments.filter(evaluation__isnull=True),
    }
    return render(request, "plan/office_initiative.html", context, status=status)


@staff_required
def initiative_detail(request: MunicipalRequest, initiative_id: str) -> HttpResponse:
    initiative = selectors.initiative_get(
        municipality=request.municipality, initiative_id=initiative_id
    )
    return _initiative_page(request, initiative)


@require_POST
@staff_required
def evaluation_save(request: MunicipalRequest, initiative_id: str) -> HttpResponse:
    initiative = selectors.initiative_get(
        municipality=request.municipality, initiative_id=initiative_id
    )
    form = EvaluationForm(
        request.POST, plan=initiative.plan, up_to=request.municipality.current_fiscal_year()
    )
    if form.is_valid():
        try:
            evaluation = evaluations.evaluation_save(
                actor=_user(request),
                municipality=request.municipality,
                initiative=initiative,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            if "submit" in request.POST:
                act, done, _has_reason = EVALUATION_ACTIONS["submit"]
                act(_user(request), request.municipality, evaluation, "")
                messages.success(request, _(done))
            else:
                messages.success(request, _("The self-assessment was saved."))
            return redirect("plan:initiative", initiative_id=initiative.pk)
    return _initiative_page(request, initiative, evaluation_form=form, status=400)


# Each workflow step: (service, message on success, whether the reason field is its own).
EVALUATION_ACTIONS: dict[str, tuple[Callable[..., Evaluation], str, bool]] = {
    "submit": (
        lambda actor, municipality, evaluation, reason: evaluations.evaluation_submit(
            actor=actor, municipality=municipality, evaluation=evaluation
        ),
        gettext_noop("The self-assessment was sent to the DX leader."),
        False,
    ),
    "review": (
        lambda actor, municipality, evaluation, reason: evaluations.evaluation_review(
            actor=actor, municipality=municipality, evaluation=evaluation, note=reason
        ),
        gettext_noop("Reviewed. The evaluation is now before the DX promotion committee."),
        False,
    ),
    "send-back": (
        lambda actor, municipality, evaluation, reason: evaluations.evaluation_send_back(
            actor=actor, municipality=municipality, evaluation=evaluation, reason=reason
        ),
        gettext_noop("The evaluation was sent back to the department."),
        True,
    ),
    "approve": (
        lambda actor, municipality, evaluation, reason: evaluations.evaluation_approve(
            actor=actor, municipality=municipality, evaluation=evaluation, note=reason
        ),
        gettext_noop("Your approval was recorded."),
        False,
    ),
    "revise": (
        lambda actor, municipality, evaluation, reason: evaluations.evaluation_revise(
            actor=actor, municipality=municipality, evaluation=evaluation, reason=reason
        ),
        gettext_noop("A new revision was opened. The approved one is kept in the history."),
        True,
    ),
}


@require_POST
@staff_required
def evaluation_act(request: MunicipalRequest, evaluation_id: str, action: str) -> HttpResponse:
    if action not in EVALUATION_ACTIONS:
        raise Http404
    act, done, has_reason = EVALUATION_ACTIONS[action]
    evaluation = selectors.evaluation_get(
        municipality=request.municipality, evaluation_id=evaluation_id
    )
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        act(_user(request), request.municipality, evaluation, form.cleaned_data.get("reason", ""))
    except ValidationError as exc:
        form.add_service_error(exc)
        initiative = selectors.initiative_get(
            municipality=request.municipality, initiative_id=str(evaluation.initiative_id)
        )
        reason_for = evaluation_id if has_reason else ""
        return _initiative_page(
            request, initiative, reason_form=form, reason_for=str(reason_for), status=400
        )
    messages.success(request, _(done))
    return redirect("plan:initiative", initiative_id=evaluation.initiative_id)


@require_POST
@staff_required
def kpi_actual(request: MunicipalRequest, kpi_id: str) -> HttpResponse:
    kpi = selectors.kpi_get(municipality=request.municipality, kpi_id=kpi_id)
    key = str(kpi.pk)
    form = ActualForm(
        request.POST,
        plan=kpi.plan,
        up_to=request.municipality.current_fiscal_year(),
        prefix_id=f"kpi-{key[:8]}",
    )
    if form.is_valid():
        try:
            kpis.kpi_actual_record(
                actor=_user(request),
                municipality=request.municipality,
                kpi=kpi,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The actual figure was saved."))
            if kpi.initiative_id:
                return redirect("plan:initiative", initiative_id=kpi.initiative_id)
            return redirect("plan:office_plan", code=kpi.plan.code)
    if kpi.initiative_id is None:
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("plan:office_plan", code=kpi.plan.code)
    initiative = selectors.initiative_get(
        municipality=request.municipality, initiative_id=str(kpi.initiative_id)
    )
    return _initiative_page(request, initiative, actual_forms={key: form}, status=400)


@require_POST
@staff_required
def comment_add(request: MunicipalRequest, initiative_id: str) -> HttpResponse:
    initiative = selectors.initiative_get(
        municipality=request.municipality, initiative_id=initiative_id
    )
    form = CommentForm(request.POST)
    form.is_valid()
    try:
        discussion.plan_comment_add(
            actor=_user(request),
            municipality=request.municipality,
            plan=initiative.plan,
            initiative=initiative,
            body=form.cleaned_data.get("body", ""),
        )
    except ValidationError as exc:
        form.add_service_error(exc)
        return _initiative_page(request, initiative, comment_form=form, status=400)
    messages.success(request, _("Your comment was posted."))
    return redirect("plan:initiative", initiative_id=initiative.pk)


@staff_required
def ooda_log(request: MunicipalRequest, code: str) -> HttpResponse:
    plan = selectors.plan_get(municipality=request.municipality, code=code)
    can_record = permissions.can_record_ooda(_user(request), request.municipality)
    form = OODAForm(plan=plan)
    status = 200
    if request.method == "POST":
        form = OODAForm(request.POST, plan=plan)
        data = form.cleaned_data if form.is_valid() else None
        try:
            if data is None:
                raise ValidationError(_("Check the highlighted fields."))
            discussion.ooda_record_create(
                actor=_user(request),
                municipality=request.municipality,
                plan=plan,
                decided_on=data.get("decided_on", ""),
                title=data.get("title", ""),
                observe=data.get("observe", ""),
                orient=data.get("orient", ""),
                decide=data.get("decide", ""),
                act=data.get("act", ""),
                decider=data.get("decider", ""),
                measure_ids=data.get("measures", []),
            )
        except ValidationError as exc:
            if data is not None:
                form.add_service_error(exc)
            status = 400
        else:
            messages.success(request, _("The decision was added to the OODA log."))
            return redirect("plan:ooda", code=plan.code)
    return render(
        request,
        "plan/office_ooda.html",
        {
            "plan": plan,
            "records": selectors.ooda_list(plan=plan),
            "form": form,
            "can_record": can_record,
        },
        status=status,
    )
