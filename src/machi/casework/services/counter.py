"""書かない窓口 (the counter where residents write nothing).

1. The clerk checks an identity document, finds the resident or types their details once.
2. The clerk picks a life event and answers its questions with the resident: every
   procedure that applies gets a draft, prefilled from those details.
3. The clerk completes what each form still needs, on the usual form pages.
4. The resident reviews everything on a tablet (a QR code opens it, no sign-in) and confirms
   with one tap: each draft is filed as 窓口代行 with the clerk's id, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from machi.casework.models import CounterSession, CounterStatus
from machi.casework.permissions import CASE_ROLES
from machi.core.audit_actions import AuditAction
from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.kana import normalize_furigana
from machi.core.japanese.normalize import nfkc
from machi.core.japanese.phone import normalize_phone
from machi.core.japanese.postal import normalize_postal_code
from machi.core.japanese.wareki import parse_date
from machi.core.models import Municipality, User, UserKind
from machi.core.permissions import require_role
from machi.core.services.audit import audit_record
from machi.procedures.models import LifeEvent, Procedure
from machi.procedures.selectors import life_event_guide
from machi.procedures.services.drafts import draft_start_at_counter
from machi.procedures.services.submissions import IncompleteAnswers, submission_create_at_counter

TABLET_SALT = "machi.casework.counter-tablet"
TABLET_MAX_AGE = dt.timedelta(hours=2)
IDENTITY_DOCUMENTS = ("my_number_card", "driving_licence", "residence_card", "passport", "other")
REQUIRED_DETAILS = ("name", "name_kana", "birthdate", "address")


def _detail(name: str, text: str) -> str:
    """One detail in its stored form; raises ValidationError naming the field."""
    try:
        if name == "name_kana":
            return normalize_furigana(text)
        if name in ("birthdate", "move_date"):
            return parse_date(text).isoformat()
        if name in ("postal_code", "new_postal_code"):
            return normalize_postal_code(text)
        if name == "phone":
            return normalize_phone(text)
    except JapaneseInputError as exc:
        raise ValidationError({name: exc.message}) from None
    if name == "email":
        address = nfkc(text).replace(" ", "")
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                {name: _("Enter an e-mail address in the form name@example.jp.")}
            ) from None
        return address
    if len(text) > 300:
        raise ValidationError({name: _("Use 300 characters or fewer.")})
    return text


DETAILS = (
    "name",
    "name_kana",
    "birthdate",
    "address",
    "postal_code",
    "phone",
    "email",
    "new_postal_code",
    "new_address",
    "move_date",
)


def counter_details_clean(raw: Mapping[str, Any]) -> dict[str, str]:
    """The details typed once, normalised (全角 digits, 和暦 dates, 半角カナ …).

    Raises:
        ValidationError: with every problem on its field.
    """
    cleaned: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for name in DETAILS:
        text = str(raw.get(name, "") or "").strip()
        if not text:
            if name in REQUIRED_DETAILS:
                errors[name] = [_("Enter this; every form uses it.")]
            continue
        try:
            cleaned[name] = _detail(name, text)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _in_city(address: str, municipality: Municipality) -> bool:
    """Whether an address lies in the municipality ("三重県亀山市…" or "亀山市…")."""
    text = "".join(nfkc(address).split())
    return text.startswith((f"{municipality.prefecture}{municipality.name}", municipality.name))


def move_kind(details: Mapping[str, str], municipality: Municipality) -> str | None:
    """The move the details describe: "in" (市外から転入), "within" (市内で転居), "out" (市外へ
    転出), or None without a new address (or when neither address is in the city)."""
    if not details.get("new_address"):
        return None
    old_here = _in_city(details.get("address", ""), municipality)
    new_here = _in_city(details["new_address"], municipality)
    if new_here:
        return "within" if old_here else "in"
    return "out" if old_here else None


def counter_facts(details: Mapping[str, str], municipality: Municipality) -> dict[str, str]:
    """What the details entered once mean, as the forms' prefill sources
    (core.formdef.definition.PREFILL_SOURCES): each form declares which of its fields
    takes which fact, so this is the only place that knows what a move changes.

    転入届 and 転居届 are made after the move (住民基本台帳法 22–23条), so for a move into or
    within the city the resident's address *is* the new one and the typed one becomes the
    previous address; a 転出届 comes before the move, so the address stays until then.
    """
    facts = dict(details)
    move = move_kind(details, municipality)
    if move is None:
        return facts
    facts["move"] = move
    facts["previous_address"] = details.get("address", "")
    facts["previous_postal_code"] = details.get("postal_code", "")
    if move in ("in", "within"):
        facts["address"] = details["new_address"]
        facts["postal_code"] = details.get("new_postal_code", "")  # never the old one
    return {name: value for name, value in facts.items() if value}


@transaction.atomic
def counter_session_start(
    *,
    clerk: User,
    municipality: Municipality,
    details: Mapping[str, Any],
    identity_document: str,
    resident: User | None = None,
) -> CounterSession:
    require_role(clerk, municipality, CASE_ROLES)
    cleaned = counter_details_clean(details)
    if identity_document not in IDENTITY_DOCUMENTS:
        raise ValidationError({"identity_document": _("Choose the identity document you checked.")})
    if resident is not None and (
        resident.kind != UserKind.RESIDENT or resident.municipality_id != municipality.pk
    ):
        raise PermissionDenied(_("This account is not a resident of this municipality."))
    session = CounterSession.objects.create(
        municipality=municipality,
        clerk=clerk,
        resident=resident,
        details=cleaned,
        identity_document=identity_document,
    )
    audit_record(
        action=AuditAction.COUNTER_STARTED,
        actor=clerk,
        municipality=municipality,
        target=session,
        data={"resident": str(resident.pk) if resident else None, "details": sorted(cleaned)},
    )
    return session


def _own(session: CounterSession, clerk: User) -> CounterSession:
    locked = CounterSession.objects.select_for_update().get(pk=session.pk)
    if locked.clerk_id != clerk.pk:
        raise PermissionDenied(_("Only the clerk who started this counter session can change it."))
    if locked.status != CounterStatus.OPEN:
        raise ValidationError(_("This counter session is already finished."))
    return locked


def applicable_procedures(
    *, municipality: Municipality, life_event: LifeEvent, answers: Mapping[str, str]
) -> list[Procedure]:
    """The procedures of the guide that apply and can be filed here, in guide order."""
    procedures = {
        p.code: p for p in Procedure.objects.filter(municipality=municipality, is_published=True)
    }
    guide = life_event_guide(municipality=municipality, life_event=life_event)
    codes = [item.procedure for item in guide.applicable(guide.clean(answers)) if item.procedure]
    return [
        procedures[code]
        for code in dict.fromkeys(codes)
        if code in procedures and procedures[code].can_apply_online
    ]


@transaction.atomic
def counter_plan(
    *,
    clerk: User,
    session: CounterSession,
    life_event: LifeEvent,
    answers: Mapping[str, str],
    chosen: Iterable[str],
) -> CounterSession:
    """Record the life event and its answers, and open a prefilled draft for each chosen
    procedure that applies."""
    session = _own(session, clerk)
    if life_event.municipality_id != session.municipality_id:
        raise PermissionDenied(_("This life event belongs to another municipality."))
    procedures = applicable_procedures(
        municipality=session.municipality, life_event=life_event, answers=answers
    )
    picked = set(chosen)
    selected = [p for p in procedures if p.code in picked]
    if not selected:
        raise ValidationError({"procedures": _("Choose at least one procedure to fill in.")})
    return_url = reverse("casework:counter", kwargs={"session_id": session.pk})
    drafts = [
        [
            procedure.code,
            str(
                draft_start_at_counter(
                    municipality=session.municipality,
                    procedure=procedure,
                    clerk=clerk,
                    values=dict(counter_facts(session.details, session.municipality)),
                    return_url=return_url,
                ).pk
            ),
        ]
        for procedure in selected
    ]
    session.life_event = life_event.code
    session.guide_answers = dict(answers)
    session.drafts = [*session.drafts, *drafts]
    session.save(update_fields=["life_event", "guide_answers", "drafts"])
    return session


def tablet_token(session: CounterSession) -> str:
    return signing.dumps({"c": str(session.pk)}, salt=TABLET_SALT)


def session_from_tablet_token(token: str) -> CounterSession | None:
    try:
        payload = signing.loads(token, salt=TABLET_SALT, max_age=TABLET_MAX_AGE)
    except signing.BadSignature:
        return None
    return (
        CounterSession.objects.filter(pk=payload.get("c"))
        .select_related("municipality", "clerk", "resident")
        .first()
    )


@transaction.atomic
def counter_confirm(*, session: CounterSession, portal_url: str) -> CounterSession:
    """The resident tapped 確認: file every draft (all of them, or none)."""
    session = CounterSession.objects.select_for_update().select_related("clerk").get(pk=session.pk)
    if session.status == CounterStatus.CONFIRMED:
        return session  # a second tap changes nothing
    if session.status != CounterStatus.OPEN or not session.drafts:
        raise ValidationError(_("There is nothing to confirm in this counter session."))
    filed = []
    try:
        for code, draft_id in session.drafts:
            submission, _created = submission_create_at_counter(
                municipality=session.municipality,
                draft_id=draft_id,
                clerk=session.clerk,
                applicant=session.resident,
                identity_document=session.identity_document,
                language="ja",
                portal_url=portal_url,
            )
            filed.append([code, str(submission.pk)])
    except IncompleteAnswers:
        raise ValidationError(
            _("Some forms are not complete yet. The clerk finishes them before you confirm.")
        ) from None
    session.submissions = filed
    session.status = CounterStatus.CONFIRMED
    session.confirmed_at = timezone.now()
    session.save(update_fields=["submissions", "status", "confirmed_at"])
    audit_record(
        action=AuditAction.COUNTER_CONFIRMED,
        actor=session.clerk,
        municipality=session.municipality,
        target=session,
        data={"procedures": [code for code, _id in filed]},
    )
    return session
