"""Encode a municipality's FAQ for the semantic channel now, with a progress bar: what the
background task does after every change, for a first import or after changing encoders
(``--force`` encodes every entry again)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from machi.assistant.encoders import enabled_names
from machi.assistant.management.commands._progress import progress_bar
from machi.assistant.services.vectors import faq_vectors_refresh
from machi.core.models import Municipality


class Command(BaseCommand):
    help = "Encode the FAQ of a municipality (or all) for the assistant's semantic channel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", help="municipality code (default: all)")
        parser.add_argument("--force", action="store_true", help="encode every entry again")

    def handle(self, *args: Any, **options: Any) -> None:
        municipalities = Municipality.objects.all()
        if options["municipality"]:
            municipalities = municipalities.filter(code=options["municipality"])
            if not municipalities.exists():
                raise CommandError(
                    f"no municipality {options['municipality']} (自治体がありません)"
                )
        if not enabled_names():
            self.stdout.write("No encoders in use (MACHI_ASSISTANT_ENCODERS is empty).")
            return
        for municipality in municipalities:
            report = faq_vectors_refresh(
                municipality=municipality, progress=progress_bar, force=options["force"]
            )
            self.stdout.write(
                f"{municipality.code}: {report.encoded} encoded, {report.current} already current "
                f"({', '.join(enabled_names())})"
            )
