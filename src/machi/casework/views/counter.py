"""書かない窓口: the clerk's screens and the resident's tablet screen."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from machi.casework import selectors
from machi.casework.document_codes import qr_data_uri
from machi.casework.models import CounterSession, CounterStatus
from machi.casework.permissions import CASE_ROLES
from machi.casework.services import counter as counter_services
from machi.core import selectors as core_selectors
from machi.core.access import staff_required
from machi.core.examples import with_examples
from machi.core.models import User
from machi.core.permissions import require_role
from machi.core.services.residents import resident_list_view, resident_record_view
from machi.core.tenant_request import MunicipalRequest
from machi.procedures import selectors as procedure_selectors
from machi.procedures.services import visitors

IDENTITY_LABELS = {
    "my_number_card": gettext_lazy("My Number card (マイナンバーカード)"),
    "driving_licence": gettext_lazy("driving licence (運転免許証)"),
    "residence_card": gettext_lazy("residence card (在留カード)"),
    "passport": gettext_lazy("passport"),
    "other": gettext_lazy("other"),
}


def _clerk(request: MunicipalRequest) -> User:
    """The member of staff at the counter; 403 without a casework role (plan-only accounts
    such as committee advisers, or a clerk whose role was taken away since)."""
    assert isinstance(request.user, User)
    return require_role(request.user, request.municipality, CASE_ROLES)


def _details_of(resident: User) -> dict[str, str]:
    """What the city already knows about a resident, to start from."""
    claims = resident.verified_claims or {}
    profile = core_selectors.resident_profile_of(user=resident)
    values = {
        "name": claims.get("name") or resident.full_name,
        "name_kana": claims.get("name_kana") or resident.full_name_kana,
        "birthdate": claims.get("birthdate")
        or (profile.birthdate.isoformat() if profile and profile.birthdate else ""),
        "address": claims.get("address") or (profile.address if profile else ""),
        "postal_code": profile.postal_code if profile else "",
        "phone": profile.phone if profile else "",
        "email": "" if resident.has_placeholder_email else resident.email,
    }
    return {key: str(value) for key, value in values.items() if value}


def _session(request: MunicipalRequest, session_id: str) -> CounterSession:
    session = (
        CounterSession.objects.filter(
            municipality=request.municipality, pk=session_id, clerk=_clerk(request)
        )
        .select_related("resident")
        .first()
    )
    if session is None:
        raise Http404
    return session


def _detail_fields(values: dict[str, str], errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    address_hint = with_examples(
        _("Start with the prefecture, for example %(address)s."), address="三重県亀山市本丸町577"
    )
    labels = {
        "name": (_("Full name"), ""),
        "name_kana": (
            _("Full name in katakana"),
            with_examples(_("For example %(name)s."), name="カメヤマ タロウ"),
        ),
        "birthdate": (
            _("Date of birth"),
            with_examples(_("For example %(era)s or 1990-04-01."), era="平成2年4月1日"),
        ),
        "postal_code": (_("Postal code"), ""),
        # From the prefecture: whether each address is in the city tells the kind of move.
        "address": (_("Address"), address_hint),
        "phone": (_("Phone number"), ""),
        "email": (_("E-mail address"), ""),
        "new_postal_code": (_("Postal code of the new address"), ""),
        "new_address": (_("New address"), address_hint),
        "move_date": (
            _("Moving date"),
            with_examples(_("For example %(era)s."), era="令和8年12月20日"),
        ),
    }
    order = ["name", "name_kana", "birthdate", "postal_code", "address", "phone", "email"]
    order += ["new_postal_code", "new_address", "move_date"]
    return [
        {
            "name": name,
            "label": labels[name][0],
            "hint": labels[name][1],
            "required": name in counter_services.REQUIRED_DETAILS,
            "value": values.get(name, ""),
            "error": " ".join(errors.get(name, [])),
        }
        for name in order
    ]


@staff_required
def counter_start(request: MunicipalRequest) -> HttpResponse:
    """Step 1: find the resident or type their details once, and say which ID was checked."""
    clerk = _clerk(request)
    query = request.GET.get("q", "").strip()[:100]
    residents = (
        resident_list_view(
            staff=clerk, municipality=request.municipality, query=query, purpose="counter_lookup"
        )
        if query
        else []
    )
    initial: dict[str, str] = {}
    resident: User | None = None
    chosen = request.POST.get("resident") or request.GET.get("resident", "")
    if chosen:
        resident = resident_record_view(
            staff=clerk, municipality=request.municipality, resident_id=chosen, purpose="counter"
        )
        initial = _details_of(resident)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            session = counter_services.counter_session_start(
                clerk=clerk,
                municipality=request.municipality,
                details=request.POST,
                identity_document=request.POST.get("identity_document", ""),
                resident=resident,
            )
        except ValidationError as exc:
            errors = exc.message_dict
            initial = {key: request.POST.get(key, "") for key in counter_services.DETAILS}
        else:
            return redirect("casework:counter", session_id=session.pk)
    context = {
        "query": query,
        "residents": residents,
        "resident": resident,
        "detail_fields": _detail_fields(initial, errors),
        "errors": errors,
        "identity_documents": IDENTITY_LABELS,
        "open_sessions": selectors.open_counter_sessions(
            clerk=clerk, municipality=request.municipality
        ),
    }
    return render(request, "casework/counter_start.html", context, status=400 if errors else 200)


@staff_required
def counter_session(request: MunicipalRequest, session_id: str) -> HttpResponse:
    """Steps 2–4: the life event, the procedures, each form, and the tablet's QR code."""
    session = _session(request, session_id)
    language = get_language() or "ja"
    events = procedure_selectors.life_event_list(municipality=request.municipality)
    event = events.filter(code=request.GET.get("event") or session.life_event).first()
    moves = {
        "in": _("Moving into the city: the forms start from the new address"),
        "within": _("Moving within the city: the forms start from the new address"),
        "out": _("Moving out of the city: the forms keep the current address"),
    }
    context: dict[str, Any] = {
        "session": session,
        "events": events,
        "event": event,
        "identity_label": IDENTITY_LABELS.get(session.identity_document, ""),
        "move": moves.get(counter_services.move_kind(session.details, request.municipality) or ""),
        "errors": {},
    }
    if event is not None and not session.drafts:
        guide = procedure_selectors.life_event_guide(
            municipality=request.municipality, life_event=event
        )
        answers = guide.clean({k: v for k, v in request.GET.items() if isinstance(v, str)})
        context["questions"] = [
            (
                q,
                q.text(language),
                [(c.value, c.text(language)) for c in q.choices],
                answers.get(q.key),
            )
            for q in guide.visible_questions(answers)
        ]
        context["answers"] = answers
        context["applicable"] = counter_services.applicable_procedures(
            municipality=request.municipality, life_event=event, answers=answers
        )
        context["all_answered"] = guide.next_question(answers) is None
    if session.drafts and session.status == CounterStatus.OPEN:
        drafts = selectors.counter_drafts(session=session, language=language)
        for item in drafts:
            if item.draft is not None:
                # the form pages are the clerk's
                visitors.draft_hand_over(session=request.session, draft=item.draft)
        tablet = request.build_absolute_uri(
            reverse(
                "casework:counter_tablet", kwargs={"token": counter_services.tablet_token(session)}
            )
        )
        context.update(
            {
                "drafts": drafts,
                "ready": all(item.missing == 0 for item in drafts),
                "tablet_url": tablet,
                "tablet_qr": qr_data_uri(tablet),
            }
        )
    if session.status == CounterStatus.CONFIRMED:
        context["submissions"] = selectors.counter_submissions(session=session)
    return render(request, "casework/counter_session.html", context)


@require_POST
@staff_required
def counter_plan(request: MunicipalRequest, session_id: str) -> HttpResponse:
    session = _session(request, session_id)
    event = procedure_selectors.life_event_get(
        municipality=request.municipality, code=request.POST.get("event", "")
    )
    answers = {k[2:]: str(request.POST.get(k, "")) for k in request.POST if k.startswith("q-")}
    try:
        session = counter_services.counter_plan(
            clerk=_clerk(request),
            session=session,
            life_event=event,
            answers=answers,
            chosen=request.POST.getlist("procedures"),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("casework:counter", session_id=session.pk)


@staff_required
def counter_summary(request: MunicipalRequest, session_id: str) -> HttpResponse:
    """The one printed page: every procedure and its 受付番号."""
    session = _session(request, session_id)
    return render(
        request,
        "casework/counter_summary.html",
        {"session": session, "submissions": selectors.counter_submissions(session=session)},
    )


def counter_tablet(request: MunicipalRequest, token: str) -> HttpResponse:
    """The resident's screen (no sign-in): everything in large type, and one button."""
    session = counter_services.session_from_tablet_token(token)
    if session is None or session.municipality_id != request.municipality.pk:
        return render(request, "casework/counter_tablet.html", {"expired": True}, status=404)
    error = ""
    if request.method == "POST" and session.status == CounterStatus.OPEN:
        try:
            session = counter_services.counter_confirm(
                session=session, portal_url=request.build_absolute_uri("/").rstrip("/")
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    context: dict[str, Any] = {"session": session, "error": error}
    if session.status == CounterStatus.CONFIRMED:
        context["submissions"] = selectors.counter_submissions(session=session)
    else:
        context["drafts"] = selectors.counter_drafts(session=session, language="ja")
    return render(request, "casework/counter_tablet.html", context, status=400 if error else 200)
