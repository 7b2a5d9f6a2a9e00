"""お知らせ: write, send for approval, approve or send back, withdraw (ADR 0017)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from machi.core.audit_actions import AuditAction
from machi.core.models import Department, Municipality, User
from machi.core.services.audit import audit_record
from machi.core.task_queue import enqueue_on_commit
from machi.notices import permissions
from machi.notices.models import (
    BODY_MAX,
    TITLE_MAX,
    District,
    Notice,
    NoticeCategory,
    NoticeStatus,
)
from machi.notices.search import search_text_of

EDITABLE_FIELDS = (
    "category",
    "title",
    "title_en",
    "body",
    "body_en",
    "is_important",
    "publish_at",
    "expire_at",
    "event_start",
    "event_end",
    "event_place",
)


def _label(actor: User | None) -> str:
    return str(actor) if actor is not None else "machi"


def _check(notice: Notice, districts: list[District]) -> None:
    """The notice's own rules, each error on its field, in Japanese and English."""
    errors: dict[str, str] = {}
    if not notice.title.strip():
        errors["title"] = _("Enter a title.")
    elif len(notice.title) > TITLE_MAX:
        errors["title"] = _("A title has at most %(n)d characters.") % {"n": TITLE_MAX}
    if not notice.body.strip():
        errors["body"] = _("Enter the text of the notice.")
    elif len(notice.body) > BODY_MAX:
        errors["body"] = _("The text has at most %(n)d characters.") % {"n": BODY_MAX}
    if notice.category.municipality_id != notice.municipality_id:
        errors["category"] = _("Choose one of the categories.")
    if any(d.municipality_id != notice.municipality_id for d in districts):
        errors["districts"] = _("Choose districts of this city.")
    if notice.publish_at and notice.expire_at and notice.expire_at <= notice.publish_at:
        errors["expire_at"] = _("The end of publication comes after its start.")
    if notice.category.is_event and notice.event_start is None:
        errors["event_start"] = _("Enter when the event starts.")
    if notice.event_end and notice.event_start and notice.event_end < notice.event_start:
        errors["event_end"] = _("The event ends after it starts.")
    if notice.event_end and not notice.event_start:
        errors["event_start"] = _("Enter when the event starts.")
    if errors:
        raise ValidationError(errors)


def _save(notice: Notice, districts: list[District] | None) -> None:
    notice.search_text = search_text_of(notice.title, notice.body, notice.title_en, notice.body_en)
    notice.save()
    if districts is not None:
        notice.districts.set(districts)


@transaction.atomic
def notice_create(
    *,
    actor: User | None,
    municipality: Municipality,
    category: NoticeCategory,
    title: str,
    body: str,
    department: Department | None = None,
    districts: Iterable[District] = (),
    **fields: Any,
) -> Notice:
    """A draft. Staff write for a department they hold a writer's role in; a district
    organisation writes for its own district only (the department is the one that
    supports the district). ``actor=None`` is machi itself (demo data)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown notice fields: {sorted(unknown)}")
    chosen = list(districts)
    district = permissions.district_of(actor, municipality)
    if district is not None:
        department, chosen = district.department, [district]
    elif department is None:
        raise ValidationError({"department": _("Choose the department that writes it.")})
    elif actor is not None and not permissions.can_write_for(actor, municipality, department):
        raise PermissionDenied(_("You cannot write notices for this department."))
    notice = Notice(
        municipality=municipality,
        department=department,
        district_author=district,
        category=category,
        title=title.strip(),
        body=body,
        created_by=actor,
        created_by_label=_label(actor),
        **fields,
    )
    _check(notice, chosen)
    _save(notice, chosen)
    audit_record(
        action=AuditAction.NOTICE_CREATED, actor=actor, municipality=municipality, target=notice
    )
    return notice


@transaction.atomic
def notice_update(
    *,
    actor: User | None,
    municipality: Municipality,
    notice: Notice,
    districts: Iterable[District] | None = None,
    **fields: Any,
) -> Notice:
    """Change a draft (a notice sent back is a draft again)."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk, municipality=municipality)
    if actor is not None:
        permissions.require_write(actor, municipality, notice)
    if notice.status != NoticeStatus.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown notice fields: {sorted(unknown)}")
    changed = [key for key, value in fields.items() if getattr(notice, key) != value]
    for key in changed:
        setattr(notice, key, fields[key])
    chosen = list(districts) if districts is not None else list(notice.districts.all())
    if notice.district_author_id is not None:
        chosen = [notice.district_author]  # type: ignore[list-item]
    elif districts is not None and {d.pk for d in chosen} != set(
        notice.districts.values_list("pk", flat=True)
    ):
        changed.append("districts")
    _check(notice, chosen)
    _save(notice, chosen)
    audit_record(
        action=AuditAction.NOTICE_UPDATED,
        actor=actor,
        municipality=municipality,
        target=notice,
        data={"fields": changed},
    )
    return notice


def _locked(notice: Notice, municipality: Municipality) -> Notice:
    return Notice.objects.select_for_update().get(pk=notice.pk, municipality=municipality)


@transaction.atomic
def notice_submit(*, actor: User | None, municipality: Municipality, notice: Notice) -> Notice:
    """Send a draft to the department's approvers."""
    notice = _locked(notice, municipality)
    if actor is not None:
        permissions.require_write(actor, municipality, notice)
    if notice.status != NoticeStatus.DRAFT:
        raise ValidationError(_("This notice has already been sent for approval."))
    notice.status = NoticeStatus.SUBMITTED
    notice.submitted_at = timezone.now()
    notice.sent_back_reason = ""
    notice.save(update_fields=["status", "submitted_at", "sent_back_reason", "updated_at"])
    audit_record(
        action=AuditAction.NOTICE_SUBMITTED, actor=actor, municipality=municipality, target=notice
    )
    return notice


@transaction.atomic
def notice_send_back(
    *, actor: User, municipality: Municipality, notice: Notice, reason: str
) -> Notice:
    """Return a notice to its writer with the reason; it is a draft again."""
    notice = _locked(notice, municipality)
    permissions.require_approve(actor, municipality, notice)
    if notice.status != NoticeStatus.SUBMITTED:
        raise ValidationError(_("Only a notice waiting for approval can be sent back."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say what to change.")})
    notice.status = NoticeStatus.DRAFT
    notice.sent_back_reason = reason.strip()
    notice.save(update_fields=["status", "sent_back_reason", "updated_at"])
    audit_record(
        action=AuditAction.NOTICE_SENT_BACK,
        actor=actor,
        municipality=municipality,
        target=notice,
        data={"reason": notice.sent_back_reason},
    )
    return notice


@transaction.atomic
def notice_approve(
    *,
    actor: User | None,
    municipality: Municipality,
    notice: Notice,
    now: dt.datetime | None = None,
) -> Notice:
    """The second person's check: the notice is public from ``publish_at`` (or now).
    ``actor=None`` is machi itself publishing its demo notices."""
    notice = _locked(notice, municipality)
    if actor is not None:
        permissions.require_approve(actor, municipality, notice)
    if notice.status != NoticeStatus.SUBMITTED:
        raise ValidationError(_("Only a notice waiting for approval can be approved."))
    now = now or timezone.now()
    if notice.expire_at is not None and notice.expire_at <= now:
        raise ValidationError(
            {"expire_at": _("The end of publication has passed: change it before approving.")}
        )
    notice.status = NoticeStatus.APPROVED
    notice.approved_by = actor
    notice.approved_at = now
    notice.published_at = max(now, notice.publish_at) if notice.publish_at else now
    notice.save(
        update_fields=["status", "approved_by", "approved_at", "published_at", "updated_at"]
    )
    audit_record(
        action=AuditAction.NOTICE_APPROVED,
        actor=actor,
        municipality=municipality,
        target=notice,
        data={"published_at": notice.published_at.isoformat()},
    )
    if notice.published_at <= timezone.now():
        # Out now: its subscribers' messages are written after the commit (a notice for
        # later goes out with the sweep once its time comes).
        enqueue_on_commit("notices.notice_fan_out", str(notice.pk))
    return notice


@transaction.atomic
def notice_withdraw(*, actor: User, municipality: Municipality, notice: Notice) -> Notice:
    """Take a notice off the site (its writers or its approvers)."""
    notice = _locked(notice, municipality)
    if not permissions.can_withdraw(actor, municipality, notice):
        raise PermissionDenied(_("You cannot withdraw this notice."))
    if notice.status == NoticeStatus.WITHDRAWN:
        return notice
    notice.status = NoticeStatus.WITHDRAWN
    notice.save(update_fields=["status", "updated_at"])
    audit_record(
        action=AuditAction.NOTICE_WITHDRAWN, actor=actor, municipality=municipality, target=notice
    )
    return notice
