"""Load a municipality's scenario menus from YAML; all or nothing, safe to repeat."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from machi.assistant.management.commands._imports import run_import
from machi.assistant.services.scenarios import scenarios_import


class Command(BaseCommand):
    help = "Import scenario menus (machi-scenario/1) from a YAML list."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--municipality", default="242101", help="全国地方公共団体コード")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        count = run_import(
            path,
            options["municipality"],
            lambda city, file: scenarios_import(
                municipality=city, text=file.read_text(encoding="utf-8")
            ),
        )
        self.stdout.write(f"{path.name}: {count} scenario menus")
