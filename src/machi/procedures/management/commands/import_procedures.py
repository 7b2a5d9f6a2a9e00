from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from machi.procedures.services.importing import CatalogFileError, catalog_import, parse_catalog_file


class Command(BaseCommand):
    help = "Load a municipality's procedure catalog (format machi-procedures/1); safe to repeat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            report = catalog_import(
                actor=None, data=parse_catalog_file(path.read_text(encoding="utf-8"))
            )
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        except CatalogFileError as exc:
            lines = "\n".join(f"  {problem}" for problem in exc.problems)
            raise CommandError(f"{path}: nothing was imported:\n{lines}") from None
        published = ", ".join(report.forms_published) or "none"
        self.stdout.write(
            f"{path.name}: {report.categories} categories, {report.procedures} procedures, "
            f"{report.life_events} life-event guides; new form versions: {published}"
        )
