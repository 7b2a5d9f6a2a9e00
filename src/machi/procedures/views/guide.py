"""Life-event guides: one question per page, then the checklist of what applies."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from machi.core import pdf
from machi.core.tenant_request import MunicipalRequest
from machi.procedures import selectors
from machi.procedures.life_events import Guide
from machi.procedures.models import LifeEvent


def _state(request: MunicipalRequest, code: str) -> tuple[LifeEvent, Guide, dict[str, str]]:
    event = selectors.life_event_get(municipality=request.municipality, code=code)
    guide = selectors.life_event_guide(municipality=request.municipality, life_event=event)
    given = {key: value for key, value in request.GET.items() if isinstance(value, str)}
    return event, guide, guide.clean(given)


def _results(
    request: MunicipalRequest, guide: Guide, answers: dict[str, str], language: str
) -> list[dict[str, object]]:
    items = guide.applicable(answers)
    procedures = selectors.procedures_by_code(
        municipality=request.municipality, codes=[i.procedure for i in items if i.procedure]
    )
    results: list[dict[str, object]] = []
    for item in items:
        procedure = procedures.get(item.procedure) if item.procedure else None
        if item.procedure and procedure is None:
            continue  # unpublished since the guide was written
        results.append(
            {
                "procedure": procedure,
                "title": procedure.text(language) if procedure else item.title_text(language),
                "note": item.note_text(language),
            }
        )
    return results


def life_event(request: MunicipalRequest, code: str) -> HttpResponse:
    language = get_language() or "ja"
    event, guide, answers = _state(request, code)
    question = guide.next_question(answers)
    asked = [q for q in guide.visible_questions(answers) if q.key in answers]
    answered = [(q.text(language), q.choice(answers[q.key]).text(language)) for q in asked]  # type: ignore[union-attr]
    context = {
        "event": event,
        "title": event.text(language),
        "answers": answers,
        "answered": answered,
    }
    if question is not None:
        total = len(guide.visible_questions(answers))
        context.update(
            {
                "question": question,
                "question_text": question.text(language),
                "question_help": question.help_text(language),
                "choices": [(c.value, c.text(language)) for c in question.choices],
                "number": len(asked) + 1,
                "total": total,
                "error": request.GET.get("step") == question.key,
            }
        )
        return render(request, "procedures/guide_question.html", context)
    context["results"] = _results(request, guide, answers, language)
    context["query"] = request.GET.urlencode()
    return render(request, "procedures/guide_result.html", context)


def life_event_checklist_pdf(request: MunicipalRequest, code: str) -> HttpResponse:
    language = get_language() or "ja"
    event, guide, answers = _state(request, code)
    results = _results(request, guide, answers, language)
    answered = [
        (q.text(language), q.choice(answers[q.key]).text(language))  # type: ignore[union-attr]
        for q in guide.visible_questions(answers)
        if q.key in answers
    ]
    content = pdf.render(
        "procedures/pdf/checklist.html",
        {
            "municipality": request.municipality,
            "title": event.text(language),
            "results": results,
            "answered": answered,
            "printed_at": timezone.localtime(),
        },
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="checklist-{event.code}.pdf"'
    return response
