"""FAQ entries: import and export as CSV (``id,category,question,answer,keywords,
procedure[,published]``), all or nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from machi.assistant.models import FaqEntry
from machi.assistant.services.csv_files import read_rows, write_rows
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


def _row_errors(
    number: int, row: dict[str, str], procedures: set[str], seen: set[str]
) -> list[str]:
    errors = []
    code = row.get("id", "")
    if not code or slugify(code) != code.lower():
        errors.append(_("line %(n)s: id must be letters, digits and hyphens") % {"n": number})
    elif code in seen:
        errors.append(_("line %(n)s: id %(id)s appears twice") % {"n": number, "id": code})
    for column in ("category", "question", "answer"):
        if not row.get(column):
            errors.append(_("line %(n)s: %(column)s is empty") % {"n": number, "column": column})
    for column, limit in _LIMITS.items():
        if len(row.get(column, "")) > limit:
            errors.append(
                _("line %(n)s: %(column)s is longer than %(limit)s characters")
                % {"n": number, "column": column, "limit": limit}
            )
    if row.get("procedure") and row["procedure"] not in procedures:
        errors.append(
            _("line %(n)s: no procedure with the code %(code)s")
            % {"n": number, "code": row["procedure"]}
        )
    return errors


@transaction.atomic
def faq_import_csv(
    *, actor: User | None, municipality: Municipality, content: bytes
) -> ImportReport:
    """Create or update entries by id. Any bad row refuses the whole file."""
    rows = read_rows(content, ["id", "category", "question", "answer"])
    procedures = {
        p.code: p for p in Procedure.objects.filter(municipality=municipality).only("code")
    }
    errors: list[str] = []
    seen: set[str] = set()
    for number, row in rows:
        errors += _row_errors(number, row, set(procedures), seen)
        seen.add(row.get("id", ""))
    if not rows:
        errors.append(_("The file has no entries."))
    if errors:
        raise ValidationError(errors)
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
        audit_record(
            action="assistant.faq_imported",
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
    try:
        return write_rows(FAQ_COLUMNS, rows, encoding)
    except UnicodeEncodeError as exc:
        raise ValidationError(
            _(
                "Some text cannot be written in Shift_JIS (CP932): %(text)s. "
                "Export as UTF-8 instead."
            )
            % {"text": exc.object[exc.start : exc.end]}
        ) from exc
