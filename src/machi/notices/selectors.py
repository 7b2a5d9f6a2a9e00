"""Reads of notices: what the public sees, and each member of staff's lists."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from machi.assistant.models import LineChannel
from machi.core import selectors as core_selectors
from machi.core.models import Municipality, User
from machi.notices import permissions
from machi.notices.models import (
    FAILED_STATUSES,
    Channel,
    District,
    Message,
    MessageStatus,
    Notice,
    NoticeCategory,
    NoticeStatus,
    Subscription,
)
from machi.notices.search import words_of


def categories(*, municipality: Municipality) -> QuerySet[NoticeCategory]:
    return NoticeCategory.objects.filter(municipality=municipality)


def districts(*, municipality: Municipality) -> QuerySet[District]:
    return District.objects.filter(municipality=municipality)


def _public(municipality: Municipality) -> QuerySet[Notice]:
    return (
        Notice.objects.filter(municipality=municipality, status=NoticeStatus.APPROVED)
        .select_related("category", "department", "district_author")
        .prefetch_related("districts")
    )


def current_notices(
    *,
    municipality: Municipality,
    category: NoticeCategory | None = None,
    district: District | None = None,
    query: str = "",
    archive: bool = False,
    now: dt.datetime | None = None,
) -> QuerySet[Notice]:
    """Public notices, newest first: those on the site now, or (``archive``) those whose
    publication ended. A district sees its own notices and the whole city's."""
    now = now or timezone.now()
    notices = _public(municipality).filter(published_at__lte=now)
    ended = Q(expire_at__isnull=False, expire_at__lte=now)
    notices = notices.filter(ended) if archive else notices.exclude(ended)
    if category is not None:
        notices = notices.filter(category=category)
    if district is not None:
        # EXISTS rather than a join: no DISTINCT over whole rows of a long list.
        links = Notice.districts.through.objects.filter(notice=OuterRef("pk"))
        notices = notices.filter(Exists(links.filter(district=district)) | ~Exists(links))
    for word in words_of(query):
        notices = notices.filter(search_text__contains=word)
    return notices.order_by("-published_at", "-created_at")


def important_notices(
    *, municipality: Municipality, limit: int = 3, now: dt.datetime | None = None
) -> list[Notice]:
    return list(
        current_notices(municipality=municipality, now=now).filter(is_important=True)[:limit]
    )


def public_notice(
    *, municipality: Municipality, notice_id: uuid.UUID, now: dt.datetime | None = None
) -> Notice | None:
    """A notice a resident may open: published (expired ones stay readable, marked)."""
    now = now or timezone.now()
    return (
        _public(municipality)
        .prefetch_related("files")
        .filter(pk=notice_id, published_at__lte=now)
        .first()
    )


def upcoming_events(
    *, municipality: Municipality, since: dt.datetime | None = None
) -> QuerySet[Notice]:
    """Public event notices whose event has not ended (the calendar feed)."""
    since = since or timezone.now()
    return (
        _public(municipality)
        .filter(category__is_event=True, event_start__isnull=False, published_at__lte=since)
        .filter(Q(event_end__gte=since) | Q(event_end__isnull=True, event_start__gte=since))
        .order_by("event_start")
    )


def staff_notices(*, user: User, municipality: Municipality) -> QuerySet[Notice]:
    """The notices a member of staff writes or approves: their departments' (and the 課
    under their 部), or a district organisation's own."""
    notices = Notice.objects.filter(municipality=municipality).select_related(
        "category", "department", "district_author"
    )
    district = permissions.district_of(user, municipality)
    if district is not None:
        return notices.filter(district_author=district)
    return notices.filter(
        department__in=permissions.departments_with_role(
            user, municipality, permissions.WRITER_ROLES
        )
    )


class StaffState:
    """Where a notice stands, as staff follow it: the status, and for an approved notice
    whether it is on the site yet (掲載予定), on it (掲載中) or past its end (掲載終了)."""

    DRAFT = "draft"
    SENT_BACK = "sent_back"
    SUBMITTED = "submitted"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    ENDED = "ended"
    WITHDRAWN = "withdrawn"
    ALL = (DRAFT, SENT_BACK, SUBMITTED, SCHEDULED, PUBLISHED, ENDED, WITHDRAWN)


def staff_state(notice: Notice, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    if notice.status == NoticeStatus.DRAFT:
        return StaffState.SENT_BACK if notice.sent_back_reason else StaffState.DRAFT
    if notice.status == NoticeStatus.APPROVED:
        if notice.published_at is not None and notice.published_at > now:
            return StaffState.SCHEDULED
        if notice.expire_at is not None and notice.expire_at <= now:
            return StaffState.ENDED
        return StaffState.PUBLISHED
    return str(notice.status)


def in_state(
    notices: QuerySet[Notice], state: str, now: dt.datetime | None = None
) -> QuerySet[Notice]:
    """``notices`` narrowed to one :class:`StaffState` (an unknown state: all of them)."""
    now = now or timezone.now()
    approved = Q(status=NoticeStatus.APPROVED)
    ended = Q(expire_at__isnull=False, expire_at__lte=now)
    wanted = {
        StaffState.DRAFT: Q(status=NoticeStatus.DRAFT, sent_back_reason=""),
        StaffState.SENT_BACK: Q(status=NoticeStatus.DRAFT) & ~Q(sent_back_reason=""),
        StaffState.SUBMITTED: Q(status=NoticeStatus.SUBMITTED),
        StaffState.SCHEDULED: approved & Q(published_at__gt=now),
        StaffState.PUBLISHED: approved & Q(published_at__lte=now) & ~ended,
        StaffState.ENDED: approved & Q(published_at__lte=now) & ended,
        StaffState.WITHDRAWN: Q(status=NoticeStatus.WITHDRAWN),
    }.get(state)
    return notices if wanted is None else notices.filter(wanted)


def staff_notice(*, user: User, municipality: Municipality, notice_id: uuid.UUID) -> Notice | None:
    """One of :func:`staff_notices`, with what its staff page shows."""
    return (
        staff_notices(user=user, municipality=municipality)
        .select_related("created_by", "approved_by")
        .prefetch_related("districts", "files")
        .filter(pk=notice_id)
        .first()
    )


def notice_exists(*, municipality: Municipality, notice_id: uuid.UUID) -> bool:
    return Notice.objects.filter(municipality=municipality, pk=notice_id).exists()


def awaiting_approval(*, user: User, municipality: Municipality) -> list[Notice]:
    return [
        n
        for n in staff_notices(user=user, municipality=municipality).filter(
            status=NoticeStatus.SUBMITTED
        )
        if permissions.can_approve(user, municipality, n)
    ]


def home_panel(*, municipality: Municipality) -> tuple[str, dict[str, object]]:
    """The home page's お知らせ: the 重要 ones first, then the latest five
    (``MACHI_HOME_PANELS``)."""
    important = important_notices(municipality=municipality)
    latest = [
        n
        for n in current_notices(municipality=municipality)[:8]
        if n.pk not in {i.pk for i in important}
    ][:5]
    return "notices/home_panel.html", {"important_notices": important, "latest_notices": latest}


def delivery_by_notice(*, municipality: Municipality, limit: int = 50) -> list[dict[str, object]]:
    """The latest notices that sent messages, with their messages counted by channel and
    status (a row per notice and channel)."""
    counts = (
        Message.objects.filter(municipality=municipality, notice__isnull=False)
        .values("notice", "channel", "status")
        .annotate(n=Count("id"))
    )
    rows: dict[tuple[Any, str], dict[str, int]] = {}
    for row in counts:
        key = (row["notice"], row["channel"])
        rows.setdefault(key, {})[row["status"]] = row["n"]
    notices = {
        n.pk: n
        for n in Notice.objects.filter(pk__in={k[0] for k in rows}).order_by("-published_at")
    }
    table = [
        {
            "notice": notices[notice_id],
            "channel": channel,
            "channel_label": Channel(channel).label,
            "targeted": sum(by_status.values()),
            "delivered": by_status.get(MessageStatus.DELIVERED, 0),
            "waiting": by_status.get(MessageStatus.CREATED, 0)
            + by_status.get(MessageStatus.SENDING, 0),
            "failed": sum(by_status.get(s, 0) for s in FAILED_STATUSES),
        }
        for (notice_id, channel), by_status in rows.items()
        if notice_id in notices
    ]
    table.sort(key=lambda r: r["notice"].published_at or r["notice"].created_at, reverse=True)  # type: ignore[attr-defined]
    return table[:limit]


def failed_messages(*, municipality: Municipality, limit: int = 200) -> QuerySet[Message]:
    """Messages that will not be sent again by themselves (the dead-letter list)."""
    return (
        Message.objects.filter(
            municipality=municipality,
            status__in=FAILED_STATUSES,
        )
        .select_related("notice")
        .order_by("-finished_at")[:limit]
    )


# What staff read for the kinds of mail other parts of the platform send through the
# engine (ADR 0019); an unknown kind shows as it is.
KIND_LABELS = {
    "submission.receipt": gettext_lazy("Application receipt"),
    "submission.status": gettext_lazy("Application status mail"),
    "draft.resume": gettext_lazy("Link back to a saved application"),
    "account.email_confirmation_signup": gettext_lazy("Sign-up: address confirmation"),
    "account.email_confirmation": gettext_lazy("Address confirmation"),
    "account.password_reset_key": gettext_lazy("Password reset"),
    "subscription.confirm": gettext_lazy("Subscription confirmation"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def platform_mails(*, municipality: Municipality, limit: int = 50) -> list[dict[str, object]]:
    """The latest messages that are not a notice's (receipts, status mails, account mails),
    with their status, for the delivery page: what kind, to whom (masked), and when the
    next attempt is. Their subjects are not shown (they may name an application)."""
    messages = Message.objects.filter(municipality=municipality, notice__isnull=True).order_by(
        "-created_at"
    )[:limit]
    return [
        {
            "message": m,
            "what": kind_label(m.kind),
            "to": masked(m.recipient),
            "waiting": m.status in (MessageStatus.CREATED, MessageStatus.SENDING),
        }
        for m in messages
    ]


def masked(address: str) -> str:
    """An address as staff lists show it: enough to recognise, not to copy (h***@example.jp)."""
    name, at, domain = address.partition("@")
    if at:
        return f"{name[:1]}***@{domain}"
    return address[:6] + "***" if len(address) > 6 else "***"


def staff_home_card(
    *, user: User, municipality: Municipality
) -> tuple[str, dict[str, object]] | None:
    """The back office's お知らせ card (``MACHI_STAFF_HOME_CARDS``), for those who write
    notices: staff with a writer's role, and district organisations' accounts."""
    city_writer = permissions.departments_with_role(
        user, municipality, permissions.WRITER_ROLES
    ).exists()
    if permissions.district_of(user, municipality) is None and not city_writer:
        return None
    waiting = len(awaiting_approval(user=user, municipality=municipality))
    return "notices/staff_home_card.html", {
        "notices_awaiting": waiting,
        "sees_delivery": city_writer,  # the delivery page is the city's, not a district's
        "sees_webhooks": permissions.can_manage_webhooks(user, municipality),
    }


# --- マイページ: a resident's own subscriptions ------------------------------------------


def owned_subscriptions(
    *, user: User, municipality: Municipality, emails: list[str] | None = None
) -> QuerySet[Subscription]:
    """The subscriptions in this city that are the resident's: those made while signed
    in (``user``), and e-mail ones at an address the account has verified (subscribed
    before signing up, or without signing in); ``emails``: those addresses, if known."""
    if emails is None:
        emails = core_selectors.verified_emails_of(user=user)
    return Subscription.objects.filter(municipality=municipality).filter(
        Q(user=user) | Q(channel=Channel.EMAIL, address__in=emails)
    )


def owned_subscription(
    *, user: User, municipality: Municipality, subscription_id: uuid.UUID
) -> Subscription | None:
    return (
        owned_subscriptions(user=user, municipality=municipality)
        .filter(pk=subscription_id)
        .prefetch_related("categories", "districts")
        .first()
    )


class SubscriptionState:
    """What マイページ says of a subscription."""

    PENDING = "pending"  # 確認待ち: the confirmation link has not been followed yet
    ACTIVE = "active"  # 受信中
    STOPPED = "stopped"  # 停止中


def subscription_state(subscription: Subscription) -> str:
    if subscription.unsubscribed_at is not None:
        return SubscriptionState.STOPPED
    if subscription.confirmed_at is None:
        return SubscriptionState.PENDING
    return SubscriptionState.ACTIVE


def channel_name(channel: str) -> str:
    names = {
        Channel.EMAIL: pgettext("subscription channel", "E-mail"),
        Channel.LINE: pgettext("subscription channel", "LINE"),
        Channel.WEB_PUSH: pgettext("subscription channel", "Web Push"),
        Channel.WEBHOOK: pgettext("subscription channel", "Webhook"),
    }
    return names.get(channel, channel)  # type: ignore[call-overload]


def shown_address(subscription: Subscription) -> str:
    """The address as the resident's own list shows it: an e-mail address masked (the
    page may be seen over a shoulder), a LINE account by what it is, a browser by its name."""
    if subscription.channel == Channel.LINE:
        return _("LINE (added as a friend)")
    if subscription.channel == Channel.WEB_PUSH:
        return subscription.label or _("This device")
    if subscription.channel == Channel.WEBHOOK and subscription.label:
        return subscription.label
    return masked(subscription.address)


@dataclass(frozen=True)
class OwnSubscription:
    subscription: Subscription
    channel_name: str
    address: str
    state: str
    categories: list[NoticeCategory]
    districts: list[District]
    # An e-mail address the account has verified: it starts again without a new message.
    verified: bool

    @property
    def id(self) -> uuid.UUID:
        return self.subscription.pk


def resident_subscriptions(*, user: User, municipality: Municipality) -> list[OwnSubscription]:
    """Every subscription of the resident in this city, e-mail first, oldest first."""
    emails = core_selectors.verified_emails_of(user=user)
    rows = (
        owned_subscriptions(user=user, municipality=municipality, emails=emails)
        .prefetch_related("categories", "districts")
        .order_by("channel", "created_at")
    )
    return [
        OwnSubscription(
            subscription=s,
            channel_name=channel_name(s.channel),
            address=shown_address(s),
            state=subscription_state(s),
            categories=sorted(s.categories.all(), key=lambda c: (c.sort_order, c.code)),
            districts=sorted(s.districts.all(), key=lambda d: (d.sort_order, d.code)),
            verified=s.channel == Channel.EMAIL and s.address in emails,
        )
        for s in rows
    ]


def mypage_section(*, user: User, municipality: Municipality) -> tuple[str, dict[str, object]]:
    """マイページ's お知らせの受け取り (``MACHI_MYPAGE_SECTIONS``)."""
    return "notices/mypage_section.html", {
        "notice_subscriptions": resident_subscriptions(user=user, municipality=municipality),
        "states": SubscriptionState,
        "line_available": line_available(municipality=municipality),
    }


def line_available(*, municipality: Municipality) -> bool:
    """Whether the city's official LINE account sends notices (its channel is set up)."""
    return LineChannel.objects.filter(municipality=municipality, is_active=True).exists()


def webhooks(*, municipality: Municipality) -> QuerySet[Subscription]:
    """The partners' webhooks, running ones first, with what was sent to each."""
    sent = Q(messages__kind="notice")
    return (
        Subscription.objects.filter(municipality=municipality, channel=Channel.WEBHOOK)
        .annotate(
            delivered=Count("messages", filter=sent & Q(messages__status=MessageStatus.DELIVERED)),
            failed=Count("messages", filter=sent & Q(messages__status__in=FAILED_STATUSES)),
            waiting=Count(
                "messages",
                filter=sent
                & Q(messages__status__in=[MessageStatus.CREATED, MessageStatus.SENDING]),
            ),
        )
        .prefetch_related("categories", "districts")
        .order_by(F("unsubscribed_at").desc(nulls_first=True), "label", "created_at")
    )


def webhook(*, municipality: Municipality, webhook_id: uuid.UUID) -> Subscription | None:
    return (
        Subscription.objects.filter(
            municipality=municipality, channel=Channel.WEBHOOK, pk=webhook_id
        )
        .prefetch_related("categories", "districts")
        .first()
    )


def webhook_messages(*, subscription: Subscription, limit: int = 20) -> QuerySet[Message]:
    """The latest messages to a partner's webhook, for its page."""
    return Message.objects.filter(subscription=subscription).order_by("-created_at")[:limit]


# 効果検証: how each channel did. Every figure counts messages (one message is one
# subscriber on one channel): written, handed to the channel, delivered, failed for good,
# and followed (the link in it was opened at least once).


class MeasurePeriod:
    """The periods the 効果検証 dashboard compares channels over: ``key`` → (unit, count)."""

    WEEKS_8 = "8w"
    WEEKS_26 = "26w"
    MONTHS_6 = "6m"
    MONTHS_12 = "12m"
    UNITS: dict[str, tuple[str, int]] = {
        WEEKS_8: ("week", 8),
        WEEKS_26: ("week", 26),
        MONTHS_6: ("month", 6),
        MONTHS_12: ("month", 12),
    }
    DEFAULT = WEEKS_8


@dataclass(frozen=True)
class ChannelFigures:
    """A channel's messages for one notice or one period."""

    channel: str
    targeted: int  # messages written: one per subscriber the notice was for
    sent: int  # handed to the channel at least once
    delivered: int  # the channel took it (e-mail server, LINE, push service, partner)
    failed: int  # finished without being delivered (FAILED_STATUSES)
    clicked: int  # messages whose link was followed at least once
    clicks: int  # every click, repeated ones too

    @property
    def channel_label(self) -> str:
        return str(Channel(self.channel).label)

    @property
    def click_rate(self) -> Decimal | None:
        """Clicked messages per delivered message, in per cent (None: nothing delivered)."""
        if not self.delivered:
            return None
        return (Decimal(100 * self.clicked) / self.delivered).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class NoticeFigures(ChannelFigures):
    notice_id: uuid.UUID | None = None
    title: str = ""
    published_at: dt.datetime | None = None


@dataclass(frozen=True)
class PeriodFigures(ChannelFigures):
    start: dt.date | None = None  # the period's first day (a Monday, or the 1st)


def _figures() -> dict[str, Any]:
    return {
        "targeted": Count("id"),
        "sent": Count("id", filter=Q(attempts__gt=0)),
        "delivered": Count("id", filter=Q(status=MessageStatus.DELIVERED)),
        "failed": Count("id", filter=Q(status__in=FAILED_STATUSES)),
        "clicked": Count("id", filter=Q(clicks__gt=0)),
        "clicks": Coalesce(Sum("clicks"), 0),
    }


def _notice_messages(municipality: Municipality) -> QuerySet[Message]:
    return Message.objects.filter(municipality=municipality, notice__isnull=False)


def measure_since(period: str, now: dt.datetime | None = None) -> dt.datetime:
    """The start of the first period shown: a Monday (weeks) or a 1st (months), local time."""
    unit, count = MeasurePeriod.UNITS.get(period, MeasurePeriod.UNITS[MeasurePeriod.DEFAULT])
    today = timezone.localdate(now or timezone.now())
    if unit == "week":
        first = today - dt.timedelta(days=today.weekday(), weeks=count - 1)
    else:
        months = today.year * 12 + today.month - 1 - (count - 1)
        first = dt.date(months // 12, months % 12 + 1, 1)
    return timezone.make_aware(dt.datetime.combine(first, dt.time()))


def measure_by_notice(
    *, municipality: Municipality, since: dt.datetime, limit: int = 200
) -> list[NoticeFigures]:
    """Per notice and channel, the notices whose messages were written since ``since``,
    newest notice first (one query)."""
    rows = (
        _notice_messages(municipality)
        .filter(created_at__gte=since)
        .values("notice", "notice__title", "notice__published_at", "channel")
        .annotate(**_figures())
        .order_by("-notice__published_at", "notice", "channel")[:limit]
    )
    return [
        NoticeFigures(
            notice_id=row.pop("notice"),
            title=row.pop("notice__title"),
            published_at=row.pop("notice__published_at"),
            **row,
        )
        for row in rows
    ]


def measure_over_time(
    *, municipality: Municipality, period: str, now: dt.datetime | None = None
) -> list[PeriodFigures]:
    """Per week or month (local time) and channel, the messages written in it: every
    period of ``period`` and every channel, zeros included (one query)."""
    unit, count = MeasurePeriod.UNITS.get(period, MeasurePeriod.UNITS[MeasurePeriod.DEFAULT])
    since = measure_since(period, now)
    trunc = TruncWeek if unit == "week" else TruncMonth
    rows = (
        _notice_messages(municipality)
        .filter(created_at__gte=since)
        .annotate(start=trunc("created_at"))
        .values("start", "channel")
        .annotate(**_figures())
        .order_by()
    )
    found: dict[tuple[dt.date, str], dict[str, Any]] = {}
    for row in rows:
        start = row.pop("start")
        day = timezone.localdate(start) if isinstance(start, dt.datetime) else start
        found[(day, row.pop("channel"))] = row
    starts = []
    day = since.date()
    for _i in range(count):
        starts.append(day)
        if unit == "week":
            day += dt.timedelta(weeks=1)
        else:
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    empty = dict.fromkeys(("targeted", "sent", "delivered", "failed", "clicked", "clicks"), 0)
    return [
        PeriodFigures(start=start, channel=channel, **found.get((start, channel), empty))
        for start in starts
        for channel in Channel.values
    ]


def measure_totals(figures: list[PeriodFigures]) -> list[ChannelFigures]:
    """Each channel's figures over all the periods (the dashboard's summary)."""
    totals: dict[str, dict[str, int]] = {}
    for f in figures:
        t = totals.setdefault(f.channel, dict.fromkeys(_FIELDS, 0))
        for name in _FIELDS:
            t[name] += getattr(f, name)
    return [ChannelFigures(channel=c, **t) for c, t in totals.items()]


_FIELDS = ("targeted", "sent", "delivered", "failed", "clicked", "clicks")


def active_subscriptions_by_channel(
    *, municipality: Municipality, at: dt.datetime | None = None
) -> dict[str, int]:
    """Subscriptions that receive notices (confirmed and not ended) at ``at``, per channel."""
    at = at or timezone.now()
    rows = (
        Subscription.objects.filter(municipality=municipality, confirmed_at__lte=at)
        .filter(Q(unsubscribed_at__isnull=True) | Q(unsubscribed_at__gt=at))
        .values("channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict.fromkeys(Channel.values, 0)
    counts.update({row["channel"]: row["n"] for row in rows})
    return counts
