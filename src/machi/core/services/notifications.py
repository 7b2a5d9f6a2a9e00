"""Messages to staff in the back office (their notification list on 業務画面)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from machi.core.models import StaffNotification, User


def staff_notify(*, recipient: User, message: str, link: str = "") -> StaffNotification:
    """Leave ``message`` (with the page it is about) for one member of staff."""
    assert recipient.municipality_id is not None
    return StaffNotification.objects.create(
        municipality_id=recipient.municipality_id,
        recipient=recipient,
        message=message[:300],
        link=link,
    )


@transaction.atomic
def staff_notifications_read(*, user: User, ids: Iterable[str] | None = None) -> int:
    unread = StaffNotification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
