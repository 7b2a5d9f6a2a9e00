"""Read-only JSON API of お知らせ (DRF; described in the OpenAPI schema): the current
notices of the request's municipality with the list page's filters, one notice in full
(its text as Markdown and as HTML, its files), and the categories and districts the
filters take. Only approved, published notices; nothing else answers."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from machi.core.models import Municipality
from machi.notices import selectors
from machi.notices.markup import plain
from machi.notices.markup import render as render_markup
from machi.notices.models import District, Notice, NoticeCategory, NoticeFile
from machi.notices.syndication import SUMMARY_LENGTH, author_of
from machi.notices.views.public import MAX_QUERY, PER_PAGE


def _municipality(request: Request) -> Municipality:
    return request.municipality  # type: ignore[attr-defined]


class NoticeCategorySerializer(serializers.ModelSerializer[NoticeCategory]):
    class Meta:
        model = NoticeCategory
        fields = ["code", "name", "name_en", "is_urgent", "is_event"]
        read_only_fields = fields


class DistrictSerializer(serializers.ModelSerializer[District]):
    class Meta:
        model = District
        fields = ["code", "name", "name_kana", "name_en"]
        read_only_fields = fields


class NoticeFileSerializer(serializers.ModelSerializer[NoticeFile]):
    kind = serializers.CharField(read_only=True, help_text="image or document")
    url = serializers.SerializerMethodField()

    class Meta:
        model = NoticeFile
        fields = ["id", "kind", "name", "content_type", "size", "alt_text", "url"]
        read_only_fields = fields

    def get_url(self, attached: NoticeFile) -> str:
        path = reverse(
            "notices:file", kwargs={"notice_id": attached.notice_id, "file_id": attached.pk}
        )
        return self.context["request"].build_absolute_uri(path)


class NoticeSummarySerializer(serializers.ModelSerializer[Notice]):
    category = NoticeCategorySerializer(read_only=True)
    districts = DistrictSerializer(
        many=True, read_only=True, help_text="Whom it is for; empty: the whole city"
    )
    department = serializers.CharField(source="department.name", read_only=True)
    author = serializers.SerializerMethodField(
        help_text="The department, or the district organisation that wrote it"
    )
    summary = serializers.SerializerMethodField(help_text="The start of the text, plain")
    url = serializers.SerializerMethodField(help_text="The notice's page")

    class Meta:
        model = Notice
        fields = [
            "id",
            "title",
            "title_en",
            "summary",
            "category",
            "districts",
            "department",
            "author",
            "is_important",
            "published_at",
            "expire_at",
            "event_start",
            "event_end",
            "event_place",
            "url",
        ]
        read_only_fields = fields

    def get_author(self, notice: Notice) -> str:
        return author_of(notice)

    def get_summary(self, notice: Notice) -> str:
        return plain(notice.body, SUMMARY_LENGTH)

    def get_url(self, notice: Notice) -> str:
        path = reverse("notices:detail", kwargs={"notice_id": notice.pk})
        return self.context["request"].build_absolute_uri(path)


class NoticeDetailSerializer(NoticeSummarySerializer):
    body = serializers.CharField(
        read_only=True, help_text="Markdown (a CommonMark subset, no raw HTML)"
    )
    body_html = serializers.SerializerMethodField(help_text="The body rendered, safe to show")
    body_en = serializers.CharField(
        read_only=True, help_text="English text in Markdown; empty when none"
    )
    body_en_html = serializers.SerializerMethodField(help_text="Empty when there is none")
    files = NoticeFileSerializer(
        many=True, read_only=True, help_text="Images (with alt text) and documents"
    )

    class Meta(NoticeSummarySerializer.Meta):
        fields = [
            *NoticeSummarySerializer.Meta.fields,
            "body",
            "body_html",
            "body_en",
            "body_en_html",
            "files",
        ]
        read_only_fields = fields

    def get_body_html(self, notice: Notice) -> str:
        return str(render_markup(notice.body))

    def get_body_en_html(self, notice: Notice) -> str:
        return str(render_markup(notice.body_en)) if notice.body_en else ""


class NoticeFilterSerializer(serializers.Serializer[Any]):
    category = serializers.CharField(
        required=False, allow_blank=True, help_text="A category's code (notice-categories)"
    )
    district = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="A district's code (districts): its own notices and the whole city's",
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_QUERY,
        help_text="Words, each found anywhere in the title or text (hiragana or katakana)",
    )


class NoticePagination(PageNumberPagination):
    """Pages of 20; a page that does not exist is a 400 naming ``page``."""

    page_size = PER_PAGE

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as exc:
            raise serializers.ValidationError(
                {"page": [_("There is no such page: ask for page 1 or a later one that exists.")]}
            ) from exc


if TYPE_CHECKING:  # generic in djangorestframework-stubs only
    _ListAPIView = ListAPIView[Notice]
else:
    _ListAPIView = ListAPIView


class NoticeListAPI(_ListAPIView):
    """Current notices of this municipality, newest first, 20 to a page. An unknown
    `category` or `district` code, or a page that does not exist, is a 400 naming it."""

    serializer_class = NoticeSummarySerializer
    pagination_class = NoticePagination

    @extend_schema(operation_id="notices_list", parameters=[NoticeFilterSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Notice]:
        municipality = _municipality(self.request)
        filters = NoticeFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        code = filters.validated_data.get("category", "")
        category = None
        if code:
            category = selectors.categories(municipality=municipality).filter(code=code).first()
            if category is None:
                raise serializers.ValidationError(
                    {"category": [_("There is no category with this code.")]}
                )
        code = filters.validated_data.get("district", "")
        district = None
        if code:
            district = selectors.districts(municipality=municipality).filter(code=code).first()
            if district is None:
                raise serializers.ValidationError(
                    {"district": [_("There is no district with this code.")]}
                )
        return selectors.current_notices(
            municipality=municipality,
            category=category,
            district=district,
            query=filters.validated_data.get("q", ""),
        ).select_related("created_by__district_editor")


class NoticeDetailAPI(APIView):
    """One published notice in full (ended ones stay readable, as on the site)."""

    @extend_schema(operation_id="notices_retrieve", responses=NoticeDetailSerializer)
    def get(self, request: Request, notice_id: uuid.UUID) -> Response:
        notice = selectors.public_notice(municipality=_municipality(request), notice_id=notice_id)
        if notice is None:
            raise NotFound(_("There is no such notice."))
        return Response(NoticeDetailSerializer(notice, context={"request": request}).data)


class NoticeCategoryListAPI(APIView):
    """The categories notices are sorted in (the `category` filter takes their codes)."""

    @extend_schema(
        operation_id="notice_categories_list", responses=NoticeCategorySerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        found = selectors.categories(municipality=_municipality(request))
        return Response(NoticeCategorySerializer(found, many=True).data)


class DistrictListAPI(APIView):
    """The districts (地区) of this municipality (the `district` filter takes their codes)."""

    @extend_schema(operation_id="districts_list", responses=DistrictSerializer(many=True))
    def get(self, request: Request) -> Response:
        found = selectors.districts(municipality=_municipality(request))
        return Response(DistrictSerializer(found, many=True).data)
