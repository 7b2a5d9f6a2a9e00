"""Load a municipality's FAQ from CSV (UTF-8 or CP932); all or nothing, safe to repeat."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from machi.assistant.encoders import enabled_names
from machi.assistant.management.commands._imports import run_import
from machi.assistant.management.commands._progress import progress_bar
from machi.assistant.services.faq import faq_import_csv
from machi.assistant.services.vectors import (
    faq_vectors_changed,
    faq_vectors_deferred,
    faq_vectors_refresh,
)
from machi.core.models import Municipality


class Command(BaseCommand):
    help = "Import FAQ entries (id,category,question,answer,keywords,procedure) from CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--municipality", default="242101", help="全国地方公共団体コード")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        with faq_vectors_deferred():
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
        if not (report.created or report.updated):
            return
        municipality = Municipality.objects.get(code=options["municipality"])
        if settings.CELERY_TASK_ALWAYS_EAGER:  # embedded default: encode here, with a bar
            self.stdout.write(f"Encoding for meaning search ({', '.join(enabled_names())}):")
            faq_vectors_refresh(municipality=municipality, progress=progress_bar)
        else:  # a worker encodes; the staff dashboard shows its progress
            faq_vectors_changed(municipality)
