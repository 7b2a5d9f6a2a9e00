"""The 亀山市 demo FAQ (part of ``load_demo``)."""

from __future__ import annotations

from importlib import resources
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the 亀山市 demo FAQ (safe to run twice)."

    def handle(self, *args: Any, **options: Any) -> None:
        data = resources.files("machi.assistant").joinpath("data/kameyama-faq.csv")
        with resources.as_file(data) as path:
            call_command("import_faq", str(path), stdout=self.stdout)
