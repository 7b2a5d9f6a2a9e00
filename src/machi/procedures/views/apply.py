"""Filling in an application: start, one page per step, check your answers, submit."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from machi.core.formdef.definition import FormSpec, Step
from machi.core.formdef.engine import (
    FieldError,
    ForgedInput,
    clean_answers,
    clean_step,
    computed_rows,
    read_page,
    rendered_fields,
    summarize,
    visible_steps,
)
from machi.core.formdef.prefill import profile_changes
from machi.core.japanese.normalize import nfkc
from machi.core.tenant_request import MunicipalRequest
from machi.procedures import selectors
from machi.procedures.access import (
    DRAFTS_KEY,
    SUBMISSIONS_KEY,
    draft_for,
    remember,
    user_of,
)
from machi.procedures.models import Draft, Submission
from machi.procedures.page_fields import refresh_keys, step_field_views
from machi.procedures.services import drafts, submissions, visitors


def stale_form_message() -> str:
    return _(
        "This page does not belong to the form you started. "
        "Go back to your draft and continue from there."
    )


def forged_message() -> str:
    return _("The page sent answers to questions it did not ask. Nothing was saved.")


def language() -> str:
    return get_language() or "ja"


def portal_url(request: MunicipalRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _refused(request: MunicipalRequest, message: str) -> HttpResponse:
    """Input the page never offered (a forged or stale form): refuse, store nothing."""
    return render(request, "procedures/refused.html", {"message": message}, status=400)


def _step_url(draft: Draft, step: Step) -> str:
    return reverse("procedures:step", kwargs={"draft_id": draft.pk, "step_key": step.key})


def _first_open_step(spec: FormSpec, draft: Draft) -> Step | None:
    """The first step that applies and has not been completed, or None when all are."""
    return next(
        (s for s in visible_steps(spec, draft.answers) if s.key not in draft.completed_steps),
        None,
    )


@require_POST
def draft_start(request: MunicipalRequest, code: str) -> HttpResponse:
    opening = visitors.draft_open(
        municipality=request.municipality, code=code, user=request.user, session=request.session
    )
    if opening.warning:
        messages.warning(request, opening.warning)
    if opening.error:
        messages.error(request, opening.error)
    return redirect(opening.url)


def _step_context(
    request: MunicipalRequest,
    draft: Draft,
    spec: FormSpec,
    step: Step,
    *,
    values: dict[str, Any],
    answers: dict[str, Any],
    raw: bool,
    errors: list[FieldError],
    extra_items: dict[str, int] | None = None,
) -> dict[str, Any]:
    lang = language()
    steps = visible_steps(spec, answers)
    index = next((i for i, s in enumerate(steps) if s.key == step.key), 0)
    keys = refresh_keys(step, bool(spec.computed))
    fields = step_field_views(
        step,
        values=values,
        answers=answers,
        raw=raw,
        errors=errors,
        locked=draft.locked,
        attachments=list(draft.attachments.all()),
        language=lang,
        extra_items=extra_items,
        refresh_keys=keys,
    )
    computed = computed_rows(spec, answers, lang) if keys and spec.computed else []
    # What a changed answer updates in place (htmx): the fee, and fields it reveals.
    targets = [f"cond-{f.id}" for f in fields if f.conditional]
    return {
        "draft": draft,
        "procedure": draft.procedure,
        "procedure_title": draft.procedure.text(lang),
        "step": step,
        "step_title": step.text(lang),
        "step_intro": step.intro_text(lang),
        "steps": [(s, s.text(lang), s.key in draft.completed_steps) for s in steps],
        "step_number": index + 1,
        "step_count": len(steps),
        "previous_url": _step_url(draft, steps[index - 1]) if index > 0 else "",
        "fields": fields,
        "errors": errors,
        "computed": computed,
        "refresh_targets": ",".join([*targets, *(["computed-preview"] if computed else [])]),
        "has_files": any(f.type == "file" for f in step.fields),
        "form_version": draft.form.version,
        "expires_at": draft.expires_at,
    }


def _group_action(action: str, raw: dict[str, Any]) -> dict[str, int] | None:
    """Add a blank row to a group (``add:<group>``) or drop one (``remove:<group>:<n>``)."""
    parts = action.split(":")
    if parts[0] == "add" and len(parts) == 2:
        return {parts[1]: 1}
    if parts[0] == "remove" and len(parts) == 3 and re.fullmatch(r"[0-9]{1,3}", parts[2]):
        rows = raw.get(parts[1])
        if isinstance(rows, list) and int(parts[2]) < len(rows):
            rows.pop(int(parts[2]))
        return {}
    return None


def step(request: MunicipalRequest, draft_id: str, step_key: str) -> HttpResponse:
    draft = draft_for(request, draft_id)
    spec = selectors.form_spec(draft.form)
    current = next((s for s in visible_steps(spec, draft.answers) if s.key == step_key), None)
    if current is None:
        raise Http404
    open_step = _first_open_step(spec, draft)
    steps = visible_steps(spec, draft.answers)
    if open_step is not None and steps.index(current) > steps.index(open_step):
        return redirect(_step_url(draft, open_step))
    if request.method != "POST":
        context = _step_context(
            request,
            draft,
            spec,
            current,
            values=draft.answers,
            answers=draft.answers,
            raw=False,
            errors=[],
        )
        return render(request, "procedures/step.html", context)
    if request.POST.get("form_version") != str(draft.form.version):
        return _refused(
            request,
            stale_form_message(),
        )
    try:
        raw = read_page(current, request.POST, draft.answers)
    except ForgedInput:
        return _refused(request, forged_message())
    action = request.POST.get("_action", "")
    extra = _group_action(action, raw)
    if extra is not None:
        context = _preview_context(request, draft, spec, current, raw, extra)
        return render(request, "procedures/step.html", context)
    uploads = [
        drafts.Upload(name[2:], upload)
        for name in request.FILES
        if name.startswith("f-")
        for upload in request.FILES.getlist(name)
    ]
    try:
        outcome = drafts.draft_step_save(
            draft=draft, step_key=current.key, raw=raw, uploads=uploads, language=language()
        )
    except ForgedInput:
        return _refused(request, forged_message())
    if not outcome.ok:
        context = _step_context(
            request,
            draft,
            spec,
            current,
            values=raw,
            answers=outcome.answers,
            raw=True,
            errors=outcome.errors,
        )
        return render(request, "procedures/step.html", context, status=400)
    if action == "save":
        return redirect("procedures:save", draft_id=draft.pk)
    following = _first_open_step(spec, draft)
    if following is None and request.POST.get("return_to") != "check":
        steps = visible_steps(spec, draft.answers)
        position = steps.index(current) if current in steps else len(steps)
        following = steps[position + 1] if position + 1 < len(steps) else None
    if following is None:
        return redirect(
            draft.return_url or reverse("procedures:check", kwargs={"draft_id": draft.pk})
        )
    return redirect(_step_url(draft, following))


def _preview_context(
    request: MunicipalRequest,
    draft: Draft,
    spec: FormSpec,
    current: Step,
    raw: dict[str, Any],
    extra: dict[str, int],
) -> dict[str, Any]:
    """The step as it would be with what is on the page now (a row added or removed, an
    answer changed): conditions and fees follow, nothing is saved or reported as wrong."""
    # A page never posts the files it already holds: keep listing them.
    raw = {
        **raw,
        **{
            f.key: draft.answers[f.key]
            for f in rendered_fields(current, draft.answers)
            if f.type == "file" and f.key in draft.answers
        },
    }
    preview = clean_step(
        spec,
        current,
        raw,
        draft.answers,
        language=language(),
        today=timezone.localdate(),
        locked=draft.locked,
    ).answers
    return _step_context(
        request,
        draft,
        spec,
        current,
        values=raw,
        answers=preview,
        raw=True,
        errors=[],
        extra_items=extra,
    )


@require_POST
def step_refresh(request: MunicipalRequest, draft_id: str, step_key: str) -> HttpResponse:
    """htmx: the step's fields again, with fields revealed or hidden and the fee recomputed
    for what is on the page now. Nothing is saved; the server still decides on submit."""
    draft = draft_for(request, draft_id)
    spec = selectors.form_spec(draft.form)
    current = next((s for s in visible_steps(spec, draft.answers) if s.key == step_key), None)
    if current is None or request.POST.get("form_version") != str(draft.form.version):
        return HttpResponseBadRequest()
    try:
        raw = read_page(current, request.POST, draft.answers)
    except ForgedInput:
        return HttpResponseBadRequest()
    extra = _group_action(request.POST.get("_action", ""), raw) or {}
    context = _preview_context(request, draft, spec, current, raw, extra)
    return HttpResponse(render_to_string("procedures/_step_body.html", context, request=request))


def _step_of_error(spec: FormSpec, error: FieldError) -> Step:
    """The step to send the resident back to for a problem (``items[0].count`` → items)."""
    key = error.path.split("[")[0].split(".")[0]
    return spec.step(spec.step_of.get(key, "")) or spec.steps[0]


def _submission_made_from(request: MunicipalRequest, draft_id: str) -> Submission | None:
    """A second press of "submit" finds the application the first one made."""
    made = Submission.objects.filter(
        municipality=request.municipality, idempotency_key=str(draft_id)
    ).first()
    if made is None:
        return None
    user = user_of(request)
    mine = (
        made.applicant_id is not None and user is not None and made.applicant_id == user.pk
    ) or (str(made.pk) in request.session.get(SUBMISSIONS_KEY, []))
    return made if mine else None


def check(request: MunicipalRequest, draft_id: str) -> HttpResponse:
    if request.method == "POST":
        made = _submission_made_from(request, draft_id)
        if made is not None:
            return redirect("procedures:done", submission_id=made.pk)
    draft = draft_for(request, draft_id)
    if draft.return_url:
        return redirect(draft.return_url)  # filed from the counter session, not here
    spec = selectors.form_spec(draft.form)
    open_step = _first_open_step(spec, draft)
    if open_step is not None:
        return redirect(_step_url(draft, open_step))
    lang = language()
    user = user_of(request)
    errors: list[FieldError] = []
    if request.method == "POST":
        if request.POST.get("form_version") != str(draft.form.version):
            return _refused(
                request,
                stale_form_message(),
            )
        try:
            submission, _created = submissions.submission_create(
                municipality=request.municipality,
                draft_id=str(draft.pk),
                user=user,
                language=lang,
                portal_url=portal_url(request),
                save_to_profile=request.POST.get("save_to_profile") == "yes",
            )
        except drafts.IdentityRequired:
            messages.warning(
                request, _("This procedure needs identity verification with your My Number card.")
            )
            return redirect("procedures:detail", code=draft.procedure.code)
        except submissions.IncompleteAnswers as exc:
            errors = exc.field_errors
        else:
            if submission.applicant_id is None:
                remember(request, SUBMISSIONS_KEY, submission.pk)
            return redirect("procedures:done", submission_id=submission.pk)
    outcome = clean_answers(
        spec,
        draft.answers,
        language=lang,
        today=timezone.localdate(),
        locked=draft.locked,
        strict=False,
    )
    errors = errors or outcome.errors
    names = selectors.attachment_names(list(draft.attachments.all()))
    sections = summarize(spec, outcome.answers, lang, names)
    context = {
        "draft": draft,
        "procedure": draft.procedure,
        "procedure_title": draft.procedure.text(lang),
        "sections": [(s, _step_url(draft, s.step)) for s in sections],
        "computed": computed_rows(spec, outcome.answers, lang),
        "errors": [(e, _step_url(draft, _step_of_error(spec, e))) for e in errors],
        "offer_profile": bool(
            user and user.is_resident and profile_changes(spec, outcome.answers, draft.locked, user)
        ),
        "form_version": draft.form.version,
        "verified": sorted(draft.locked),
    }
    return render(
        request,
        "procedures/check.html",
        context,
        status=400 if errors and request.method == "POST" else 200,
    )


def save_for_later(request: MunicipalRequest, draft_id: str) -> HttpResponse:
    """一時保存: signed-in residents find the draft on My applications; others get a link."""
    draft = draft_for(request, draft_id)
    error = ""
    sent_to = ""
    if request.method == "POST" and draft.owner_id is None:
        email = nfkc(request.POST.get("email", "")).strip()
        try:
            validate_email(email)
        except ValidationError:
            error = _("Enter an e-mail address in the form name@example.jp.")
        else:
            drafts.draft_resume_link_send(
                draft=draft, email=email, portal_url=portal_url(request), language=language()
            )
            sent_to = email
    context = {
        "draft": draft,
        "procedure_title": draft.procedure.text(language()),
        "error": error,
        "sent_to": sent_to,
        "expires_at": draft.expires_at,
        "continue_url": _step_url(
            draft,
            _first_open_step(selectors.form_spec(draft.form), draft)
            or selectors.form_spec(draft.form).steps[0],
        ),
    }
    return render(request, "procedures/save.html", context, status=400 if error else 200)


def resume(request: MunicipalRequest, token: str) -> HttpResponse:
    draft = drafts.draft_from_resume_token(municipality=request.municipality, token=token)
    if draft is None:
        return render(request, "procedures/resume_expired.html", status=404)
    remember(request, DRAFTS_KEY, draft.pk)
    spec = selectors.form_spec(draft.form)
    following = _first_open_step(spec, draft)
    if following is None:
        return redirect("procedures:check", draft_id=draft.pk)
    return redirect(_step_url(draft, following))


@require_POST
def discard(request: MunicipalRequest, draft_id: str) -> HttpResponse:
    draft = draft_for(request, draft_id)
    drafts.draft_discard(draft=draft, actor=user_of(request))
    messages.success(request, _("The draft was deleted."))
    return redirect("procedures:mine" if user_of(request) else "procedures:catalog")


@require_POST
def attachment_remove(request: MunicipalRequest, draft_id: str, attachment_id: str) -> HttpResponse:
    draft = draft_for(request, draft_id)
    drafts.draft_attachment_remove(draft=draft, attachment_id=attachment_id)
    messages.success(request, _("The file was removed."))
    step_key = request.POST.get("step", "")
    spec = selectors.form_spec(draft.form)
    target = spec.step(step_key) or spec.steps[0]
    return redirect(_step_url(draft, target))
