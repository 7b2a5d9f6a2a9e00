"""Once-only: what the city already knows fills the form in.

Values an identity provider verified (name, address, birthdate, gender) are *locked*:
shown as verified, never editable, and the server ignores anything posted for them. Values
from the resident's own profile and account are only suggestions they can change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from machi.core.formdef.definition import Field, FormSpec
from machi.core.formdef.fieldtypes import FieldInvalid, parse_value
from machi.core.models import IdentityLevel, ResidentProfile, User

#: Prefill source → the verified claim that may lock it.
VERIFIED_SOURCES = {
    "name": "name",
    "name_kana": "name_kana",
    "address": "address",
    "birthdate": "birthdate",
    "gender": "gender",
}
#: Prefill source → the profile field that is the resident's own (not verified) value.
PROFILE_SOURCES = {
    "postal_code": "postal_code",
    "address": "address",
    "phone": "phone",
    "birthdate": "birthdate",
}


def _profile(user: User) -> ResidentProfile | None:
    return ResidentProfile.objects.filter(user=user).first()


def _usable(item: Field, value: object, today: dt.date) -> object | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        value = value.isoformat()
    try:
        return parse_value(item, value, today=today)
    except FieldInvalid:
        return None


def prefill_for(spec: FormSpec, user: User | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(answers, locked) to start a draft with."""
    answers: dict[str, Any] = {}
    locked: dict[str, Any] = {}
    if user is None or not user.is_resident:
        return answers, locked
    today = timezone.localdate()
    claims = user.verified_claims if user.identity_level == IdentityLevel.VERIFIED else {}
    profile = _profile(user)
    own: dict[str, object] = {
        "name": user.full_name,
        "name_kana": user.full_name_kana,
        "email": "" if user.has_placeholder_email else user.email,
    }
    if profile is not None:
        own.update({source: getattr(profile, name) for source, name in PROFILE_SOURCES.items()})
    for key, item in spec.fields_by_key.items():
        source = item.prefill
        if source is None:
            continue
        verified = _usable(item, claims.get(VERIFIED_SOURCES.get(source, "")), today)
        if verified is not None:
            answers[key] = verified
            if not item.prefill_editable:
                locked[key] = verified
            continue
        suggested = _usable(item, own.get(source), today)
        if suggested is not None:
            answers[key] = suggested
    return answers, locked


def prefill_from(spec: FormSpec, values: dict[str, object]) -> dict[str, Any]:
    """Answers from details entered once (at the counter), for every field that asks for one
    of them; a meaning (a move "in") becomes the choice the field maps it to. Values a field
    cannot hold are left out for the clerk to fill in."""
    today = timezone.localdate()
    answers: dict[str, Any] = {}
    for key, item in spec.fields_by_key.items():
        if item.prefill is None:
            continue
        value = values.get(item.prefill)
        if item.prefill_choices is not None:
            value = item.prefill_choices.get(str(value)) if value else None
        value = _usable(item, value, today)
        if value is not None:
            answers[key] = value
    return answers


def profile_changes(
    spec: FormSpec, answers: dict[str, Any], locked: dict[str, Any], user: User
) -> dict[str, Any]:
    """Profile details the resident typed differently from their profile (offered to save)."""
    profile = _profile(user)
    changes: dict[str, Any] = {}
    for key, item in spec.fields_by_key.items():
        name = PROFILE_SOURCES.get(item.prefill or "")
        if name is None or key in locked or key not in answers:
            continue
        current = getattr(profile, name) if profile is not None else None
        current = current.isoformat() if isinstance(current, dt.date) else current
        if answers[key] != (current or None) and name not in changes:
            changes[name] = answers[key]
    return changes
