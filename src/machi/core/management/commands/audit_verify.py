from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from machi.core.models import AuditEntry
from machi.core.services.audit import audit_chain_verify


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log and report the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        total = AuditEntry.objects.count()
        interactive = sys.stdout.isatty() and options["verbosity"] > 0

        def progress(done: int) -> None:
            if interactive and (done % 1000 == 0 or done == total):
                self.stdout.write(f"\r{done}/{total}", ending="")

        report = audit_chain_verify(progress=progress)
        if interactive:
            self.stdout.write("")
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"OK: {report.checked} entries, chain intact."))
            return
        raise CommandError(
            f"Broken link at entry #{report.first_broken_sequence}: {report.reason} "
            f"({report.checked} entries before it are intact)."
        )
