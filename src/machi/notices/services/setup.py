"""Categories, districts and district organisations' accounts of a municipality."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from machi.core.audit_actions import AuditAction
from machi.core.models import Department, Municipality, Role, User, UserKind
from machi.core.permissions import require_role
from machi.core.services.audit import audit_record
from machi.notices.models import District, DistrictEditor, NoticeCategory

# The categories every city starts with: code, 名称, English, urgent, event.
DEFAULT_CATEGORIES = (
    ("kurashi", "くらし", "Living", False, False),
    ("kosodate", "子育て", "Children and families", False, False),
    ("kenko", "健康福祉", "Health and welfare", False, False),
    ("bosai", "防災", "Disaster prevention", True, False),
    ("event", "イベント", "Events", False, True),
    ("boshu", "募集", "Calls and recruitment", False, False),
    ("sonota", "その他", "Other", False, False),
)


@transaction.atomic
def categories_ensure(*, municipality: Municipality) -> list[NoticeCategory]:
    """Create the default categories a city does not have yet (names it changed stay)."""
    made = []
    for order, (code, name, name_en, urgent, event) in enumerate(DEFAULT_CATEGORIES):
        category, _created = NoticeCategory.objects.get_or_create(
            municipality=municipality,
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "sort_order": order,
                "is_urgent": urgent,
                "is_event": event,
            },
        )
        made.append(category)
    return made


@transaction.atomic
def district_upsert(
    *,
    municipality: Municipality,
    code: str,
    name: str,
    department: Department,
    name_kana: str = "",
    name_en: str = "",
    sort_order: int = 0,
) -> District:
    if department.municipality_id != municipality.pk:
        raise ValidationError({"department": _("Choose a department of this city.")})
    district, _created = District.objects.update_or_create(
        municipality=municipality,
        code=code,
        defaults={
            "name": name,
            "name_kana": name_kana,
            "name_en": name_en,
            "sort_order": sort_order,
            "department": department,
        },
    )
    return district


@transaction.atomic
def district_editor_grant(
    *,
    actor: User | None,
    municipality: Municipality,
    user: User,
    district: District,
    organisation: str,
) -> DistrictEditor:
    """Let a district organisation's account write notices for its district (the city
    still approves each one). Platform administrators grant; ``None`` is machi."""
    if actor is not None:
        require_role(actor, municipality, [Role.PLATFORM_ADMIN])
    if user.kind != UserKind.STAFF or user.municipality_id != municipality.pk:
        raise PermissionDenied(_("The account must be a back-office account of this city."))
    if district.municipality_id != municipality.pk:
        raise ValidationError({"district": _("Choose a district of this city.")})
    editor, created = DistrictEditor.objects.get_or_create(
        user=user, defaults={"district": district, "organisation": organisation}
    )
    if not created and (editor.district_id, editor.organisation) == (district.pk, organisation):
        return editor  # granted already: nothing changes, nothing to log
    editor.district, editor.organisation = district, organisation
    editor.save()
    audit_record(
        action=AuditAction.NOTICE_DISTRICT_EDITOR_GRANTED,
        actor=actor,
        municipality=municipality,
        target=editor,
        data={"district": district.code, "organisation": organisation},
    )
    return editor
