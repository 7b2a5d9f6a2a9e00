"""Load a municipality's FAQ from CSV (UTF-8 or CP932); all or nothing, safe to repeat."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from machi.assistant.services.faq import faq_import_csv
from machi.core.models import Municipality


class Command(BaseCommand):
    help = "Import FAQ entries (id,category,question,answer,keywords,procedure) from CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--municipality", default="242101", help="全国地方公共団体コード")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        municipality = Municipality.objects.filter(code=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality with the code {options['municipality']}.")
        try:
            report = faq_import_csv(
                actor=None, municipality=municipality, content=path.read_bytes()
            )
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        except ValidationError as exc:
            lines = "\n".join(f"  {message}" for message in exc.messages)
            raise CommandError(f"{path}: nothing was imported:\n{lines}") from None
        self.stdout.write(
            f"{path.name}: {report.created} new, {report.updated} updated, "
            f"{report.unchanged} unchanged FAQ entries"
        )
