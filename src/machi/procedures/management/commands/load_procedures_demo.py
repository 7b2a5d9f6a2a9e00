from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

DEMO_FILE = Path(__file__).resolve().parents[2] / "data" / "kameyama-procedures.yaml"


class Command(BaseCommand):
    help = "Load 亀山市's demo procedure catalog (run by load_demo; safe to repeat)."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("import_procedures", str(DEMO_FILE), stdout=self.stdout)
