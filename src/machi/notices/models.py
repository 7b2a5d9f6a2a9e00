"""お知らせ: what the city tells residents, sorted by category and district.

A department's clerk writes a notice, another member of staff approves it (two people,
ADR 0017), and it is public from ``published_at`` until ``expire_at``, then in the
archive. A district organisation (地域まちづくり協議会) writes for its own district
through a :class:`DistrictEditor` account; the city department that supports the district
approves. Writes go through ``machi.notices.services``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from machi.core.models import Department, Municipality

CODE_PATTERN = r"^[a-z0-9-]{2,40}$"
TITLE_MAX = 120
BODY_MAX = 20_000


class NoticeCategory(models.Model):
    """お知らせの分類 (くらし・子育て・健康福祉・防災・イベント・募集・その他), per municipality."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="notice_categories"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=60, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_urgent = models.BooleanField(
        _("urgent (防災)"),
        default=False,
        help_text=_("Notices of this category are delivered before any other."),
    )
    is_event = models.BooleanField(
        _("event (イベント)"),
        default=False,
        help_text=_("Notices of this category carry a date and are in the calendar feed."),
    )

    class Meta:
        verbose_name = _("notice category")
        verbose_name_plural = _("notice categories")
        ordering = ["municipality", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="notices_category_code"),
            models.CheckConstraint(
                condition=Q(code__regex=CODE_PATTERN), name="notices_category_code_format"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """地区: the area of a 地域まちづくり協議会. A notice for no district is for the whole city."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="districts"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=40)
    name_kana = models.CharField(_("name (kana)"), max_length=80, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=60, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("supporting department"),
        help_text=_("The city department that approves the district's own notices."),
    )

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["municipality", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="notices_district_code"),
            models.CheckConstraint(
                condition=Q(code__regex=CODE_PATTERN), name="notices_district_code_format"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DistrictEditor(models.Model):
    """An account of a district organisation that may write notices for its district."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="district_editor"
    )
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="editors")
    organisation = models.CharField(_("organisation"), max_length=100)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("district editor")
        verbose_name_plural = _("district editors")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.district})"


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("draft (下書き)")
    SUBMITTED = "submitted", _("waiting for approval (承認待ち)")
    APPROVED = "approved", _("approved (承認済み)")
    WITHDRAWN = "withdrawn", _("withdrawn (掲載取り下げ)")


class Notice(models.Model):
    """お知らせ. Public while approved, from ``published_at`` until ``expire_at``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
        help_text=_("The department that writes it, or that approves a district's notice."),
    )
    district_author = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="authored_notices",
        verbose_name=_("written by the district"),
    )
    category = models.ForeignKey(NoticeCategory, on_delete=models.PROTECT, related_name="notices")
    districts = models.ManyToManyField(
        District, blank=True, related_name="notices", verbose_name=_("districts")
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body = models.TextField(_("body"), max_length=BODY_MAX)
    body_en = models.TextField(_("body (English)"), max_length=BODY_MAX, blank=True)
    is_important = models.BooleanField(_("important (重要)"), default=False)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    expire_at = models.DateTimeField(_("expire at"), null=True, blank=True)
    event_start = models.DateTimeField(_("event starts"), null=True, blank=True)
    event_end = models.DateTimeField(_("event ends"), null=True, blank=True)
    event_place = models.CharField(_("event place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    # When it is (or was) first public: the later of the approval and ``publish_at``.
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    sent_back_reason = models.TextField(_("reason for sending back"), blank=True)
    # When its messages to subscribers were written (once, when it first went public).
    fanned_out_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_by_label = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Title and body folded for search (NFKC, katakana as hiragana, lower case).
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            # The public list: its filters and its page count read only this index (with
            # expire_at in it, counting 10,000 notices touches no table row).
            models.Index(
                fields=["municipality", "status", "-published_at", "expire_at"],
                name="notices_public_list",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expire_at__isnull=True)
                | Q(publish_at__isnull=True)
                | Q(expire_at__gt=models.F("publish_at")),
                name="notices_expire_after_publish",
            ),
            models.CheckConstraint(
                condition=Q(event_end__isnull=True)
                | Q(event_start__isnull=False, event_end__gte=models.F("event_start")),
                name="notices_event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(published_at__isnull=False),
                name="notices_approved_has_published_at",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class NoticeFile(models.Model):
    """An image (with its alt text) or a document attached to a notice."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("image")
        DOCUMENT = "document", _("document")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to="notices/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    alt_text = models.CharField(_("alternative text"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="image") | ~Q(alt_text=""), name="notices_image_has_alt_text"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    LINE = "line", _("LINE")
    WEB_PUSH = "webpush", _("Web Push")
    WEBHOOK = "webhook", _("webhook")


class Subscription(models.Model):
    """購読: one address on one channel that receives the notices of its categories and
    districts (none chosen: all). Residents subscribe without an account; an e-mail
    address receives nothing until its owner confirms it (double opt-in)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=1000)
    # What a channel needs besides the address: a push subscription's keys (p256dh, auth),
    # a partner webhook's signing secret. Never shown on a page.
    details = models.JSONField(default=dict, blank=True)
    # A name staff or the resident gave it: the partner of a webhook, a browser.
    label = models.CharField(_("name"), max_length=100, blank=True)
    categories = models.ManyToManyField(NoticeCategory, blank=True, related_name="+")
    districts = models.ManyToManyField(District, blank=True, related_name="+")
    # Where the subscriber signed up: the links in their messages point there.
    portal_url = models.URLField(max_length=300)
    language = models.CharField(max_length=8, default="ja")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "channel", "address"], name="notices_subscription_address"
            ),
        ]
        indexes = [
            models.Index(
                fields=["municipality", "channel", "confirmed_at"], name="notices_sub_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.address}"

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class MessageStatus(models.TextChoices):
    """GOV.UK Notify's words: ``sending`` until it is finished one way or another."""

    CREATED = "created", _("created (作成)")
    SENDING = "sending", _("sending (送信中)")
    DELIVERED = "delivered", _("delivered (配信済み)")
    TEMPORARY_FAILURE = "temporary-failure", _("temporary failure (一時的に届かず)")
    PERMANENT_FAILURE = "permanent-failure", _("permanent failure (宛先の誤り)")
    TECHNICAL_FAILURE = "technical-failure", _("technical failure (システムの障害)")


# Finished without being delivered: the staff's dead-letter list, which may send them again.
FAILED_STATUSES = (
    MessageStatus.TEMPORARY_FAILURE,
    MessageStatus.PERMANENT_FAILURE,
    MessageStatus.TECHNICAL_FAILURE,
)


class Message(models.Model):
    """One outbound message to one recipient on one channel: the platform's outbox.

    Written in the same transaction as the change that causes it, under a ``key`` that
    names the cause (``notice:<id>:<subscription>``), so a cause makes one message however
    often it is repeated; then sent by the dispatcher (ADR 0018)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Empty only for a platform mail sent outside any municipality's portal.
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=60)
    key = models.CharField(max_length=200)
    recipient = models.CharField(_("recipient"), max_length=1000)
    subscription = models.ForeignKey(
        Subscription, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    notice = models.ForeignKey(
        Notice, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    headers = models.JSONField(default=dict, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=MessageStatus.choices, default=MessageStatus.CREATED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # When the dispatcher may take it (again): now, after a retry's wait, or when the
    # lease of a worker that stopped mid-send runs out.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # 効果検証: the recipient followed the message's link (a redirect through machi).
    clicks = models.PositiveIntegerField(_("clicks"), default=0)
    first_clicked_at = models.DateTimeField(_("first clicked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key"], name="notices_message_key"),
        ]
        indexes = [
            models.Index(
                fields=["status", "-urgent", "next_attempt_at"],
                name="notices_message_due",
                condition=Q(status__in=["created", "sending"]),
            ),
            models.Index(fields=["notice", "channel", "status"], name="notices_message_notice"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.channel}"


class DeliveryAttempt(models.Model):
    """One try at sending a message: when, and what the other side said."""

    id = models.BigAutoField(primary_key=True)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=MessageStatus.choices, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["message", "number"]
        constraints = [
            models.UniqueConstraint(fields=["message", "number"], name="notices_attempt_number"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} #{self.number}"
