"""Record the DX plan's measure 1-(6) KPIs from the delivery figures now (what the nightly
task ``notices.plan_kpis_record`` does), for one municipality or every active one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from machi.core.models import Municipality
from machi.notices.services.measure import plan_kpis_record


class Command(BaseCommand):
    help = "Record measure 1-(6)'s KPI actuals from the notices' delivery figures."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--municipality", help="全国地方公共団体コード (default: all active)")

    def handle(self, *args: Any, **options: Any) -> None:
        cities = Municipality.objects.filter(is_active=True)
        if options["municipality"]:
            cities = cities.filter(code=options["municipality"])
            if not cities.exists():
                raise CommandError(f"No active municipality {options['municipality']}.")
        for city in cities:
            done = plan_kpis_record(municipality=city)
            if not done:
                self.stdout.write(f"{city.code}: no KPI of measure 1-(6) that machi counts")
            for r in done:
                state = "recorded" if r.changed else "unchanged"
                self.stdout.write(
                    f"{city.code} {r.kpi_code} FY{r.fiscal_year}: {r.value} ({state})"
                )
