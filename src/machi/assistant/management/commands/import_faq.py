"""Load a municipality's FAQ from CSV (UTF-8 or CP932); all or nothing, safe to repeat."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from machi.assistant.management.commands._imports import run_import
from machi.assistant.services.faq import faq_import_csv


class Command(BaseCommand):
    help = "Import FAQ entries (id,category,question,answer,keywords,procedure) from CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--municipality", default="242101", help="全国地方公共団体コード")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        report = run_import(
            path,
            options["municipality"],
            lambda city, file: faq_import_csv(
                actor=None, municipality=city, content=file.read_bytes()
            ),
        )
        self.stdout.write(
            f"{path.name}: {report.created} new, {report.updated} updated, "
            f"{report.unchanged} unchanged FAQ entries"
        )
