"""JSON API of the assistant, for other channels (kiosks, apps, partner sites)."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from machi.assistant.models import Channel, Conversation, FaqEntry, Turn
from machi.assistant.services.conversation import (
    INQUIRY_PROCEDURE,
    MAX_QUESTION,
    QuestionRefused,
    question_answer,
    turn_feedback,
)
from machi.core.api import ApiErrorSerializer as ProblemSerializer
from machi.core.api import StrictCharField, error_body
from machi.core.ratelimit import ASSISTANT_QUESTIONS

FEEDBACK_SALT = "machi.assistant.feedback"


class QuestionSerializer(serializers.Serializer[Any]):
    question = StrictCharField(allow_blank=True, max_length=10_000, trim_whitespace=False)
    conversation = serializers.UUIDField(required=False)


class EntrySerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    question = serializers.CharField()
    answer = serializers.CharField()
    category = serializers.CharField()
    procedure_url = serializers.CharField(allow_null=True)


class ReplySerializer(serializers.Serializer[Any]):
    conversation = serializers.UUIDField()
    turn = serializers.UUIDField()
    confident = serializers.BooleanField()
    confidence = serializers.FloatField()
    answer = EntrySerializer(allow_null=True)
    suggestions = EntrySerializer(many=True)
    feedback_token = serializers.CharField()
    inquiry_url = serializers.CharField()
    answer_language = serializers.CharField(help_text="The FAQ's language: ja")
    note = serializers.CharField(
        allow_null=True,
        help_text="Set when the question was not in Japanese: the answer is in Japanese only.",
    )


class FeedbackSerializer(serializers.Serializer[Any]):
    resolved = serializers.BooleanField()
    feedback_token = StrictCharField()


def _entry(request: Request, entry: FaqEntry) -> dict[str, Any]:
    url = None
    if entry.procedure is not None:
        url = request.build_absolute_uri(
            reverse("procedures:detail", kwargs={"code": entry.procedure.code})
        )
    return {
        "id": entry.pk,
        "question": entry.question,
        "answer": entry.answer,
        "category": entry.category,
        "procedure_url": url,
    }


class QuestionAPI(APIView):
    """Ask a question; the reply has the answer when the assistant is confident, up to
    three candidates when it is not, and no suggestion when it found nothing to offer."""

    @extend_schema(
        request=QuestionSerializer,
        responses={200: ReplySerializer, 400: ProblemSerializer, 429: ProblemSerializer},
    )
    def post(self, request: Request) -> Response:
        if not ASSISTANT_QUESTIONS.allow(request._request):
            return Response(
                error_body("rate_limited", "Too many questions; wait a minute."),
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        given = QuestionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        municipality = request._request.municipality  # type: ignore[attr-defined]
        conversation = None
        if given.validated_data.get("conversation"):
            conversation = Conversation.objects.filter(
                pk=given.validated_data["conversation"], municipality=municipality
            ).first()
        try:
            reply = question_answer(
                municipality=municipality,
                text=given.validated_data["question"],
                conversation=conversation,
                channel=Channel.API,
            )
        except QuestionRefused as refused:
            detail = (
                f"The question is longer than {MAX_QUESTION} characters."
                if refused.code == "too_long"
                else "The question is empty."
            )
            return Response(error_body(refused.code, detail), status=status.HTTP_400_BAD_REQUEST)
        return Response(
            {
                "conversation": reply.conversation.pk,
                "turn": reply.turn.pk,
                "confident": reply.entry is not None,
                "confidence": reply.turn.confidence,
                "answer": _entry(request, reply.entry) if reply.entry else None,
                "suggestions": [_entry(request, e) for e in reply.suggestions],
                "feedback_token": signing.dumps(str(reply.turn.pk), salt=FEEDBACK_SALT),
                "answer_language": "ja",
                "note": reply.note,
                "inquiry_url": request.build_absolute_uri(
                    reverse("procedures:detail", kwargs={"code": INQUIRY_PROCEDURE})
                ),
            }
        )


class FeedbackAPI(APIView):
    """解決した (true) or 解決しなかった (false), with the token of the reply."""

    @extend_schema(
        request=FeedbackSerializer,
        responses={204: None, 400: ProblemSerializer, 404: ProblemSerializer},
    )
    def post(self, request: Request, turn_id: str) -> Response:
        given = FeedbackSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            signed = signing.loads(given.validated_data["feedback_token"], salt=FEEDBACK_SALT)
        except signing.BadSignature:
            signed = None
        turn = Turn.objects.filter(
            pk=turn_id,
            municipality=request._request.municipality,  # type: ignore[attr-defined]
        ).first()
        if turn is None or signed != str(turn.pk):
            return Response(
                error_body("not_found", "No such reply."), status=status.HTTP_404_NOT_FOUND
            )
        turn_feedback(turn=turn, resolved=given.validated_data["resolved"])
        return Response(status=status.HTTP_204_NO_CONTENT)
