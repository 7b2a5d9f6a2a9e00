from django.urls import path

from machi.notices import api
from machi.notices.views import delivery, feeds, public, subscriptions

app_name = "notices"

urlpatterns = [
    path("notices/", public.notice_list, name="list"),
    path("notices/archive/", public.archive, name="archive"),
    path("notices/<uuid:notice_id>/", public.notice_detail, name="detail"),
    path("notices/<uuid:notice_id>/files/<uuid:file_id>/", public.notice_file, name="file"),
    path("notices/subscribe/", subscriptions.subscribe, name="subscribe"),
    path(
        "notices/subscribe/confirm/<str:token>/",
        subscriptions.confirm,
        name="subscription_confirm",
    ),
    path("notices/unsubscribe/<str:token>/", subscriptions.unsubscribe, name="unsubscribe"),
    path("staff/notices/delivery/", delivery.delivery, name="staff_delivery"),
    path(
        "staff/notices/delivery/<uuid:message_id>/retry/",
        delivery.retry,
        name="staff_delivery_retry",
    ),
    path("notices/feed.atom", feeds.notices_feed, name="feed"),
    path("notices/category/<slug:code>/feed.atom", feeds.category_feed, name="category_feed"),
    path("notices/district/<slug:code>/feed.atom", feeds.district_feed, name="district_feed"),
    path("notices/events.ics", feeds.events_ics, name="events_ics"),
    path("api/v1/notices/", api.NoticeListAPI.as_view(), name="api_notices"),
    path("api/v1/notices/<uuid:notice_id>/", api.NoticeDetailAPI.as_view(), name="api_notice"),
    path(
        "api/v1/notice-categories/",
        api.NoticeCategoryListAPI.as_view(),
        name="api_notice_categories",
    ),
    path("api/v1/districts/", api.DistrictListAPI.as_view(), name="api_districts"),
]
