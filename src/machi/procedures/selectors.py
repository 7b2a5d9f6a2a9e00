"""Reads for the resident pages and the API, always scoped to one municipality."""

from __future__ import annotations

from functools import lru_cache

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404

from machi.core.formdef.definition import FormSpec, parse_definition
from machi.core.formdef.engine import SummarySection, computed_rows, summarize
from machi.core.formdef.fieldtypes import display_value
from machi.core.identity_provider import card_sign_in
from machi.core.models import Municipality, User
from machi.procedures.life_events import Guide, parse_guide
from machi.procedures.models import (
    Attachment,
    Category,
    CorrectionRequest,
    Draft,
    FormDefinition,
    IdentityRequirement,
    LifeEvent,
    Procedure,
    Submission,
    SubmissionEvent,
)
from machi.procedures.search import Document, index_for


def published_procedures(*, municipality: Municipality) -> QuerySet[Procedure]:
    return Procedure.objects.filter(municipality=municipality, is_published=True).select_related(
        "category", "department"
    )


def offered_online(procedure: Procedure) -> bool:
    """Whether residents can apply for it online on this site now: one that needs the My
    Number card only where card sign-in is configured, or pages would promise what the
    site cannot do (ADR 0014)."""
    if not procedure.can_apply_online:
        return False
    return procedure.identity_level != IdentityRequirement.VERIFIED or card_sign_in() is not None


def category_list(*, municipality: Municipality) -> QuerySet[Category]:
    return (
        Category.objects.filter(municipality=municipality)
        .annotate(count=Count("procedures", filter=Q(procedures__is_published=True)))
        .filter(count__gt=0)
    )


def category_get(*, municipality: Municipality, code: str) -> Category:
    category = Category.objects.filter(municipality=municipality, code=code).first()
    if category is None:
        raise Http404
    return category


def procedure_get(*, municipality: Municipality, code: str) -> Procedure:
    procedure = published_procedures(municipality=municipality).filter(code=code).first()
    if procedure is None:
        raise Http404
    return procedure


def procedure_by_id(*, municipality: Municipality, procedure_id: str) -> Procedure:
    procedure = published_procedures(municipality=municipality).filter(pk=procedure_id).first()
    if procedure is None:
        raise Http404
    return procedure


def procedure_search(*, municipality: Municipality, query: str, limit: int = 30) -> list[Procedure]:
    """Published procedures matching ``query``, best first (see :mod:`.search`)."""
    if not query.strip():
        return []
    procedures = published_procedures(municipality=municipality)
    stamp = tuple(procedures.aggregate(n=Count("id"), at=Max("updated_at")).values())

    def load() -> list[Document]:
        return [
            Document(
                key=str(p.pk),
                title=p.title,
                keywords=p.keywords,
                body="\n".join([p.summary, p.category.name, p.eligibility, *p.required_documents]),
            )
            for p in procedures
        ]

    keys = index_for(str(municipality.pk), stamp, load).search(query, limit)
    by_key = {str(p.pk): p for p in procedures.filter(pk__in=keys)}
    return [by_key[key] for key in keys if key in by_key]


def procedures_by_code(*, municipality: Municipality, codes: list[str]) -> dict[str, Procedure]:
    return {
        p.code: p for p in published_procedures(municipality=municipality).filter(code__in=codes)
    }


def life_event_list(*, municipality: Municipality) -> QuerySet[LifeEvent]:
    return LifeEvent.objects.filter(municipality=municipality)


def life_event_get(*, municipality: Municipality, code: str) -> LifeEvent:
    event = LifeEvent.objects.filter(municipality=municipality, code=code).first()
    if event is None:
        raise Http404
    return event


def life_event_guide(*, municipality: Municipality, life_event: LifeEvent) -> Guide:
    """The event's guide, checked against the codes of the procedures published now
    (``DefinitionError`` when it names one that is not)."""
    codes = published_procedures(municipality=municipality).values_list("code", flat=True)
    return parse_guide(life_event.definition, codes)


@lru_cache(maxsize=512)
def _spec(form_id: str, definition_json: str) -> FormSpec:
    import json

    return parse_definition(json.loads(definition_json))


def form_spec(form: FormDefinition) -> FormSpec:
    """The parsed form of a version (versions never change, so the parse is kept)."""
    import json

    return _spec(str(form.pk), json.dumps(form.definition, sort_keys=True))


def draft_get(*, municipality: Municipality, draft_id: str) -> Draft | None:
    return (
        Draft.objects.filter(municipality=municipality, pk=draft_id)
        .select_related("procedure", "procedure__department", "form")
        .first()
    )


def submission_get(*, municipality: Municipality, submission_id: str) -> Submission | None:
    return (
        Submission.objects.filter(municipality=municipality, pk=submission_id)
        .select_related("procedure", "department", "form")
        .prefetch_related(
            Prefetch("events", queryset=SubmissionEvent.objects.order_by("occurred_at")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at")),
            "corrections",
        )
        .first()
    )


def resident_drafts(*, municipality: Municipality, user: User) -> QuerySet[Draft]:
    return Draft.objects.filter(municipality=municipality, owner=user).select_related("procedure")


def resident_submissions(*, municipality: Municipality, user: User) -> QuerySet[Submission]:
    return Submission.objects.filter(municipality=municipality, applicant=user).select_related(
        "procedure"
    )


def attachment_names(attachments: list[Attachment]) -> dict[str, str]:
    return {str(a.pk): a.name for a in attachments}


def submission_summary(
    *, submission: Submission, language: str, attachments: list[Attachment]
) -> tuple[list[SummarySection], list[tuple[str, str, int]]]:
    """The answers that apply, step by step as text, and the computed rows (the fee)."""
    spec = form_spec(submission.form)
    return (
        summarize(spec, submission.answers, language, attachment_names(attachments)),
        computed_rows(spec, submission.answers, language),
    )


def correction_changes(
    *, spec: FormSpec, correction: CorrectionRequest, language: str
) -> list[tuple[str, str, str]]:
    """(question, before, after) of what the applicant changed when answering a correction."""
    rows = []
    for key, after in correction.after.items():
        item = spec.field(key)
        if item is None:
            continue
        before = correction.before.get(key)
        rows.append(
            (
                item.text(language),
                display_value(item, before, language),
                display_value(item, after, language),
            )
        )
    return rows
