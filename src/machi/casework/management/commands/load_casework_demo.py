from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from machi.casework.services.approvals import approval_route_save
from machi.core.models import ApproverRank, Municipality
from machi.procedures.models import Procedure

# 亀山市 demo approval routes (決裁ルート): procedure code → (name, from amount, steps).
DEMO_ROUTES: dict[str, list[tuple[str, int, list[dict[str, Any]]]]] = {
    "sodai-gomi": [
        (
            "係長・課長",
            0,
            [{"rank": int(ApproverRank.CHIEF)}, {"rank": int(ApproverRank.SECTION_MANAGER)}],
        ),
    ],
    "jido-teate": [
        (
            "係長・課長（財務課合議）",
            0,
            [
                {"rank": int(ApproverRank.CHIEF)},
                {"rank": int(ApproverRank.SECTION_MANAGER)},
                {
                    "rank": int(ApproverRank.SECTION_MANAGER),
                    "department": "530",
                    "consult": True,
                    "with_previous": True,
                },
            ],
        ),
    ],
}


class Command(BaseCommand):
    help = "Load 亀山市's demo approval routes (run by load_demo; safe to repeat)."

    def handle(self, *args: Any, **options: Any) -> None:
        city = Municipality.objects.get(code="242101")
        for code, routes in DEMO_ROUTES.items():
            procedure = Procedure.objects.get(municipality=city, code=code)
            for name, min_amount, steps in routes:
                approval_route_save(
                    actor=None,
                    procedure=procedure,
                    name=name,
                    min_amount=min_amount,
                    steps=[dict(step) for step in steps],
                )
        self.stdout.write(f"Approval routes: {sum(len(r) for r in DEMO_ROUTES.values())}.")
