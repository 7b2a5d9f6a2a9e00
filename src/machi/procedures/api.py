"""JSON API (DRF, in the OpenAPI schema): the public catalog, and a signed-in resident's own
applications, for other channels (apps, LINE, kiosks)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from machi.core.api import ApiErrorSerializer as ErrorSerializer
from machi.core.api import error_body
from machi.core.formdef.engine import ForgedInput
from machi.core.models import User
from machi.procedures import selectors
from machi.procedures.models import Procedure, Submission
from machi.procedures.services import submissions
from machi.procedures.services.drafts import IdentityRequired

MAX_KEY_LENGTH = 255


class IsResident(BasePermission):
    message = "Sign in as a resident of this municipality."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return (
            isinstance(user, User)
            and user.is_authenticated
            and user.is_resident
            and user.municipality_id == request.municipality.pk  # type: ignore[attr-defined]
        )


class CategorySerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()


class ProcedureSummarySerializer(serializers.ModelSerializer[Procedure]):
    category = CategorySerializer()
    department = serializers.CharField(source="department.name")
    online = serializers.BooleanField(source="can_apply_online")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Procedure
        fields = [
            "id",
            "code",
            "title",
            "title_en",
            "summary",
            "category",
            "department",
            "online",
            "identity_level",
            "fee",
            "url",
        ]

    def get_url(self, procedure: Procedure) -> str:
        return reverse("procedures:detail", kwargs={"code": procedure.code})


class FormSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField()
    definition = serializers.JSONField(help_text="machi-form/1 (docs/procedures.md)")


class ProcedureDetailSerializer(ProcedureSummarySerializer):
    required_documents = serializers.ListField(child=serializers.CharField())
    what_to_bring = serializers.ListField(child=serializers.CharField())
    related_links = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField())
    )
    form = FormSerializer(source="current_form", allow_null=True)

    class Meta(ProcedureSummarySerializer.Meta):
        fields = [
            *ProcedureSummarySerializer.Meta.fields,
            "summary_en",
            "eligibility",
            "deadline",
            "required_documents",
            "what_to_bring",
            "counter_info",
            "related_links",
            "form",
        ]


class EventSerializer(serializers.Serializer[Any]):
    status = serializers.CharField()
    kind = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    note = serializers.CharField()


class CorrectionSerializer(serializers.Serializer[Any]):
    answers_to_correct = serializers.ListField(source="fields", child=serializers.CharField())
    message = serializers.CharField()
    requested_at = serializers.DateTimeField()


class SubmissionSerializer(serializers.ModelSerializer[Submission]):
    reference = serializers.CharField(source="reference_display", help_text="受付番号")
    procedure = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display")
    finished = serializers.BooleanField()
    form_version = serializers.IntegerField(source="form.version")
    events = EventSerializer(many=True)
    correction = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id",
            "reference",
            "procedure",
            "status",
            "status_label",
            "finished",
            "submitted_at",
            "status_changed_at",
            "form_version",
            "answers",
            "computed",
            "channel",
            "events",
            "correction",
        ]

    def get_procedure(self, submission: Submission) -> dict[str, str]:
        procedure = submission.procedure
        return {"id": str(procedure.pk), "code": procedure.code, "title": procedure.title}

    @extend_schema(responses=CorrectionSerializer(allow_null=True))
    def get_correction(self, submission: Submission) -> dict[str, Any] | None:
        open_correction = next(
            (c for c in submission.corrections.all() if c.answered_at is None), None
        )
        return dict(CorrectionSerializer(open_correction).data) if open_correction else None


class SubmissionCreateSerializer(serializers.Serializer[Any]):
    answers = serializers.DictField(
        help_text="Answers keyed by field key, as in the form definition."
    )


class ProcedureListAPI(APIView):
    """Published procedures; ``q`` searches in Japanese, ``category`` filters."""

    @extend_schema(
        operation_id="procedures_list",
        parameters=[
            OpenApiParameter("q", str, description="Search words (Japanese or English)"),
            OpenApiParameter("category", str, description="Category code"),
        ],
        responses=ProcedureSummarySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        municipality = request.municipality  # type: ignore[attr-defined]
        query = str(request.query_params.get("q", ""))[:100]
        if query.strip():
            procedures: Any = selectors.procedure_search(municipality=municipality, query=query)
        else:
            procedures = selectors.published_procedures(municipality=municipality)
        category = request.query_params.get("category")
        if category:
            procedures = [p for p in procedures if p.category.code == category]
        return Response(ProcedureSummarySerializer(procedures, many=True).data)


class ProcedureDetailAPI(APIView):
    @extend_schema(operation_id="procedures_retrieve", responses=ProcedureDetailSerializer)
    def get(self, request: Request, procedure_id: str) -> Response:
        procedure = selectors.procedure_by_id(
            municipality=request.municipality,  # type: ignore[attr-defined]
            procedure_id=str(procedure_id),
        )
        return Response(ProcedureDetailSerializer(procedure).data)


class SubmissionCreateAPI(APIView):
    """Submit answers (no files) for the signed-in resident.

    Send an ``Idempotency-Key`` header: the same key and body returns the first
    submission (200); the same key with another body is refused (409).
    """

    permission_classes = [IsResident]

    @extend_schema(
        operation_id="procedures_submissions_create",
        parameters=[
            OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=True),
        ],
        request=SubmissionCreateSerializer,
        responses={
            201: SubmissionSerializer,
            200: SubmissionSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            409: ErrorSerializer,
        },
    )
    def post(self, request: Request, procedure_id: str) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not 1 <= len(key) <= MAX_KEY_LENGTH:
            return Response(
                error_body(
                    "idempotency_key", "Send an Idempotency-Key header of 1 to 255 characters."
                ),
                status=status.HTTP_400_BAD_REQUEST,
            )
        body = SubmissionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        municipality = request.municipality  # type: ignore[attr-defined]
        procedure = selectors.procedure_by_id(
            municipality=municipality, procedure_id=str(procedure_id)
        )
        user = request.user
        assert isinstance(user, User)
        try:
            submission, created = submissions.submission_create_from_api(
                municipality=municipality,
                procedure=procedure,
                user=user,
                answers=body.validated_data["answers"],
                idempotency_key=key,
                language=get_language() or "ja",
                portal_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except ForgedInput as exc:
            return Response(
                error_body(
                    "not_asked",
                    "These answers are not asked by the form, "
                    "or do not apply to the other answers.",
                    [{"field": k, "message": "not applicable"} for k in exc.keys],
                ),
                status=status.HTTP_400_BAD_REQUEST,
            )
        except submissions.IncompleteAnswers as exc:
            return Response(
                error_body(
                    "invalid",
                    "Some answers are missing or wrong.",
                    [{"field": e.path, "message": e.message} for e in exc.field_errors],
                ),
                status=status.HTTP_400_BAD_REQUEST,
            )
        except submissions.IdempotencyConflict as exc:
            return Response(
                error_body("idempotency_conflict", " ".join(exc.messages)),
                status=status.HTTP_409_CONFLICT,
            )
        except IdentityRequired as exc:
            return Response(
                error_body(
                    "identity_required", f"This procedure needs identity level {exc.needed}."
                ),
                status=status.HTTP_403_FORBIDDEN,
            )
        except PermissionDenied as exc:
            return Response(
                error_body("permission_denied", str(exc)), status=status.HTTP_403_FORBIDDEN
            )
        fresh = selectors.submission_get(
            municipality=municipality, submission_id=str(submission.pk)
        )
        return Response(
            SubmissionSerializer(fresh).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


def _own_submission(request: Request, submission_id: str) -> Submission:
    submission = selectors.submission_get(
        municipality=request.municipality,  # type: ignore[attr-defined]
        submission_id=str(submission_id),
    )
    if submission is None or submission.applicant_id != request.user.pk:
        raise Http404
    return submission


class MySubmissionListAPI(APIView):
    permission_classes = [IsResident]

    @extend_schema(operation_id="my_submissions_list", responses=SubmissionSerializer(many=True))
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)
        found = (
            selectors.resident_submissions(municipality=request.municipality, user=user)  # type: ignore[attr-defined]
            .select_related("form")
            .prefetch_related("events", "corrections")
        )
        return Response(SubmissionSerializer(found, many=True).data)


class MySubmissionDetailAPI(APIView):
    permission_classes = [IsResident]

    @extend_schema(operation_id="my_submissions_retrieve", responses=SubmissionSerializer)
    def get(self, request: Request, submission_id: str) -> Response:
        return Response(SubmissionSerializer(_own_submission(request, submission_id)).data)


class MySubmissionWithdrawAPI(APIView):
    """取下げ: withdraw one's own application before it is finished."""

    permission_classes = [IsResident]

    @extend_schema(
        operation_id="my_submissions_withdraw",
        request=None,
        responses={200: SubmissionSerializer, 409: ErrorSerializer},
    )
    def post(self, request: Request, submission_id: str) -> Response:
        submission = _own_submission(request, submission_id)
        user = request.user
        assert isinstance(user, User)
        try:
            submissions.submission_withdraw(submission=submission, actor=user)
        except ValidationError as exc:
            return Response(
                error_body("finished", " ".join(exc.messages)), status=status.HTTP_409_CONFLICT
            )
        return Response(SubmissionSerializer(_own_submission(request, submission_id)).data)
