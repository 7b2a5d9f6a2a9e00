"""FAQ entries: import and export as CSV (``id,category,question,answer,keywords,
procedure[,published]``), all or nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from machi.assistant.models import FaqEntry
from machi.assistant.services.vectors import faq_vectors_changed
from machi.core.audit_actions import AuditAction
from machi.core.csv_files import check_rows, read_rows, safe_csv_bytes
from machi.core.models import Municipality, User
from machi.core.services.audit import audit_record
from machi.procedures.models import Procedure

FAQ_COLUMNS = ["id", "category", "question", "answer", "keywords", "procedure", "published"]
_LIMITS = {"category": 100, "question": 300, "keywords": 500}
_FALSE = {"0", "false", "no", "いいえ", "非公開"}


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    unchanged: int


def _problems(row: dict[str, str], procedures: set[str], taken: set[str]) -> list[str]:
    """What is wrong with one entry (a CSV row or the staff form), without its place."""
    problems = []
    code = row.get("id", "")
    if not code or slugify(code) != code.lower():
        problems.append(_("id must be letters, digits and hyphens"))
    elif code in taken:
        problems.append(_("id %(id)s is used twice") % {"id": code})
    for column in ("category", "question", "answer"):
        if not row.get(column):
            problems.append(_("%(column)s is empty") % {"column": column})
    for column, limit in _LIMITS.items():
        if len(row.get(column, "")) > limit:
            problems.append(
                _("%(column)s is longer than %(limit)s characters")
                % {"column": column, "limit": limit}
            )
    if row.get("procedure") and row["procedure"] not in procedures:
        problems.append(_("no procedure with the code %(code)s") % {"code": row["procedure"]})
    return problems


@transaction.atomic
def faq_import_csv(
    *, actor: User | None, municipality: Municipality, content: bytes
) -> ImportReport:
    """Create or update entries by id. Any bad row refuses the whole file."""
    rows = read_rows(content, ["id", "category", "question", "answer"])
    procedures = {
        p.code: p for p in Procedure.objects.filter(municipality=municipality).only("code")
    }
    seen: set[str] = set()

    def problems(row: dict[str, str]) -> list[str]:
        found = _problems(row, set(procedures), seen)
        seen.add(row.get("id", ""))
        return found

    check_rows(rows, problems, _("The file has no entries."))
    existing = {e.code: e for e in FaqEntry.objects.filter(municipality=municipality)}
    created = updated = unchanged = 0
    for _number, row in rows:
        values = {
            "category": row["category"],
            "question": row["question"],
            "answer": row["answer"],
            "keywords": row.get("keywords", ""),
            "procedure": procedures.get(row.get("procedure", "")),
            "is_published": row.get("published", "").lower() not in _FALSE,
        }
        entry = existing.get(row["id"])
        if entry is None:
            FaqEntry.objects.create(municipality=municipality, code=row["id"], **values)
            created += 1
        elif any(getattr(entry, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(entry, key, value)
            entry.save()
            updated += 1
        else:
            unchanged += 1
    report = ImportReport(created, updated, unchanged)
    if created or updated:  # a repeated import changes nothing and records nothing
        faq_vectors_changed(municipality)
        audit_record(
            action=AuditAction.ASSISTANT_FAQ_IMPORTED,
            actor=actor,
            municipality=municipality,
            data={"created": created, "updated": updated, "unchanged": unchanged},
        )
    return report


def faq_export_csv(*, municipality: Municipality, encoding: str) -> bytes:
    entries = FaqEntry.objects.filter(municipality=municipality).select_related("procedure")
    rows = [
        [
            e.code,
            e.category,
            e.question,
            e.answer,
            e.keywords,
            e.procedure.code if e.procedure else "",
            "1" if e.is_published else "0",
        ]
        for e in entries.order_by("code")
    ]
    return safe_csv_bytes(rows, FAQ_COLUMNS, encoding=encoding)


@transaction.atomic
def faq_entry_save(
    *,
    actor: User,
    municipality: Municipality,
    entry: FaqEntry | None,
    values: dict[str, str],
) -> FaqEntry:
    """Create or edit one entry from the staff form; the same checks as a CSV row."""
    from machi.assistant.permissions import can_manage_faq

    if not can_manage_faq(actor, municipality):
        raise PermissionDenied(_("Only staff who look after the FAQ can change it."))
    code = entry.code if entry is not None else values.get("code", "").strip()
    row = {k: (v or "").strip() for k, v in values.items()} | {"id": code}
    procedures = {
        p.code: p for p in Procedure.objects.filter(municipality=municipality).only("code")
    }
    others = FaqEntry.objects.filter(municipality=municipality, code=code)
    if entry is not None:
        others = others.exclude(pk=entry.pk)
    problems = _problems(row, set(procedures), set(others.values_list("code", flat=True)))
    if problems:
        raise ValidationError(problems)
    target = entry or FaqEntry(municipality=municipality, code=code)
    target.category = row["category"]
    target.question = row["question"]
    target.answer = row["answer"]
    target.keywords = row.get("keywords", "")
    target.procedure = procedures.get(row.get("procedure", ""))
    target.is_published = values.get("is_published") in ("1", "on", "true", True)
    target.save()
    faq_vectors_changed(municipality)
    audit_record(
        action=AuditAction.ASSISTANT_FAQ_SAVED,
        actor=actor,
        municipality=municipality,
        target=target,
        data={"code": target.code, "created": entry is None},
    )
    return target
