"""購読 by Web Push: a browser's push subscription receives the notices of its topics.

The browser's own permission prompt is the opt-in, so a push subscription is confirmed
when it is made (nobody can subscribe someone else's browser). What the browser sends is
checked before anything is stored: an https endpoint of a known push service (the
platform must never post to an address a visitor made up), and the two keys of RFC 8291
(``p256dh``: a P-256 point, 65 bytes; ``auth``: 16 bytes), base64url. Unsubscribing needs
the endpoint and its ``auth`` secret, which only that browser and the platform know.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from machi.core.audit_actions import AuditAction
from machi.core.models import Municipality, User
from machi.core.services.audit import audit_record
from machi.notices.models import Channel, District, NoticeCategory, Subscription

MAX_ENDPOINT = 1000  # Subscription.address
P256DH_BYTES = 65
AUTH_BYTES = 16


def _b64url(value: object, size: int) -> bytes | None:
    if not isinstance(value, str) or len(value) > 2 * size + 4:
        return None
    text = value.rstrip("=")
    if not text or any(c not in _B64URL for c in text):
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == size else None


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _known_service(host: str) -> bool:
    host = host.lower().rstrip(".")
    for name in settings.MACHI_WEBPUSH_PUSH_SERVICES:
        name = name.lower()
        if host == name.lstrip(".") or (name.startswith(".") and host.endswith(name)):
            return True
    return False


def endpoint_checked(endpoint: object) -> str:
    """The endpoint if it is an https address of a known push service."""
    if not isinstance(endpoint, str) or not endpoint:
        raise ValidationError(_("The browser sent no push address. Try again."))
    if len(endpoint) > MAX_ENDPOINT:
        raise ValidationError(_("The browser's push address is too long."))
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
        parts.port  # noqa: B018  raises ValueError for a port that is not a number
    except ValueError as exc:
        raise ValidationError(_("The browser's push address is not a valid address.")) from exc
    if parts.scheme != "https" or not host or parts.username or parts.password:
        raise ValidationError(_("The browser's push address must be an https address."))
    if not _known_service(host):
        raise ValidationError(
            _(
                "This browser's push service is not supported. Use another browser, or get "
                "the notices by e-mail."
            )
        )
    return endpoint


def keys_checked(keys: object) -> dict[str, str]:
    """The keys of RFC 8291 as the browser gave them (base64url)."""
    if not isinstance(keys, Mapping):
        raise ValidationError(_("The browser sent no encryption keys. Try again."))
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    point = _b64url(p256dh, P256DH_BYTES)
    valid_point = point is not None
    if point is not None:
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
        except ValueError:
            valid_point = False
    if not valid_point:
        raise ValidationError(
            _("The browser's encryption key (p256dh) is not a P-256 key in base64url.")
        )
    if _b64url(auth, AUTH_BYTES) is None:
        raise ValidationError(
            _("The browser's authentication secret (auth) is not 16 bytes in base64url.")
        )
    return {"p256dh": str(p256dh).rstrip("="), "auth": str(auth).rstrip("=")}


def _check_topics(
    municipality: Municipality, categories: list[NoticeCategory], districts: list[District]
) -> None:
    if any(c.municipality_id != municipality.pk for c in categories) or any(
        d.municipality_id != municipality.pk for d in districts
    ):
        raise ValidationError(_("Choose categories and districts of this city."))


def _audit(action: AuditAction, subscription: Subscription, actor: User | None) -> None:
    audit_record(
        action=action,
        actor=actor,
        municipality=subscription.municipality,
        target=subscription,
        data={"channel": subscription.channel},
    )


@transaction.atomic
def push_subscribe(
    *,
    municipality: Municipality,
    subscription: Mapping[str, Any],
    categories: Iterable[NoticeCategory] = (),
    districts: Iterable[District] = (),
    portal_url: str,
    language: str = "ja",
    label: str = "",
    user: User | None = None,
) -> Subscription:
    """Receive notices in this browser. ``subscription`` is the browser's
    ``PushSubscription.toJSON()``: ``{"endpoint": …, "keys": {"p256dh": …, "auth": …}}``.
    Subscribing again (new topics, new keys) updates the same row."""
    if not isinstance(subscription, Mapping):
        raise ValidationError(_("The browser sent no push subscription. Try again."))
    endpoint = endpoint_checked(subscription.get("endpoint"))
    keys = keys_checked(subscription.get("keys"))
    chosen_categories, chosen_districts = list(categories), list(districts)
    _check_topics(municipality, chosen_categories, chosen_districts)
    now = timezone.now()
    row, _created = Subscription.objects.select_for_update().get_or_create(
        municipality=municipality,
        channel=Channel.WEB_PUSH,
        address=endpoint,
        defaults={"portal_url": portal_url},
    )
    row.details = keys
    row.portal_url, row.language, row.label = portal_url, language, label[:100]
    row.user = user if user is not None else row.user
    row.confirmed_at, row.unsubscribed_at = now, None
    row.save()
    row.categories.set(chosen_categories)
    row.districts.set(chosen_districts)
    _audit(AuditAction.NOTICE_SUBSCRIPTION_CONFIRMED, row, user)
    return row


@transaction.atomic
def push_unsubscribe(
    *, municipality: Municipality, endpoint: object, auth: object, user: User | None = None
) -> Subscription | None:
    """Stop notices to this browser; None when there was nothing to stop (already ended,
    or never subscribed here). The ``auth`` secret proves it is that browser."""
    if not isinstance(endpoint, str) or not isinstance(auth, str) or len(endpoint) > MAX_ENDPOINT:
        raise ValidationError(_("The browser sent no push subscription. Try again."))
    row = (
        Subscription.objects.select_for_update()
        .filter(municipality=municipality, channel=Channel.WEB_PUSH, address=endpoint)
        .first()
    )
    if row is None or row.unsubscribed_at is not None:
        return None
    kept = str(row.details.get("auth", ""))
    if not hmac.compare_digest(kept.encode(), auth.rstrip("=").encode()):
        raise ValidationError(_("This browser's push subscription could not be confirmed."))
    row.unsubscribed_at = timezone.now()
    row.save(update_fields=["unsubscribed_at", "updated_at"])
    _audit(AuditAction.NOTICE_SUBSCRIPTION_CANCELLED, row, user)
    return row
