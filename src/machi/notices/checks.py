"""System check of Web Push's settings: production needs its own VAPID key, and a key
that does not load stops start-up rather than failing every push later."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from machi.notices.delivery import vapid

HINT = "Generate one with: python manage.py webpush_key (see deploy/env.example)."


@register("machi")
def check_webpush_key(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    subject = settings.MACHI_WEBPUSH_SUBJECT
    if not subject.startswith(("mailto:", "https://")):
        return [
            Error(
                f"MACHI_WEBPUSH_SUBJECT={subject!r} is neither a mailto: nor an https: address.",
                hint="Push services contact this address about our pushes, e.g. "
                "mailto:webmaster@city.example.jp.",
                id="machi.E006",
            )
        ]
    configured = settings.MACHI_WEBPUSH_VAPID_PRIVATE_KEY
    if not configured:
        if settings.PRODUCTION:
            return [
                Error(
                    "MACHI_WEBPUSH_VAPID_PRIVATE_KEY is not set in production: web and worker "
                    "processes would sign pushes with different keys.",
                    hint=HINT,
                    id="machi.E006",
                )
            ]
        return []
    try:
        vapid.load(configured)
    except Exception:  # py_vapid raises what cryptography and base64 raise
        return [
            Error(
                "MACHI_WEBPUSH_VAPID_PRIVATE_KEY is not a P-256 private key in base64url "
                "(raw 32 bytes or DER).",
                hint=HINT,
                id="machi.E006",
            )
        ]
    return []
