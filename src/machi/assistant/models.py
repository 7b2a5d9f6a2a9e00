"""FAQ entries and synonyms of a municipality: what the assistant answers from.

Writes go through ``machi.assistant.services``; the search index is rebuilt per
municipality when these rows change (``machi.assistant.index``).
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from machi.assistant.scenario_definition import scenario_problems
from machi.core.models import Municipality
from machi.procedures.models import Procedure


class FaqEntry(models.Model):
    """よくある質問: one question residents ask, with the city's answer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("code"), max_length=64, help_text=_("Stable id used in CSV files."))
    category = models.CharField(_("category"), max_length=100)
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))
    keywords = models.CharField(
        _("search keywords"),
        max_length=500,
        blank=True,
        help_text=_("Other words residents use, separated by spaces."),
    )
    procedure = models.ForeignKey(
        Procedure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("online procedure"),
    )
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["category", "code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="faq_code_unique"),
        ]

    def __str__(self) -> str:
        return self.question


class FaqVector(models.Model):
    """One encoder's embeddings of one entry (its question, answer and both), stored so a
    restart or a new worker never encodes the FAQ again; written by
    ``services.vectors.faq_vectors_refresh``."""

    id = models.BigAutoField(primary_key=True)
    entry = models.ForeignKey(FaqEntry, on_delete=models.CASCADE, related_name="vectors")
    encoder = models.CharField(_("encoder"), max_length=20)
    digest = models.CharField(_("digest of the encoded texts"), max_length=64)
    question = models.BinaryField(_("question vector"))
    answer = models.BinaryField(_("answer vector"))
    both = models.BinaryField(_("question and answer vector"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("FAQ entry vector")
        verbose_name_plural = _("FAQ entry vectors")
        constraints = [
            models.UniqueConstraint(fields=["entry", "encoder"], name="faq_vector_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.encoder}: {self.entry_id}"


class SearchTuning(models.Model):
    """A municipality's own fusion weights and confidence calibration for one set of
    channels, fitted by ``faq_fit --municipality … --save`` on its own questions."""

    id = models.BigAutoField(primary_key=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    channels = models.CharField(_("channels"), max_length=50)
    data = models.JSONField(_("weights and calibration"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("search tuning")
        verbose_name_plural = _("search tunings")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "channels"], name="search_tuning_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.channels


class Synonym(models.Model):
    """類義語: words residents use (variants) that mean a phrase the FAQ uses (canonical)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    canonical = models.CharField(_("phrase in the FAQ"), max_length=100)
    variants = models.CharField(
        _("words residents use"), max_length=500, help_text=_("Separated by spaces.")
    )
    is_active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")
        ordering = ["canonical"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "canonical"], name="synonym_canonical_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.canonical} ← {self.variants}"


class Channel(models.TextChoices):
    WEB = "web", _("web chat")
    API = "api", _("API")
    LINE = "line", _("LINE")


class Feedback(models.TextChoices):
    NONE = "", _("no feedback")
    RESOLVED = "resolved", _("resolved (解決した)")
    UNRESOLVED = "unresolved", _("not resolved (解決しなかった)")


class Conversation(models.Model):
    """One resident's chat, by channel; holds no personal data (LINE ids are hashed)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # SHA-256 of the channel's user id (LINE), so turns of one person group without it.
    channel_user = models.CharField(max_length=64, blank=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.channel} {self.started_at:%Y-%m-%d %H:%M}"


class Turn(models.Model):
    """One question and what the assistant replied; the question is stored masked."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="turns")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now, db_index=True)
    question = models.CharField(_("question (masked)"), max_length=500)
    entry = models.ForeignKey(
        FaqEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("best entry"),
    )
    confidence = models.FloatField(_("confidence"), default=0.0)
    answered = models.BooleanField(_("answered with confidence"), default=False)
    suggestions = models.JSONField(default=list, blank=True)  # entry ids shown as もしかして
    feedback = models.CharField(
        _("feedback"), max_length=12, choices=Feedback.choices, default=Feedback.NONE, blank=True
    )
    feedback_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("conversation turn")
        verbose_name_plural = _("conversation turns")
        ordering = ["asked_at"]
        indexes = [models.Index(fields=["municipality", "-asked_at"])]

    def __str__(self) -> str:
        return self.question[:40]


class LineChannel(models.Model):
    """A municipality's LINE official account (Messaging API channel)."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    channel_secret = models.CharField(
        _("channel secret"), max_length=64, help_text=_("Checks that a webhook call is LINE's.")
    )
    access_token = models.TextField(_("channel access token"))
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("LINE channel")
        verbose_name_plural = _("LINE channels")

    def __str__(self) -> str:
        return f"LINE {self.municipality}"


class LineEventState(models.TextChoices):
    RECEIVED = "received", _("received, waiting to be answered")
    REPLIED = "replied", _("answered and replied")
    RECORDED = "recorded", _("recorded, no reply needed")
    FAILED = "failed", _("failed (see the error code)")
    IGNORED = "ignored", _("not handled (event type)")
    REFUSED = "refused", _("refused (malformed event)")


class LineWebhookEvent(models.Model):
    """One event of a LINE webhook call, stored before the webhook answers so that the reply
    is sent from a task and a redelivery (same ``webhookEventId``) is answered only once.

    ``payload`` holds only what the answer needs (reply token, LINE user id, the text or
    the postback data) and is emptied as soon as the event is processed; the row itself
    (ids, state, error code) is deleted after ``LINE_EVENT_RETENTION``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    # LINE's id of the event (a ULID); empty only for a malformed event that had none.
    webhook_event_id = models.CharField(_("webhook event id"), max_length=64, blank=True)
    event_type = models.CharField(_("event type"), max_length=32, blank=True)
    is_redelivery = models.BooleanField(_("redelivered by LINE"), default=False)
    portal_url = models.CharField(max_length=300, blank=True)  # for the links in the reply
    payload = models.JSONField(null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=LineEventState.choices,
        default=LineEventState.RECEIVED,
    )
    error_code = models.CharField(_("error code"), max_length=32, blank=True)
    error_detail = models.CharField(_("error detail"), max_length=300, blank=True)
    reply_attempts = models.PositiveSmallIntegerField(_("reply attempts"), default=0)
    turn = models.ForeignKey(
        Turn, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("LINE webhook event")
        verbose_name_plural = _("LINE webhook events")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "webhook_event_id"],
                condition=~Q(webhook_event_id=""),
                name="line_webhook_event_once",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "received_at"]),
            models.Index(fields=["received_at"]),
        ]

    def __str__(self) -> str:
        return f"LINE {self.event_type or '?'} {self.webhook_event_id or '-'}"

    @property
    def finished(self) -> bool:
        return self.state != LineEventState.RECEIVED


class Scenario(models.Model):
    """シナリオ: a menu of choices for topics where a question flow works better than a
    search (ごみの出し方 → 品目 → 出し方). ``definition`` is ``machi-scenario/1`` JSON."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("code"), max_length=64)
    title = models.CharField(_("title"), max_length=100)
    definition = models.JSONField(_("definition"))
    is_published = models.BooleanField(_("published"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("scenario menu")
        verbose_name_plural = _("scenario menus")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="scenario_code_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        problems = scenario_problems(self.definition)
        if problems:
            raise ValidationError({"definition": problems})
