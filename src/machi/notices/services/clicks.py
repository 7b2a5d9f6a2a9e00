"""効果検証: a recipient followed a message's link. Counted on the message itself (how
many times, and when first), so channels can be compared per notice; nothing about the
reader is kept (no cookie, no address, no pixel)."""

from __future__ import annotations

import uuid

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from machi.core.models import Municipality
from machi.notices.models import Message


def message_click(*, municipality: Municipality, message_id: uuid.UUID) -> uuid.UUID | None:
    """Count one click on a message of this municipality; the notice it links to."""
    notice_id = (
        Message.objects.filter(pk=message_id, municipality=municipality)
        .values_list("notice_id", flat=True)
        .first()
    )
    if notice_id is None:
        return None
    Message.objects.filter(pk=message_id).update(
        clicks=F("clicks") + 1,
        first_clicked_at=Coalesce(F("first_clicked_at"), timezone.now()),
    )
    return notice_id
