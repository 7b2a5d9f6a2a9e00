"""Answering a question and recording the turn — the one write path for every channel
(web chat, API, LINE) — and the resident's feedback on it."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Final

from django.db import transaction
from django.utils import timezone

from machi.assistant.analysis import is_japanese
from machi.assistant.engine import CANDIDATES, ReplyKind, reply_kind
from machi.assistant.index import engine_for
from machi.assistant.masking import mask_personal_data
from machi.assistant.models import Channel, Conversation, FaqEntry, Feedback, Turn
from machi.core.japanese.normalize import nfkc
from machi.core.models import Municipality

# Longer questions are refused with a request to shorten them (not searched, not stored).
MAX_QUESTION: Final = 300
SUGGESTIONS: Final = CANDIDATES
# The procedure a person answers through when the assistant cannot (人に問い合わせる).
INQUIRY_PROCEDURE: Final = "otoiawase"
_PLACEHOLDER_RE: Final = re.compile(r"\[[^\]]{1,8}\]")
_CONTROL_RE: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2060-\u206f]")


class QuestionRefused(ValueError):
    """Empty or too long: ``code`` is ``empty`` or ``too_long``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# The FAQ is written in Japanese only; a question in another language is answered from it
# through the multilingual encoders, and the reply says the answer is in Japanese.
JAPANESE_ONLY_NOTE: Final = (
    "The answer is in Japanese: this FAQ has no translation yet. 回答は日本語のみです。"
)


@dataclass(frozen=True)
class Reply:
    turn: Turn
    conversation: Conversation
    entry: FaqEntry | None  # the answer, when the assistant is confident
    suggestions: list[FaqEntry]  # related questions; the candidates when not sure (or none)
    japanese_only: bool = False  # asked in another language, answered in Japanese

    @property
    def note(self) -> str | None:
        return JAPANESE_ONLY_NOTE if self.japanese_only else None


def clean_question(text: str) -> str:
    cleaned = " ".join(_CONTROL_RE.sub(" ", nfkc(text or "")).split())
    if not cleaned:
        raise QuestionRefused("empty")
    if len(cleaned) > MAX_QUESTION:
        raise QuestionRefused("too_long")
    return cleaned


def hash_channel_user(user_id: str) -> str:
    return hashlib.sha256(user_id.encode()).hexdigest()


def conversation_start(
    *, municipality: Municipality, channel: str, channel_user: str = ""
) -> Conversation:
    return Conversation.objects.create(
        municipality=municipality,
        channel=channel,
        channel_user=hash_channel_user(channel_user) if channel_user else "",
    )


def conversation_for_channel_user(
    *, municipality: Municipality, channel: str, user_id: str
) -> Conversation:
    """The person's conversation of the last day on this channel, or a new one."""
    recent = timezone.now() - dt.timedelta(days=1)
    found = (
        Conversation.objects.filter(
            municipality=municipality,
            channel=channel,
            channel_user=hash_channel_user(user_id),
            turns__asked_at__gte=recent,
        )
        .order_by("-started_at")
        .first()
    )
    return found or conversation_start(
        municipality=municipality, channel=channel, channel_user=user_id
    )


@transaction.atomic
def question_answer(
    *,
    municipality: Municipality,
    text: str,
    conversation: Conversation | None = None,
    channel: str = Channel.WEB,
) -> Reply:
    """Search the municipality's FAQ and record the turn with the question masked."""
    question = clean_question(text)
    if conversation is None or conversation.municipality_id != municipality.pk:
        conversation = conversation_start(municipality=municipality, channel=channel)
    masked = mask_personal_data(question)
    # Personal details say nothing about the topic: search without them.
    hits = engine_for(municipality).search(_PLACEHOLDER_RE.sub(" ", masked), limit=SUGGESTIONS + 1)
    entries = {
        str(k): e
        for k, e in FaqEntry.objects.select_related("procedure")
        .in_bulk([h.key for h in hits])
        .items()
    }
    hits = [h for h in hits if h.key in entries]
    ranked = [entries[h.key] for h in hits]
    kind = reply_kind(hits)
    shown = {
        ReplyKind.ANSWER: ranked[: SUGGESTIONS + 1],
        ReplyKind.CANDIDATES: ranked[:SUGGESTIONS],
        ReplyKind.NOT_UNDERSTOOD: [],
    }[kind]
    turn = Turn.objects.create(
        conversation=conversation,
        municipality=municipality,
        question=masked[:500],
        entry=ranked[0] if ranked else None,
        confidence=hits[0].confidence if hits else 0.0,
        answered=kind == ReplyKind.ANSWER,
        suggestions=[str(e.pk) for e in shown],
    )
    foreign = bool(shown) and not is_japanese(question)
    if kind == ReplyKind.ANSWER:
        return Reply(turn, conversation, shown[0], shown[1:], foreign)
    return Reply(turn, conversation, None, shown, foreign)


def turn_feedback(*, turn: Turn, resolved: bool) -> Turn:
    """解決した / 解決しなかった; the latest click counts."""
    turn.feedback = Feedback.RESOLVED if resolved else Feedback.UNRESOLVED
    turn.feedback_at = timezone.now()
    turn.save(update_fields=["feedback", "feedback_at"])
    return turn
