"""Residents' records: staff reads (each written to the audit log) and the resident's own
profile."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.phone import normalize_phone
from machi.core.japanese.postal import normalize_postal_code
from machi.core.japanese.wareki import parse_date
from machi.core.models import Municipality, ResidentProfile, Role, User, UserKind
from machi.core.permissions import require_role
from machi.core.services.audit import audit_record

READ_ROLES = [Role.CLERK, Role.APPROVER, Role.DEPARTMENT_ADMIN]


@transaction.atomic
def resident_record_view(
    *, staff: User, municipality: Municipality, resident_id: str, purpose: str = ""
) -> User:
    """Return a resident of this municipality for a staff screen, logging the read.

    Deployment superusers (operators, in the Django admin) are let through and logged too.
    """
    if not staff.is_superuser:
        require_role(staff, municipality, READ_ROLES)
    resident = User.objects.filter(
        pk=resident_id, kind=UserKind.RESIDENT, municipality=municipality
    ).first()
    if resident is None:
        raise Http404
    audit_record(
        action="resident.viewed",
        actor=staff,
        municipality=municipality,
        target=resident,
        data={"purpose": purpose} if purpose else {},
    )
    return resident


# What a resident keeps in their profile, and how each value is checked and stored.
PROFILE_FIELDS = ("postal_code", "address", "phone", "birthdate")
ADDRESS_MAX_LENGTH = 300


def _profile_value(name: str, value: object) -> object:
    text = "" if value is None else str(value).strip()
    if not text:
        return None if name == "birthdate" else ""
    try:
        if name == "postal_code":
            return normalize_postal_code(text)
        if name == "phone":
            return normalize_phone(text)
        if name == "birthdate":
            return value if isinstance(value, dt.date) else parse_date(text)
    except JapaneseInputError as exc:
        raise ValidationError({name: exc.message}, code=exc.code) from None
    if len(text) > ADDRESS_MAX_LENGTH:
        raise ValidationError(
            {name: _("Use %(max)d characters or fewer.") % {"max": ADDRESS_MAX_LENGTH}}
        )
    return text


@transaction.atomic
def resident_profile_update(*, user: User, changes: dict[str, object]) -> ResidentProfile:
    """Save the resident's own details. Called only on their request or with their consent
    (ticked when they submit a form); every change is in the audit log."""
    if user.kind != UserKind.RESIDENT:
        raise PermissionDenied(_("Only residents keep a profile."))
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These details cannot be saved: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    profile, _created = ResidentProfile.objects.select_for_update().get_or_create(user=user)
    changed: list[str] = []
    errors: dict[str, list[str]] = {}
    for name, raw in changes.items():
        try:
            value = _profile_value(name, raw)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        if getattr(profile, name) != value:
            setattr(profile, name, value)
            changed.append(name)
    if errors:
        raise ValidationError(errors)
    if changed:
        profile.save()
        audit_record(
            action="resident.profile_updated",
            actor=user,
            municipality=user.municipality,
            target=user,
            data={"fields": sorted(changed)},
        )
    return profile
