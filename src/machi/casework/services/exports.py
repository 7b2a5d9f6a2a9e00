"""CSV hand-off to core systems (基幹システムへの一括取込).

One file per procedure: the case's reference, dates, status and channel, then one column per
question of the form (a repeating group gets numbered columns, ``品目1_数``). Cases already
exported are left out unless asked, and every export is recorded. UTF-8 with a BOM opens
correctly in Excel; CP932 (Shift_JIS) is for older systems, and a file that CP932 cannot hold
is refused with the cases and characters named, rather than written with 「?」.

Answers are the residents' own text. By default a cell a spreadsheet would run as a formula
(``=HYPERLINK(…)``, or starting with ``+``, ``-``, ``@``) gets an apostrophe in front
(``machi.core.csv_safety``), as in every other export, so the file is safe to open in Excel.
A core system that imports the file itself may need the answers exactly as typed: "raw
cells" is then chosen explicitly on the export page, recorded in the ``CaseExport`` and in
the audit entry, and marked in the file name (``…-raw.csv``); such a file is for the
import only, never to be opened in a spreadsheet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from machi.casework.models import Case, CaseExport
from machi.casework.permissions import CASE_ROLES
from machi.core.audit_actions import AuditAction
from machi.core.csv_files import ENCODINGS, Unencodable, plain_csv_bytes, safe_csv_bytes
from machi.core.formdef.definition import Field
from machi.core.formdef.fieldtypes import display_value
from machi.core.models import Municipality, User
from machi.core.permissions import require_role
from machi.core.services.audit import audit_record
from machi.procedures.models import Procedure
from machi.procedures.selectors import form_spec

# How cells are written: "text" neutralises formulas (the default), "raw" keeps answers as
# typed for a core system's own import.
CELLS = {
    "text": _lazy(
        "Safe to open in a spreadsheet: cells that start like a formula get an apostrophe (')"
    ),
    "raw": _lazy(
        "Raw, for the core system's import only: answers exactly as typed, formulas "
        "included; never open this file in a spreadsheet"
    ),
}


@dataclass(frozen=True)
class ExportFile:
    name: str
    content: bytes
    count: int


def _columns(cases: list[Case]) -> list[tuple[str, str, Field, str | None, int | None]]:
    """(header, key, field, child key, item number) for every question of every version,
    in the order of the newest version."""
    columns: list[tuple[str, str, Field, str | None, int | None]] = []
    seen: set[tuple[str, str | None, int | None]] = set()
    forms = sorted({c.submission.form for c in cases}, key=lambda f: -f.version)
    for form in forms:
        spec = form_spec(form)
        for key, item in spec.fields_by_key.items():
            if item.type == "group":
                longest = max(
                    (
                        len(c.submission.answers.get(key) or [])
                        for c in cases
                        if c.submission.form_id == form.pk
                    ),
                    default=0,
                )
                for number in range(1, longest + 1):
                    for child in item.fields:
                        marker = (key, child.key, number)
                        if marker not in seen:
                            seen.add(marker)
                            columns.append(
                                (
                                    f"{item.label}{number}_{child.label}",
                                    key,
                                    child,
                                    child.key,
                                    number,
                                )
                            )
            elif (key, None, None) not in seen:
                seen.add((key, None, None))
                columns.append((item.label, key, item, None, None))
    return columns


def _cell(case: Case, column: tuple[str, str, Field, str | None, int | None]) -> str:
    _header, key, item, child, number = column
    value: Any = case.submission.answers.get(key)
    if child is not None and number is not None:
        entries = value if isinstance(value, list) else []
        value = entries[number - 1].get(child) if number <= len(entries) else None
    if item.type == "file":
        return str(len(value)) if isinstance(value, list) else ""
    return display_value(item, value, "ja")


@transaction.atomic
def cases_export(
    *,
    actor: User,
    municipality: Municipality,
    procedure: Procedure,
    encoding: str,
    include_exported: bool = False,
    cells: str = "text",
) -> ExportFile:
    """Write the procedure's cases (those not exported yet, unless asked) as CSV, and mark
    them exported. ``cells="text"`` neutralises formula-like cells; ``"raw"`` (for a core
    system's own import) writes answers as typed and is recorded as such.

    Raises:
        ValidationError: an unknown encoding or cell format, no case to export, or text
            CP932 cannot hold.
    """
    require_role(actor, municipality, CASE_ROLES, department=procedure.department)
    if encoding not in ENCODINGS:
        raise ValidationError({"encoding": _("Choose UTF-8 or CP932.")})
    if cells not in CELLS:
        raise ValidationError(
            {
                "cells": _(
                    "Choose how cells are written: safe to open in a spreadsheet, or raw "
                    "for the core system's import."
                )
            }
        )
    cases = (
        Case.objects.select_for_update(of=("self",))
        .filter(municipality=municipality, procedure=procedure)
        .select_related("submission", "submission__form")
        .order_by("received_at")
    )
    if not include_exported:
        cases = cases.filter(exported_at__isnull=True)
    chosen = list(cases)
    if not chosen:
        raise ValidationError(_("There is no case to export: every case was exported already."))
    columns = _columns(chosen)
    header = ["受付番号", "受付日時", "状態", "受付経路", "様式の版", *[c[0] for c in columns]]
    rows = [
        [
            case.submission.reference_display,
            timezone.localtime(case.submission.submitted_at).strftime("%Y-%m-%d %H:%M"),
            case.submission.status,
            case.submission.channel,
            case.submission.form.version,
            *[_cell(case, column) for column in columns],
        ]
        for case in chosen
    ]
    write = plain_csv_bytes if cells == "raw" else safe_csv_bytes
    try:
        content = write(rows, header, encoding=encoding)
    except Unencodable:
        raise _unencodable(encoding, chosen) from None
    now = timezone.now()
    Case.objects.filter(pk__in=[c.pk for c in chosen]).update(exported_at=now)
    CaseExport.objects.create(
        municipality=municipality,
        procedure=procedure,
        exported_by=actor,
        exported_at=now,
        encoding=encoding,
        count=len(chosen),
        included_earlier=include_exported,
        cells=cells,
        references=[c.submission.reference for c in chosen],
    )
    audit_record(
        action=AuditAction.CASE_EXPORTED,
        actor=actor,
        municipality=municipality,
        target=procedure,
        data={
            "purpose": "core_system_export",
            "count": len(chosen),
            "encoding": encoding,
            "included_earlier": include_exported,
            "cells": cells,
        },
    )
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
    suffix = "-raw" if cells == "raw" else ""
    return ExportFile(f"{procedure.code}-{stamp}{suffix}.csv", content, len(chosen))


def _unencodable(encoding: str, cases: Iterable[Case]) -> ValidationError:
    """The refusal naming each case whose answers ``encoding`` cannot hold."""
    problems = []
    for case in cases:
        flat = "".join(str(v) for v in case.submission.answers.values())
        bad = sorted({ch for ch in flat if not _fits(ch, encoding)})
        if bad:
            problems.append(f"{case.submission.reference_display}: {''.join(bad)}")
    return ValidationError(
        _(
            "CP932 cannot hold some characters (%(cases)s). Export as UTF-8, or ask the "
            "core system's administrator."
        )
        % {"cases": "; ".join(problems[:10])},
        code="encoding",
    )


def _fits(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True
