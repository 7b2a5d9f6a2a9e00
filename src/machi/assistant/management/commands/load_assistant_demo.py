"""The 亀山市 demo FAQ and scenario menus (part of ``load_demo``)."""

from __future__ import annotations

from importlib import resources
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the 亀山市 demo FAQ and scenario menus (safe to run twice)."

    def handle(self, *args: Any, **options: Any) -> None:
        data = resources.files("machi.assistant").joinpath("data")
        with resources.as_file(data.joinpath("kameyama-faq.csv")) as path:
            call_command("import_faq", str(path), stdout=self.stdout)
        with resources.as_file(data.joinpath("kameyama-scenarios.yaml")) as path:
            call_command("import_scenarios", str(path), stdout=self.stdout)
