from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from machi.core.demo import data
from machi.core.models import Department, Role, User
from machi.core.services.accounts import resident_create, staff_create, staff_role_grant
from machi.core.services.tenancy import department_upsert, municipality_upsert

# Demo loaders that store links for mails and documents (the demo applications' portal_url).
URL_COMMANDS = {"load_procedures_demo", "load_notices_demo"}


class Command(BaseCommand):
    help = "Load the 亀山市 demo tenant, departments and demo accounts (safe to run twice)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000",
            help="Where the demo runs (make demo passes HOST and PORT): the demo "
            "applications' mails and notices link there.",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        city = municipality_upsert(**data.KAMEYAMA)  # type: ignore[arg-type]
        departments: dict[str, Department] = {}
        for code, name, name_en, parent_code in data.DEPARTMENTS:
            departments[code] = department_upsert(
                municipality=city,
                code=code,
                name=name,
                name_en=name_en,
                parent=departments.get(parent_code) if parent_code else None,
            )

        def staff(email: str, full_name: str) -> User:
            existing = User.objects.filter(email=email).first()
            if existing is not None:
                return existing
            return staff_create(
                actor=None,
                municipality=city,
                email=email,
                full_name=full_name,
                password=data.DEMO_PASSWORD,
            )

        admin_email, admin_name = data.ADMIN
        admin = staff(admin_email, admin_name)
        staff_role_grant(actor=None, user=admin, role=Role.PLATFORM_ADMIN)
        for email, full_name, department_code in data.CLERKS:
            clerk = staff(email, full_name)
            staff_role_grant(
                actor=None, user=clerk, role=Role.CLERK, department=departments[department_code]
            )
        for email, full_name, department_code, rank in data.APPROVERS:
            approver = staff(email, full_name)
            staff_role_grant(
                actor=None,
                user=approver,
                role=Role.APPROVER,
                department=departments[department_code],
                rank=rank,
            )
        for email, full_name, role, where in data.PLAN_STAFF:
            member = staff(email, full_name)
            staff_role_grant(
                actor=None,
                user=member,
                role=role,
                department=departments[where] if where else None,
            )

        email, full_name, kana = data.RESIDENT
        if not User.objects.filter(email=email).exists():
            resident_create(
                municipality=city,
                email=email,
                password=data.DEMO_PASSWORD,
                full_name=full_name,
                full_name_kana=kana,
            )
        for command in data.APP_DEMO_COMMANDS:
            extra = {"url": options["url"]} if command in URL_COMMANDS else {}
            call_command(command, stdout=self.stdout, **extra)
        self._verify_demo_emails()  # after the apps' loaders, which add accounts too
        self.stdout.write(self.style.SUCCESS(f"Demo data for {city} is loaded."))

    @staticmethod
    def _verify_demo_emails() -> None:
        """Demo addresses cannot receive mail, so mark them verified for sign-in."""
        from allauth.account.models import EmailAddress

        for user in User.objects.filter(email__endswith=".demo"):
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
