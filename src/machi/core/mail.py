"""What a mail sent with Django's mail API says about itself to the outbox (ADR 0019).

Every mail of the platform goes through the delivery engine of notices, whose e-mail
backend (``EMAIL_BACKEND``) turns each mail into outbox rows. Code that cannot import
notices (core, and so django-allauth's adapter) names the municipality the mail is sent
for and the kind of mail in these two headers; the backend takes them off before sending.
"""

from __future__ import annotations

from machi.core.models import Municipality

MUNICIPALITY_HEADER = "X-Machi-Municipality"
KIND_HEADER = "X-Machi-Kind"


def outbox_headers(*, kind: str, municipality: Municipality | None) -> dict[str, str]:
    headers = {KIND_HEADER: kind}
    if municipality is not None:
        headers[MUNICIPALITY_HEADER] = str(municipality.pk)
    return headers
