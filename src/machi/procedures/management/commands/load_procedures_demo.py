from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from machi.core.models import User
from machi.procedures.models import Procedure, Submission
from machi.procedures.services.submissions import submission_create_from_api

DEMO_FILE = Path(__file__).resolve().parents[2] / "data" / "kameyama-procedures.yaml"
DEMO_RESIDENT = "resident@kameyama.demo"


def _demo_applications(today: dt.date) -> list[tuple[str, str, dict[str, Any]]]:
    """(key, procedure code, answers) the demo resident has sent, so queues are not empty."""
    later = (today + dt.timedelta(days=21)).isoformat()
    contact = {
        "name": "亀山 太郎",
        "name_kana": "カメヤマ タロウ",
        "phone": "0595821111",
        "email": DEMO_RESIDENT,
    }
    return [
        (
            "demo-sodai-gomi-1",
            "sodai-gomi",
            {
                "items": [{"item": "sofa-2", "count": 1}, {"item": "bicycle", "count": 1}],
                "address": "三重県亀山市本丸町577",
                "preferred_date": later,
                **contact,
            },
        ),
        (
            "demo-inu-toroku-1",
            "inu-toroku",
            {
                **contact,
                "address": "三重県亀山市本丸町577",
                "dog_name": "ポチ",
                "breed": "柴犬",
                "color": "赤",
                "dog_sex": "male",
                "dog_birthdate": (today - dt.timedelta(days=120)).isoformat(),
                "acquired_date": (today - dt.timedelta(days=10)).isoformat(),
                "place": "home",
                "chip": "no",
                "vaccinated": "no",
                "vaccine_promise": True,
                "pickup": "main",
            },
        ),
        (
            "demo-otoiawase-1",
            "otoiawase",
            {
                "topic": "environment",
                "subject": "ごみ集積所のカラス対策について",
                "body": "集積所のネットが破れています。交換していただけますか。",
                "reply_method": "email",
                "email": DEMO_RESIDENT,
            },
        ),
    ]


class Command(BaseCommand):
    help = "Load 亀山市's demo procedure catalog and a few applications (safe to repeat)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000",
            help="Where the demo runs: the demo applications' mails and notices link there.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        portal_url = options["url"].rstrip("/")
        call_command("import_procedures", str(DEMO_FILE), stdout=self.stdout)
        resident = User.objects.filter(email=DEMO_RESIDENT).first()
        if resident is None or resident.municipality is None:
            return
        sent = 0
        for key, code, answers in _demo_applications(timezone.localdate()):
            procedure = Procedure.objects.get(municipality=resident.municipality, code=code)
            submission, created = submission_create_from_api(
                municipality=resident.municipality,
                procedure=procedure,
                user=resident,
                answers=answers,
                idempotency_key=key,
                language="ja",
                portal_url=portal_url,
            )
            sent += created
            if submission.portal_url != portal_url:
                # Loaded by an earlier demo on another port: its later mails and the notice's
                # QR code follow the demo where it runs now. Demo data only; no one's record.
                Submission.objects.filter(pk=submission.pk).update(portal_url=portal_url)
        self.stdout.write(f"Demo applications from {DEMO_RESIDENT}: {sent} new.")
