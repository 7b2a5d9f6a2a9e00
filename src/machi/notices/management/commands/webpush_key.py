"""Print a new VAPID key pair for Web Push (MACHI_WEBPUSH_VAPID_PRIVATE_KEY)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from machi.notices.delivery import vapid


class Command(BaseCommand):
    help = "Print a new VAPID private key for MACHI_WEBPUSH_VAPID_PRIVATE_KEY and its public key."

    def handle(self, *args: Any, **options: Any) -> None:
        private = vapid.new_private_key()
        self.stdout.write(f"MACHI_WEBPUSH_VAPID_PRIVATE_KEY={private}")
        public = vapid.public_key(vapid.load(private))
        self.stdout.write(f"# public key (applicationServerKey): {public}")
