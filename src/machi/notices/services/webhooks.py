"""Partner webhooks (提携先へのWebhook): staff register a partner's address (a local
newspaper, a 自治会 app, a disaster-information aggregator), and every notice of the
chosen categories and districts is POSTed to it as signed JSON (docs/notices.md,
"Webhooks for partners").

A webhook is a :class:`Subscription` on the ``webhook`` channel: the address is the URL,
``label`` the partner's name, ``details["secret"]`` the signing secret (shown to staff
once, when it is made). Replacing the secret keeps the old one for a day
(``previous_secret`` until ``previous_until``): messages are signed with both meanwhile,
so the partner can switch without losing one.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from machi.core.audit_actions import AuditAction
from machi.core.models import Municipality, User
from machi.core.services.audit import audit_record
from machi.notices.models import Channel, District, NoticeCategory, Subscription
from machi.notices.permissions import require_manage_webhooks

URL_MAX = 1000
NAME_MAX = 100
# How long the replaced secret still signs messages beside the new one.
ROTATION_OVERLAP = dt.timedelta(hours=24)
LOOPBACK_NAMES = ("localhost", "localhost.localdomain")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_internal(host: str) -> bool:
    """An address of the city's own network (or of the machine itself)."""
    if _is_loopback(host):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_link_local or address.is_unspecified


def webhook_url_clean(url: str) -> str:
    """The address as it is stored, or a ``ValidationError`` on ``url`` saying how to fix
    it: https (http only to a test receiver on this machine, outside production), with a
    host, without a user name or password, and in production not into an internal network."""
    value = url.strip()
    wrong = ValidationError({"url": _("Enter the partner's address, starting with https://.")})
    if not value or len(value) > URL_MAX or any(c.isspace() for c in value):
        raise wrong
    try:
        parts = urlsplit(value)
        host = (parts.hostname or "").lower()
        _port = parts.port  # a port that is not a number raises here
    except ValueError as exc:
        raise wrong from exc
    if parts.scheme.lower() not in ("https", "http") or not host:
        raise wrong
    if parts.username is not None or parts.password is not None:
        raise ValidationError({"url": _("Leave the user name and password out of the address.")})
    production = bool(getattr(settings, "PRODUCTION", False))
    if parts.scheme.lower() == "http" and (production or not _is_loopback(host)):
        raise ValidationError(
            {
                "url": _(
                    "The address must start with https://. (http:// is only for a test "
                    "receiver on this computer, outside production.)"
                )
            }
        )
    if production and _is_internal(host):
        raise ValidationError(
            {"url": _("This address is inside the city's own network. Enter the partner's.")}
        )
    return value


def _check_topics(
    municipality: Municipality, categories: list[NoticeCategory], districts: list[District]
) -> None:
    if any(c.municipality_id != municipality.pk for c in categories) or any(
        d.municipality_id != municipality.pk for d in districts
    ):
        raise ValidationError({"categories": _("Choose categories and districts of this city.")})


def _audit(action: AuditAction, actor: User, subscription: Subscription) -> None:
    audit_record(
        action=action,
        actor=actor,
        municipality=subscription.municipality,
        target=subscription,
        data={
            "channel": subscription.channel,
            "partner": subscription.label,
            "host": urlsplit(subscription.address).hostname or "",
        },
    )


@transaction.atomic
def webhook_add(
    *,
    actor: User,
    municipality: Municipality,
    name: str,
    url: str,
    categories: Iterable[NoticeCategory] = (),
    districts: Iterable[District] = (),
    portal_url: str,
) -> tuple[Subscription, str]:
    """Register a partner's webhook; it receives the next notices at once. Returns the
    subscription and its signing secret, which is shown to staff this once. A stopped
    webhook's address can be registered again (with a new secret)."""
    require_manage_webhooks(actor, municipality)
    label = " ".join(name.split())
    errors: dict[str, list[str]] = {}
    if not label or len(label) > NAME_MAX:
        errors["name"] = [_("Enter the partner's name (up to 100 characters).")]
    try:
        address = webhook_url_clean(url)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        address = ""
    if (
        address
        and Subscription.objects.filter(
            municipality=municipality,
            channel=Channel.WEBHOOK,
            address=address,
            unsubscribed_at__isnull=True,
        ).exists()
    ):
        errors["url"] = [_("A webhook to this address is already registered.")]
    if errors:
        raise ValidationError(errors)
    chosen_categories, chosen_districts = list(categories), list(districts)
    _check_topics(municipality, chosen_categories, chosen_districts)
    secret = new_secret()
    now = timezone.now()
    subscription, _created = Subscription.objects.select_for_update().get_or_create(
        municipality=municipality,
        channel=Channel.WEBHOOK,
        address=address,
        defaults={"portal_url": portal_url},
    )
    subscription.label = label
    subscription.details = {"secret": secret}
    subscription.portal_url = portal_url
    subscription.language = "ja"
    subscription.user = None
    subscription.confirmed_at = now  # staff register it: there is no one to confirm
    subscription.unsubscribed_at = None
    subscription.save()
    subscription.categories.set(chosen_categories)
    subscription.districts.set(chosen_districts)
    _audit(AuditAction.NOTICE_WEBHOOK_ADDED, actor, subscription)
    return subscription, secret


def _webhook(municipality: Municipality, subscription: Subscription) -> Subscription:
    return Subscription.objects.select_for_update().get(
        pk=subscription.pk, municipality=municipality, channel=Channel.WEBHOOK
    )


@transaction.atomic
def webhook_secret_rotate(
    *, actor: User, municipality: Municipality, subscription: Subscription
) -> str:
    """A new signing secret (returned, to be shown once); the old one still signs
    messages beside it for :data:`ROTATION_OVERLAP`."""
    require_manage_webhooks(actor, municipality)
    subscription = _webhook(municipality, subscription)
    if subscription.unsubscribed_at is not None:
        raise ValidationError(_("This webhook is stopped. Register it again instead."))
    secret = new_secret()
    details = dict(subscription.details)
    subscription.details = {
        "secret": secret,
        "previous_secret": details.get("secret", ""),
        "previous_until": (timezone.now() + ROTATION_OVERLAP).isoformat(),
    }
    subscription.save(update_fields=["details", "updated_at"])
    _audit(AuditAction.NOTICE_WEBHOOK_SECRET_ROTATED, actor, subscription)
    return secret


@transaction.atomic
def webhook_stop(
    *, actor: User, municipality: Municipality, subscription: Subscription
) -> Subscription:
    """Stop sending to the partner: messages not sent yet are not sent (the sender
    checks), and the secret is forgotten."""
    require_manage_webhooks(actor, municipality)
    subscription = _webhook(municipality, subscription)
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.details = {}
        subscription.save(update_fields=["unsubscribed_at", "details", "updated_at"])
        _audit(AuditAction.NOTICE_WEBHOOK_STOPPED, actor, subscription)
    return subscription
