"""The municipality's own synonyms (added to the shipped table): CSV import and export
(``canonical,variants[,active]``), all or nothing."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from machi.assistant.models import Synonym
from machi.assistant.services.faq import ImportReport
from machi.core.audit_actions import AuditAction
from machi.core.csv_files import check_rows, read_rows, safe_csv_bytes
from machi.core.models import Municipality, User
from machi.core.services.audit import audit_record

_FALSE = {"0", "false", "no", "いいえ", "停止"}


@transaction.atomic
def synonyms_import_csv(
    *, actor: User | None, municipality: Municipality, content: bytes
) -> ImportReport:
    rows = read_rows(content, ["canonical", "variants"])
    seen: set[str] = set()

    def problems(row: dict[str, str]) -> list[str]:
        canonical, variants = row.get("canonical", ""), row.get("variants", "")
        found = []
        if not canonical or len(canonical) > 100:
            found.append(_("canonical must be 1 to 100 characters"))
        elif canonical in seen:
            found.append(_("%(word)s appears twice") % {"word": canonical})
        if not variants.split() or len(variants) > 500:
            found.append(_("variants must be 1 to 500 characters, separated by spaces"))
        seen.add(canonical)
        return found

    check_rows(rows, problems, _("The file has no rows."))
    existing = {s.canonical: s for s in Synonym.objects.filter(municipality=municipality)}
    created = updated = unchanged = 0
    for _number, row in rows:
        variants = " ".join(row["variants"].split())
        active = row.get("active", "").lower() not in _FALSE
        synonym = existing.get(row["canonical"])
        if synonym is None:
            Synonym.objects.create(
                municipality=municipality,
                canonical=row["canonical"],
                variants=variants,
                is_active=active,
            )
            created += 1
        elif (synonym.variants, synonym.is_active) != (variants, active):
            synonym.variants, synonym.is_active = variants, active
            synonym.save()
            updated += 1
        else:
            unchanged += 1
    if created or updated:
        audit_record(
            action=AuditAction.ASSISTANT_SYNONYMS_IMPORTED,
            actor=actor,
            municipality=municipality,
            data={"created": created, "updated": updated, "unchanged": unchanged},
        )
    return ImportReport(created, updated, unchanged)


def synonyms_export_csv(*, municipality: Municipality, encoding: str) -> bytes:
    rows = [
        [s.canonical, s.variants, "1" if s.is_active else "0"]
        for s in Synonym.objects.filter(municipality=municipality).order_by("canonical")
    ]
    return safe_csv_bytes(rows, ["canonical", "variants", "active"], encoding=encoding)
