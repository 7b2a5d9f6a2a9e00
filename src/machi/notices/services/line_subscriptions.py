"""購読 on LINE: following the city's official account is the opt-in.

The assistant's LINE webhook (``machi.assistant.services.line_events``) hands the events
that concern notices to these services and sends the reply they return; the SDK stays in
the assistant. What happens:

* ``follow``: the LINE user id becomes a confirmed subscription (all notices), or the one
  they had comes back; the reply says so and offers the topics as quick replies.
* a postback whose data starts with :data:`POSTBACK_PREFIX` (the assistant's own buttons
  use other data): choose a category or a district (several may be chosen, each tap adds
  or removes one), "all" of either, or a page of the choices; the reply lists what they
  now receive and offers the choices again.
* the text 「配信設定」 (:data:`SETTINGS_COMMANDS`) shows the topics again.
* ``unfollow``: the subscription ends (``unsubscribed_at``); nothing more is sent.

A quick reply holds at most 13 items with labels of at most 20 characters (LINE's limits):
a menu shows "all", up to :data:`PAGE` topics, "more" when there are more, and the way to
the other kind of topic. Replies are in Japanese (LINE does not tell the user's language).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from machi.core.audit_actions import AuditAction
from machi.core.models import Municipality
from machi.core.services.audit import audit_record
from machi.notices.models import Channel, District, NoticeCategory, Subscription

POSTBACK_PREFIX = "notices:"
SETTINGS_COMMANDS = ("配信設定", "配信設定を変更", "お知らせ設定")
QUICK_REPLY_LIMIT = 13
LABEL_LIMIT = 20
PAGE = 10  # topics per menu: with "all", "more" and the other kind, 13 items at most
LANGUAGE = "ja"
CATEGORY, DISTRICT = "cat", "dist"


@dataclass(frozen=True)
class Choice:
    """One quick-reply button: a postback with ``data``; ``display`` is what the chat shows
    as the resident's own message when they tap it."""

    label: str
    data: str
    display: str


@dataclass(frozen=True)
class LineReply:
    text: str
    choices: list[Choice] = field(default_factory=list)


def _label(text: str) -> str:
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1] + "…"


def _subscription(
    municipality: Municipality, user_id: str, portal_url: str, *, revive: bool
) -> tuple[Subscription, bool]:
    """The user's subscription, created or (``revive``) brought back; whether it is new."""
    now = timezone.now()
    subscription, created = Subscription.objects.select_for_update().get_or_create(
        municipality=municipality,
        channel=Channel.LINE,
        address=user_id,
        defaults={"portal_url": portal_url, "language": LANGUAGE, "confirmed_at": now},
    )
    if not created and revive and not subscription.active:
        subscription.confirmed_at = subscription.confirmed_at or now
        subscription.unsubscribed_at = None
        if portal_url:
            subscription.portal_url = portal_url
        subscription.save(
            update_fields=["confirmed_at", "unsubscribed_at", "portal_url", "updated_at"]
        )
        created = True
    if created:
        _audit(AuditAction.NOTICE_SUBSCRIPTION_CONFIRMED, subscription)
    return subscription, created


def _audit(action: AuditAction, subscription: Subscription) -> None:
    audit_record(
        action=action,
        actor=None,
        municipality=subscription.municipality,
        target=subscription,
        data={"channel": subscription.channel},
    )


def _names(items: list[NoticeCategory] | list[District]) -> str:
    return "、".join(item.name for item in items)


def _summary(subscription: Subscription) -> str:
    categories = list(subscription.categories.order_by("sort_order", "code"))
    districts = list(subscription.districts.order_by("sort_order", "code"))
    return "\n".join(
        [
            _("Categories: %(names)s")
            % {"names": _names(categories) if categories else _("all categories")},
            _("Districts: %(names)s")
            % {"names": _names(districts) if districts else _("all districts")},
            _("Notices for the whole city always come."),
        ]
    )


def _menu(subscription: Subscription, kind: str, page: int = 0) -> list[Choice]:
    """Quick replies for one kind of topic (categories or districts), one page of them."""
    municipality = subscription.municipality
    if kind == CATEGORY:
        topics: list[NoticeCategory] | list[District] = list(
            NoticeCategory.objects.filter(municipality=municipality)
        )
        chosen = {c.pk for c in subscription.categories.all()}
        everything, other = _("All categories"), (DISTRICT, _("Choose districts"))
    else:
        topics = list(District.objects.filter(municipality=municipality))
        chosen = {d.pk for d in subscription.districts.all()}
        everything, other = _("All districts"), (CATEGORY, _("Choose categories"))
    pages = max(1, -(-len(topics) // PAGE))
    page = min(max(page, 0), pages - 1)
    mark = "✓"
    choices = [
        Choice(
            _label((mark if not chosen else "") + everything),
            f"{POSTBACK_PREFIX}{kind}:*",
            everything,
        )
    ]
    for topic in topics[page * PAGE : (page + 1) * PAGE]:
        label = (mark if topic.pk in chosen else "") + topic.name
        choices.append(Choice(_label(label), f"{POSTBACK_PREFIX}{kind}:{topic.code}", topic.name))
    if pages > 1:
        more = _("More (%(page)s/%(pages)s)") % {"page": (page + 1) % pages + 1, "pages": pages}
        choices.append(
            Choice(_label(more), f"{POSTBACK_PREFIX}menu:{kind}:{(page + 1) % pages}", more)
        )
    choices.append(Choice(_label(other[1]), f"{POSTBACK_PREFIX}menu:{other[0]}:0", other[1]))
    return choices[:QUICK_REPLY_LIMIT]


def _settings_reply(subscription: Subscription, lead: str, kind: str, page: int = 0) -> LineReply:
    text = "\n\n".join(
        [
            lead,
            _summary(subscription),
            _(
                "Tap a category or a district below to add or remove it (you can choose "
                "several). Send 「配信設定」 to see these choices again; block the account "
                "to stop receiving notices."
            ),
        ]
    )
    return LineReply(text=text, choices=_menu(subscription, kind, page))


@transaction.atomic
def line_follow(*, municipality: Municipality, user_id: str, portal_url: str) -> LineReply:
    """友だち追加: the user receives every notice from now on, until they choose topics."""
    with translation.override(LANGUAGE):
        subscription, _created = _subscription(municipality, user_id, portal_url, revive=True)
        lead = _(
            "Thank you for adding us as a friend. You will receive notices from "
            "%(municipality)s here."
        ) % {"municipality": municipality.display_name(LANGUAGE)}
        return _settings_reply(subscription, lead, CATEGORY)


@transaction.atomic
def line_unfollow(*, municipality: Municipality, user_id: str) -> bool:
    """ブロック: the subscription ends. Whether there was one to end."""
    subscription = (
        Subscription.objects.select_for_update()
        .filter(municipality=municipality, channel=Channel.LINE, address=user_id)
        .first()
    )
    if subscription is None or subscription.unsubscribed_at is not None:
        return False
    subscription.unsubscribed_at = timezone.now()
    subscription.save(update_fields=["unsubscribed_at", "updated_at"])
    _audit(AuditAction.NOTICE_SUBSCRIPTION_CANCELLED, subscription)
    return True


def is_settings_command(text: str) -> bool:
    return unicodedata.normalize("NFKC", text).strip() in SETTINGS_COMMANDS


@transaction.atomic
def line_settings_show(*, municipality: Municipality, user_id: str, portal_url: str) -> LineReply:
    """「配信設定」: what they receive and the choices. Someone who can write to the account
    follows it, so one without a subscription (a friend from before notices) gets one."""
    with translation.override(LANGUAGE):
        subscription, _created = _subscription(municipality, user_id, portal_url, revive=True)
        return _settings_reply(subscription, _("Your notice settings:"), CATEGORY)


def _toggle(subscription: Subscription, kind: str, code: str) -> str:
    """Add or remove one topic (``*``: all of that kind). The lead line of the reply."""
    municipality = subscription.municipality
    if code == "*":
        if kind == CATEGORY:
            subscription.categories.clear()
            return _("You will receive notices of every category.")
        subscription.districts.clear()
        return _("You will receive notices of every district.")
    if kind == CATEGORY:
        category = NoticeCategory.objects.filter(municipality=municipality, code=code).first()
        if category is None:
            return _("That choice no longer exists. Choose again below.")
        if subscription.categories.filter(pk=category.pk).exists():
            subscription.categories.remove(category)
            return _("Removed: %(name)s") % {"name": category.name}
        subscription.categories.add(category)
        return _("Added: %(name)s") % {"name": category.name}
    district = District.objects.filter(municipality=municipality, code=code).first()
    if district is None:
        return _("That choice no longer exists. Choose again below.")
    if subscription.districts.filter(pk=district.pk).exists():
        subscription.districts.remove(district)
        return _("Removed: %(name)s") % {"name": district.name}
    subscription.districts.add(district)
    return _("Added: %(name)s") % {"name": district.name}


@transaction.atomic
def line_postback(
    *, municipality: Municipality, user_id: str, data: str, portal_url: str
) -> LineReply | None:
    """A tap on one of the topic buttons; ``None`` for data that is not notices' own."""
    if not data.startswith(POSTBACK_PREFIX) or not user_id:
        return None
    parts = data[len(POSTBACK_PREFIX) :].split(":")
    with translation.override(LANGUAGE):
        subscription, _created = _subscription(municipality, user_id, portal_url, revive=True)
        if len(parts) == 3 and parts[0] == "menu" and parts[1] in (CATEGORY, DISTRICT):
            page = int(parts[2]) if parts[2].isdigit() else 0
            lead = _("Choose categories:") if parts[1] == CATEGORY else _("Choose districts:")
            return _settings_reply(subscription, lead, parts[1], page)
        if len(parts) == 2 and parts[0] in (CATEGORY, DISTRICT):
            lead = _toggle(subscription, parts[0], parts[1])
            _audit(AuditAction.NOTICE_SUBSCRIPTION_REQUESTED, subscription)
            return _settings_reply(subscription, lead, parts[0])
        return _settings_reply(subscription, _("Your notice settings:"), CATEGORY)
