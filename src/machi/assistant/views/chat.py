"""The resident's chat: a page that works without JavaScript, the same form on every
page (htmx appends each reply to the log), feedback, and the hand-off to a person."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from machi.assistant.models import Conversation, FaqEntry, Scenario, Turn
from machi.assistant.scenario_definition import node_of, scenario_problems
from machi.assistant.services.conversation import (
    INQUIRY_PROCEDURE,
    MAX_QUESTION,
    QuestionRefused,
    question_answer,
    turn_feedback,
)
from machi.core.ratelimit import ASSISTANT_QUESTIONS
from machi.core.tenant_request import MunicipalRequest
from machi.procedures.services import visitors

CONVERSATION_KEY = "assistant_conversation"
TURNS_KEY = "assistant_turns"


def _conversation(request: MunicipalRequest) -> Conversation | None:
    key = request.session.get(CONVERSATION_KEY)
    if not key:
        return None
    return Conversation.objects.filter(pk=key, municipality=request.municipality).first()


def _session_turns(request: MunicipalRequest) -> list[Turn]:
    ids = request.session.get(TURNS_KEY, [])
    turns = Turn.objects.filter(pk__in=ids, municipality=request.municipality)
    return list(turns.select_related("entry", "entry__procedure").order_by("asked_at"))


def _refusal(code: str) -> str:
    if code == "too_long":
        return _(
            "Your question is too long (more than %(n)s characters). Please ask in a shorter "
            "sentence, for example 「住民票を取りたい」."
        ) % {"n": MAX_QUESTION}
    return _("Please type your question, for example 「ごみの収集日を知りたい」.")


def chat(request: MunicipalRequest) -> HttpResponse:
    """GET: the chat page. POST: ask; htmx gets the new turn only, others the whole page."""
    context: dict[str, Any] = {"max_question": MAX_QUESTION}
    status = 200
    if request.method == "POST":
        text = request.POST.get("q", "")
        if not ASSISTANT_QUESTIONS.allow(request):
            context["refusal"] = _(
                "Too many questions in a short time. Please wait a minute and ask again."
            )
            status = 429
        else:
            try:
                reply = question_answer(
                    municipality=request.municipality,
                    text=text,
                    conversation=_conversation(request),
                )
            except QuestionRefused as refused:
                context["refusal"] = _refusal(refused.code)
                status = 400
            else:
                request.session[CONVERSATION_KEY] = str(reply.conversation.pk)
                request.session[TURNS_KEY] = [
                    *request.session.get(TURNS_KEY, [])[-49:],
                    str(reply.turn.pk),
                ]
                context["reply"] = reply
        if request.headers.get("HX-Request"):
            # htmx swaps only 2xx responses: the refusal is in the fragment (role=alert).
            return render(request, "assistant/_reply.html", context)
    context["turns"] = _session_turns(request)
    return render(request, "assistant/chat.html", context, status=status)


@require_POST
def feedback(request: MunicipalRequest, turn_id: str) -> HttpResponse:
    """解決した / 解決しなかった, only on turns asked from this browser."""
    if str(turn_id) not in request.session.get(TURNS_KEY, []):
        raise Http404
    turn = Turn.objects.filter(pk=turn_id, municipality=request.municipality).first()
    if turn is None:
        raise Http404
    turn = turn_feedback(turn=turn, resolved=request.POST.get("resolved") == "1")
    if request.headers.get("HX-Request"):
        return render(request, "assistant/_feedback_done.html", {"turn": turn})
    messages.success(request, _("Thank you for your feedback."))
    return redirect("assistant:chat")


@require_POST
def handoff(request: MunicipalRequest) -> HttpResponse:
    """人に問い合わせる: the general inquiry form, pre-filled with this conversation."""
    turns = _session_turns(request)
    lines = [f"・{turn.question}" for turn in turns[-10:]]
    initial = {}
    if turns:
        initial = {
            "subject": turns[-1].question[:100],
            "body": _("Questions I asked the assistant:") + "\n" + "\n".join(lines) + "\n\n",
        }
    opening = visitors.draft_open(
        municipality=request.municipality,
        code=INQUIRY_PROCEDURE,
        user=request.user,
        session=request.session,
        initial=initial,
    )
    if opening.warning:
        messages.warning(request, opening.warning)
    if opening.error:
        messages.error(request, opening.error)
    return redirect(opening.url)


def menus(request: MunicipalRequest) -> HttpResponse:
    """Scenario menus: choose step by step instead of typing."""
    scenarios = Scenario.objects.filter(municipality=request.municipality, is_published=True)
    return render(request, "assistant/menus.html", {"scenarios": scenarios})


def menu_node(request: MunicipalRequest, code: str, node: str = "") -> HttpResponse:
    scenario = Scenario.objects.filter(
        municipality=request.municipality, code=code, is_published=True
    ).first()
    if scenario is None or scenario_problems(scenario.definition):
        raise Http404
    current = node_of(scenario.definition, node or None)
    if current is None:
        raise Http404
    faq_codes = [o.value for o in current.options if o.kind == "faq"]
    answers = {
        e.code: e
        for e in FaqEntry.objects.filter(
            municipality=request.municipality, code__in=faq_codes, is_published=True
        )
    }
    options = [(o, answers.get(o.value) if o.kind == "faq" else None) for o in current.options]
    context = {"scenario": scenario, "node": current, "options": options}
    return render(request, "assistant/menu.html", context)
