from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from machi.core.services.tenancy import municipality_upsert


class Command(BaseCommand):
    help = "Add a municipality (tenant) to this deployment, or update it by its code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", required=True, help="全国地方公共団体コード, e.g. 242071")
        parser.add_argument("--name", required=True, help="e.g. 鈴鹿市")
        parser.add_argument("--kana", required=True, help="e.g. スズカシ")
        parser.add_argument("--prefecture", required=True, help="e.g. 三重県")
        parser.add_argument("--name-en", default="", help="e.g. Suzuka City")
        parser.add_argument("--fiscal-year-start-month", type=int, default=4)
        parser.add_argument(
            "--host", action="append", default=[], help="host name serving its portal (repeat)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            municipality = municipality_upsert(
                code=options["code"],
                name=options["name"],
                name_kana=options["kana"],
                prefecture=options["prefecture"],
                name_en=options["name_en"],
                fiscal_year_start_month=options["fiscal_year_start_month"],
                hosts=options["host"],
            )
        except ValidationError as exc:
            messages = "; ".join(
                f"{field}: {' '.join(errors)}" for field, errors in exc.message_dict.items()
            )
            raise CommandError(messages) from exc
        hosts = ", ".join(municipality.domains.values_list("host", flat=True)) or "(none)"
        self.stdout.write(
            self.style.SUCCESS(f"{municipality} ({municipality.code}); hosts: {hosts}")
        )
