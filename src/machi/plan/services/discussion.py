"""Comments (advisers, committee, staff) and the OODA decision log."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from machi.core.audit_actions import AuditAction
from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.wareki import parse_date
from machi.core.models import Municipality, User
from machi.core.services.audit import audit_record
from machi.plan.models import Evaluation, Initiative, Measure, OODARecord, Plan, PlanComment
from machi.plan.permissions import can_read_office, can_record_ooda
from machi.plan.services._common import required_text, required_texts


def _check_plan(plan: Plan, municipality: Municipality) -> None:
    if plan.municipality_id != municipality.pk:
        raise PermissionDenied(_("This plan belongs to another municipality."))


@transaction.atomic
def plan_comment_add(
    *,
    actor: User,
    municipality: Municipality,
    plan: Plan,
    body: str,
    initiative: Initiative | None = None,
    evaluation: Evaluation | None = None,
) -> PlanComment:
    """Anyone who may read the plan office may comment; comments never change the data."""
    _check_plan(plan, municipality)
    if not can_read_office(actor, municipality):
        raise PermissionDenied(_("Only staff and committee members can comment."))
    if initiative is not None and initiative.plan_id != plan.pk:
        raise PermissionDenied(_("The initiative is not part of this plan."))
    if evaluation is not None and evaluation.plan_id != plan.pk:
        raise PermissionDenied(_("The evaluation is not part of this plan."))
    text = required_text(body, "body", str(_("comment")))
    comment = PlanComment.objects.create(
        plan=plan,
        initiative=initiative,
        evaluation=evaluation,
        author=actor,
        author_label=str(actor),
        body=text,
        created_at=timezone.now(),
    )
    audit_record(
        action=AuditAction.PLAN_COMMENT,
        actor=actor,
        municipality=municipality,
        target=comment,
        data={},
    )
    return comment


@transaction.atomic
def ooda_record_create(
    *,
    actor: User,
    municipality: Municipality,
    plan: Plan,
    decided_on: str | dt.date,
    title: str,
    observe: str,
    orient: str,
    decide: str,
    act: str,
    decider: str,
    measure_ids: list[str],
) -> OODARecord:
    """Record a decision taken outside the annual cycle and the measures it touches."""
    _check_plan(plan, municipality)
    if not can_record_ooda(actor, municipality):
        raise PermissionDenied(
            _("Only the DX promotion committee and digital masters record OODA decisions.")
        )
    errors: dict[str, str] = {}
    day: dt.date | None = None
    if isinstance(decided_on, dt.date):
        day = decided_on
    else:
        try:
            day = parse_date(decided_on or "")
        except JapaneseInputError as exc:
            errors["decided_on"] = str(exc.message)
    if day is not None and day > timezone.localdate():
        errors["decided_on"] = _("The decision date cannot be in the future.")
    texts = required_texts(
        [
            ("title", str(_("title")), title, 200),
            ("observe", str(_("observation")), observe, 4000),
            ("orient", str(_("orientation")), orient, 4000),
            ("decide", str(_("decision")), decide, 4000),
            ("act", str(_("action")), act, 4000),
            ("decider", str(_("decider")), decider, 150),
        ],
        errors,
    )
    measures = list(Measure.objects.filter(plan=plan, pk__in=measure_ids))
    if len(measures) != len(set(measure_ids)):
        errors["measures"] = _("Choose measures of this plan only.")
    if errors:
        raise ValidationError(errors)
    assert day is not None
    record = OODARecord.objects.create(
        plan=plan, decided_on=day, recorded_by=actor, recorded_at=timezone.now(), **texts
    )
    record.measures.set(measures)
    audit_record(
        action=AuditAction.PLAN_OODA,
        actor=actor,
        municipality=municipality,
        target=record,
        data={"title": record.title, "measures": [m.key for m in measures]},
    )
    return record
