"""Residents' records: staff reads (each written to the audit log, a list as well as one
record) and the resident's own profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from machi.core import selectors
from machi.core.audit_actions import AuditAction
from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.phone import normalize_phone
from machi.core.japanese.postal import normalize_postal_code
from machi.core.japanese.wareki import parse_date
from machi.core.models import Municipality, ResidentProfile, Role, User, UserKind
from machi.core.permissions import require_role
from machi.core.services.audit import audit_record

READ_ROLES = [Role.CLERK, Role.APPROVER, Role.DEPARTMENT_ADMIN]

# Why a member of staff saw a list of residents' names and e-mail addresses; stored as
# ``purpose`` of the ``resident.list_viewed`` entry.
ListPurpose = Literal["resident_search", "counter_lookup", "admin_user_list"]


@transaction.atomic
def resident_list_view(
    *, staff: User, municipality: Municipality, query: str, purpose: ListPurpose
) -> list[User]:
    """The residents of this municipality a staff search shows (name, kana or e-mail
    containing ``query``; all of them, up to the page's limit, for an empty query), with
    the read written to the audit log. Only the roles that read residents' records may.
    """
    if not staff.is_superuser:
        require_role(staff, municipality, READ_ROLES)
    residents = list(selectors.resident_search(municipality=municipality, query=query))
    resident_list_read_record(
        staff=staff, municipality=municipality, purpose=purpose, query=query, shown=residents
    )
    return residents


@transaction.atomic
def resident_list_read_record(
    *,
    staff: User,
    municipality: Municipality | None,
    purpose: ListPurpose,
    query: str,
    shown: Sequence[User],
) -> None:
    """Write to the audit log that a staff page showed these accounts' personal data.

    One entry per municipality whose accounts were shown (so each tenant's log has its
    own reads; a deployment superuser's list can span several), or one under
    ``municipality`` when the page showed nobody: a search that finds no one is a lookup
    too. ``data``: the purpose, how many rows the page showed, the ids of the residents
    among them (so "who saw this resident's name?" can be answered) and the length of
    the search text. The search text itself is not kept: it is a name or an address,
    i.e. personal data, and a hash of a short name is reversed by trying a list of
    names (docs/casework.md, "Audit log").
    """
    here = municipality.pk if municipality else None
    groups: dict[Any, list[User]] = {}
    for user in shown:
        groups.setdefault(user.municipality_id or here, []).append(user)
    if not groups:
        groups[here] = []
    tenants = Municipality.objects.in_bulk([key for key in groups if key is not None])
    for municipality_id, users in groups.items():
        audit_record(
            action=AuditAction.RESIDENT_LIST_VIEWED,
            actor=staff,
            municipality=tenants.get(municipality_id),
            data={
                "purpose": purpose,
                "count": len(users),
                "residents": [str(u.pk) for u in users if u.kind == UserKind.RESIDENT],
                "query_length": len(query.strip()),
            },
        )


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
        action=AuditAction.RESIDENT_VIEWED,
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
            action=AuditAction.RESIDENT_PROFILE_UPDATED,
            actor=user,
            municipality=user.municipality,
            target=user,
            data={"fields": sorted(changed)},
        )
    return profile
