"""購読: subscribe an address to categories and districts, confirm it, unsubscribe.

E-mail is double opt-in: the address gets one message with a link, and receives
nothing else until its owner follows it (so nobody can sign someone else up). Links
carry a signed token instead of a stored secret (Django's signing, keyed by SECRET_KEY):
the confirmation link for a week, the unsubscribe link for good (RFC 8058 one-click
unsubscribe posts to it).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from machi.core import selectors as core_selectors
from machi.core.audit_actions import AuditAction
from machi.core.models import Municipality, User
from machi.core.services.audit import audit_record
from machi.notices import selectors
from machi.notices.models import Channel, District, NoticeCategory, Subscription
from machi.notices.services.messages import message_queue

CONFIRM_SALT = "notices.subscription.confirm"
UNSUBSCRIBE_SALT = "notices.subscription.unsubscribe"
CONFIRM_DAYS = 7


def confirm_token(subscription: Subscription) -> str:
    return signing.dumps(str(subscription.pk), salt=CONFIRM_SALT)


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps(str(subscription.pk), salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(subscription: Subscription) -> str:
    path = reverse("notices:unsubscribe", kwargs={"token": unsubscribe_token(subscription)})
    return subscription.portal_url.rstrip("/") + path


def _subscription_of(token: str, salt: str, max_age: int | None) -> Subscription:
    try:
        pk = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ValidationError(
            _("This link has expired. Subscribe again to get a new one.")
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("This link is not valid. Check that it was copied whole.")) from exc
    subscription = Subscription.objects.filter(pk=pk).first()
    if subscription is None:
        raise ValidationError(_("This subscription no longer exists."))
    return subscription


def _check_topics(
    municipality: Municipality, categories: list[NoticeCategory], districts: list[District]
) -> None:
    if any(c.municipality_id != municipality.pk for c in categories) or any(
        d.municipality_id != municipality.pk for d in districts
    ):
        raise ValidationError({"categories": _("Choose categories and districts of this city.")})


@transaction.atomic
def email_subscription_request(
    *,
    municipality: Municipality,
    email: str,
    categories: Iterable[NoticeCategory] = (),
    districts: Iterable[District] = (),
    portal_url: str,
    language: str = "ja",
    user: User | None = None,
) -> Subscription:
    """Ask to receive notices by e-mail: the address gets a confirmation message. The
    topics chosen now apply once it is confirmed; asking again sends a new message.

    Asked while signed in (``user``), the subscription is linked to the account and shows
    on its マイページ, unless another account's request was already confirmed."""
    address = _email_of(email)
    chosen_categories, chosen_districts = list(categories), list(districts)
    _check_topics(municipality, chosen_categories, chosen_districts)
    subscription, _created = Subscription.objects.get_or_create(
        municipality=municipality,
        channel=Channel.EMAIL,
        address=address,
        defaults={"portal_url": portal_url, "language": language, "user": user},
    )
    subscription.portal_url, subscription.language = portal_url, language
    if user is not None and (subscription.user_id is None or subscription.confirmed_at is None):
        subscription.user = user
    subscription.save(update_fields=["portal_url", "language", "user", "updated_at"])
    subscription.categories.set(chosen_categories)
    subscription.districts.set(chosen_districts)
    _audit(AuditAction.NOTICE_SUBSCRIPTION_REQUESTED, subscription, user)
    _send_confirmation(municipality, subscription)
    return subscription


def _email_of(email: str) -> str:
    address = email.strip().lower()
    try:
        validate_email(address)
    except ValidationError as exc:
        raise ValidationError(
            {"email": _("Enter an e-mail address in the form name@example.jp.")}
        ) from exc
    return address


def _audit(action: AuditAction, subscription: Subscription, actor: User | None = None) -> None:
    audit_record(
        action=action,
        actor=actor,
        municipality=subscription.municipality,
        target=subscription,
        data={"channel": subscription.channel},
    )


def _send_confirmation(municipality: Municipality, subscription: Subscription) -> None:
    path = reverse("notices:subscription_confirm", kwargs={"token": confirm_token(subscription)})
    with translation.override(subscription.language):
        context = {
            "municipality": municipality.display_name(subscription.language),
            "link": subscription.portal_url.rstrip("/") + path,
            "days": CONFIRM_DAYS,
        }
        subject = " ".join(render_to_string("notices/mail/confirm_subject.txt", context).split())
        body = render_to_string("notices/mail/confirm_body.txt", context)
    # One confirmation per request: the key counts the requests made so far.
    asked = subscription.messages.filter(kind="subscription.confirm").count()
    message_queue(
        municipality=municipality,
        channel=Channel.EMAIL,
        kind="subscription.confirm",
        key=f"subscription-confirm:{subscription.pk}:{asked + 1}",
        recipient=subscription.address,
        subject=subject,
        body=body,
        urgent=True,
        subscription=subscription,
    )


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription:
    subscription = _subscription_of(token, CONFIRM_SALT, CONFIRM_DAYS * 86400)
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    subscription.confirmed_at = subscription.confirmed_at or timezone.now()
    subscription.unsubscribed_at = None
    subscription.save(update_fields=["confirmed_at", "unsubscribed_at", "updated_at"])
    _audit(AuditAction.NOTICE_SUBSCRIPTION_CONFIRMED, subscription)
    return subscription


@transaction.atomic
def subscription_cancel(*, token: str) -> Subscription:
    """Unsubscribe (the link in every message; also the one-click POST of RFC 8058)."""
    subscription = _subscription_of(token, UNSUBSCRIBE_SALT, None)
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at", "updated_at"])
        _audit(AuditAction.NOTICE_SUBSCRIPTION_CANCELLED, subscription)
    return subscription


# --- マイページ: a signed-in resident manages their own subscriptions ----------------------


def _own(actor: User, municipality: Municipality, subscription_id: uuid.UUID) -> Subscription:
    """The resident's own subscription, locked; ``Subscription.DoesNotExist`` for anyone
    else's (another resident's, another city's): the page answers 404 and says nothing
    about whether it exists."""
    subscription = (
        selectors.owned_subscriptions(user=actor, municipality=municipality)
        .select_for_update()
        .filter(pk=subscription_id)
        .first()
    )
    if subscription is None:
        raise Subscription.DoesNotExist
    return subscription


@transaction.atomic
def subscription_topics_update(
    *,
    actor: User,
    municipality: Municipality,
    subscription_id: uuid.UUID,
    categories: Iterable[NoticeCategory] = (),
    districts: Iterable[District] = (),
) -> Subscription:
    """Change what one of the resident's subscriptions receives (none chosen: all)."""
    subscription = _own(actor, municipality, subscription_id)
    chosen_categories, chosen_districts = list(categories), list(districts)
    _check_topics(municipality, chosen_categories, chosen_districts)
    subscription.categories.set(chosen_categories)
    subscription.districts.set(chosen_districts)
    subscription.save(update_fields=["updated_at"])
    audit_record(
        action=AuditAction.NOTICE_SUBSCRIPTION_CHANGED,
        actor=actor,
        municipality=municipality,
        target=subscription,
        data={
            "channel": subscription.channel,
            "categories": sorted(c.code for c in chosen_categories),
            "districts": sorted(d.code for d in chosen_districts),
        },
    )
    return subscription


@transaction.atomic
def subscription_stop(
    *, actor: User, municipality: Municipality, subscription_id: uuid.UUID
) -> Subscription:
    """Stop receiving on one of the resident's subscriptions (停止中); it keeps its topics
    and can start again."""
    subscription = _own(actor, municipality, subscription_id)
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at", "updated_at"])
        _audit(AuditAction.NOTICE_SUBSCRIPTION_CANCELLED, subscription, actor)
    return subscription


@transaction.atomic
def subscription_resume(
    *,
    actor: User,
    municipality: Municipality,
    subscription_id: uuid.UUID,
    portal_url: str,
    language: str = "ja",
) -> Subscription:
    """Receive again on one of the resident's subscriptions (or, still waiting for its
    confirmation, ask for it again).

    An e-mail address the account has not verified goes through the confirmation message
    again, as a new subscription would: it stays as it is until its link is followed. A
    verified one, and the other channels (tied to the account or device that made them),
    start at once. Returns the subscription; ``active`` says which happened."""
    subscription = _own(actor, municipality, subscription_id)
    if subscription.channel == Channel.EMAIL and subscription.address not in set(
        core_selectors.verified_emails_of(user=actor)
    ):
        subscription.portal_url, subscription.language = portal_url, language
        subscription.save(update_fields=["portal_url", "language", "updated_at"])
        _audit(AuditAction.NOTICE_SUBSCRIPTION_REQUESTED, subscription, actor)
        _send_confirmation(municipality, subscription)
        return subscription
    if subscription.active:
        return subscription
    if subscription.channel == Channel.EMAIL and subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()  # the account verified the address
    if subscription.confirmed_at is not None:
        subscription.unsubscribed_at = None
        subscription.save(update_fields=["confirmed_at", "unsubscribed_at", "updated_at"])
        audit_record(
            action=AuditAction.NOTICE_SUBSCRIPTION_CONFIRMED,
            actor=actor,
            municipality=municipality,
            target=subscription,
            data={"channel": subscription.channel, "via": "mypage"},
        )
    return subscription


@transaction.atomic
def email_subscription_start(
    *,
    actor: User,
    municipality: Municipality,
    email: str,
    categories: Iterable[NoticeCategory] = (),
    districts: Iterable[District] = (),
    portal_url: str,
    language: str = "ja",
) -> Subscription:
    """Start receiving notices by e-mail from マイページ.

    At an address the account has verified, in one step: confirmed at once (the account's
    own confirmation proved the resident reads it; the audit entry says so). At another
    address, the usual confirmation message (``email_subscription_request``)."""
    address = _email_of(email)
    if address not in set(core_selectors.verified_emails_of(user=actor)):
        return email_subscription_request(
            municipality=municipality,
            email=address,
            categories=categories,
            districts=districts,
            portal_url=portal_url,
            language=language,
            user=actor,
        )
    chosen_categories, chosen_districts = list(categories), list(districts)
    _check_topics(municipality, chosen_categories, chosen_districts)
    subscription, _created = Subscription.objects.select_for_update().get_or_create(
        municipality=municipality,
        channel=Channel.EMAIL,
        address=address,
        defaults={"portal_url": portal_url, "language": language},
    )
    subscription.portal_url, subscription.language = portal_url, language
    subscription.user = actor  # a verified address: its owner's, whoever asked before
    subscription.confirmed_at = subscription.confirmed_at or timezone.now()
    subscription.unsubscribed_at = None
    subscription.save()
    subscription.categories.set(chosen_categories)
    subscription.districts.set(chosen_districts)
    audit_record(
        action=AuditAction.NOTICE_SUBSCRIPTION_CONFIRMED,
        actor=actor,
        municipality=municipality,
        target=subscription,
        data={"channel": subscription.channel, "via": "verified account address"},
    )
    return subscription
