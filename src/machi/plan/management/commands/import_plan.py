"""manage.py import_plan FILE — create or update a plan from a machi-plan/1 YAML file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from machi.plan.plan_file import PlanFileInvalid, parse_plan_file
from machi.plan.services.importing import plan_import


class Command(BaseCommand):
    help = "Import a DX plan (structure, initiatives, KPIs) from a YAML file; see docs/plan.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path of the plan file (format machi-plan/1)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(_("%(file)s: no such file.") % {"file": path}) from None
        except UnicodeDecodeError:
            raise CommandError(
                _("%(file)s: line 1: the file must be UTF-8 text.") % {"file": path}
            ) from None
        try:
            report = plan_import(
                actor=None, plan_file=parse_plan_file(text), source_label=path.name
            )
        except PlanFileInvalid as exc:
            lines = "\n".join(f"{path.name}: {problem}" for problem in exc.problems)
            raise CommandError(
                _("The plan file was refused; nothing was changed.") + "\n" + lines
            ) from None
        created = ", ".join(f"{k} {v}" for k, v in sorted(report.created.items())) or "-"
        updated = ", ".join(f"{k} {v}" for k, v in sorted(report.updated.items())) or "-"
        self.stdout.write(
            _("Imported %(plan)s from %(file)s. Created: %(created)s. Updated: %(updated)s.")
            % {"plan": report.plan.name, "file": path.name, "created": created, "updated": updated}
        )
