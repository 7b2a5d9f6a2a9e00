from django.urls import path

from machi.notices import api
from machi.notices.views import (
    delivery,
    feeds,
    measure,
    mypage,
    public,
    push,
    staff,
    subscriptions,
    webhooks,
)

app_name = "notices"

urlpatterns = [
    path("notices/", public.notice_list, name="list"),
    path("notices/archive/", public.archive, name="archive"),
    path("notices/<uuid:notice_id>/", public.notice_detail, name="detail"),
    path("notices/<uuid:notice_id>/files/<uuid:file_id>/", public.notice_file, name="file"),
    path("notices/go/<uuid:message_id>/", public.click, name="click"),
    path("notices/subscribe/", subscriptions.subscribe, name="subscribe"),
    path(
        "notices/subscribe/confirm/<str:token>/",
        subscriptions.confirm,
        name="subscription_confirm",
    ),
    path("notices/unsubscribe/<str:token>/", subscriptions.unsubscribe, name="unsubscribe"),
    # マイページ: a signed-in resident's own subscriptions, on every channel.
    path("mypage/notices/email/", mypage.email_start, name="mypage_email"),
    path("mypage/notices/<uuid:subscription_id>/topics/", mypage.topics, name="mypage_topics"),
    path("mypage/notices/<uuid:subscription_id>/stop/", mypage.stop, name="mypage_stop"),
    path("mypage/notices/<uuid:subscription_id>/resume/", mypage.resume, name="mypage_resume"),
    path("notices-sw.js", push.service_worker, name="service_worker"),
    path("notices/push/subscribe/", push.subscribe, name="push_subscribe"),
    path("notices/push/unsubscribe/", push.unsubscribe, name="push_unsubscribe"),
    path("staff/notices/delivery/", delivery.delivery, name="staff_delivery"),
    path(
        "staff/notices/delivery/<uuid:message_id>/retry/",
        delivery.retry,
        name="staff_delivery_retry",
    ),
    # Partner webhooks (docs/notices.md, "Webhooks for partners").
    path("staff/notices/webhooks/", webhooks.webhook_list, name="staff_webhooks"),
    path("staff/notices/webhooks/new/", webhooks.webhook_new, name="staff_webhook_new"),
    path(
        "staff/notices/webhooks/<uuid:webhook_id>/",
        webhooks.webhook_detail,
        name="staff_webhook",
    ),
    path(
        "staff/notices/webhooks/<uuid:webhook_id>/rotate/",
        webhooks.webhook_rotate,
        name="staff_webhook_rotate",
    ),
    path(
        "staff/notices/webhooks/<uuid:webhook_id>/stop/",
        webhooks.webhook_stop,
        name="staff_webhook_stop",
    ),
    path("staff/notices/measure/", measure.measure, name="staff_measure"),
    path(
        "staff/notices/measure/by-notice.csv",
        measure.measure_by_notice_csv,
        name="staff_measure_by_notice_csv",
    ),
    path(
        "staff/notices/measure/by-channel.csv",
        measure.measure_over_time_csv,
        name="staff_measure_over_time_csv",
    ),
    path("staff/notices/measure/kpi/", measure.measure_kpi_record, name="staff_measure_kpi"),
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
    # Staff: write, attach, send for approval, approve or send back, withdraw (ADR 0017).
    path("staff/notices/", staff.notice_list, name="staff_list"),
    path("staff/notices/new/", staff.notice_new, name="staff_new"),
    path("staff/notices/<uuid:notice_id>/", staff.notice_detail, name="staff_detail"),
    path("staff/notices/<uuid:notice_id>/edit/", staff.notice_edit, name="staff_edit"),
    path("staff/notices/<uuid:notice_id>/files/", staff.file_add, name="staff_file_add"),
    path(
        "staff/notices/<uuid:notice_id>/files/<uuid:file_id>/",
        staff.file_download,
        name="staff_file",
    ),
    path(
        "staff/notices/<uuid:notice_id>/files/<uuid:file_id>/remove/",
        staff.file_remove,
        name="staff_file_remove",
    ),
    path("staff/notices/<uuid:notice_id>/submit/", staff.notice_submit, name="staff_submit"),
    path("staff/notices/<uuid:notice_id>/approve/", staff.notice_approve, name="staff_approve"),
    path(
        "staff/notices/<uuid:notice_id>/send-back/",
        staff.notice_send_back,
        name="staff_send_back",
    ),
    path("staff/notices/<uuid:notice_id>/withdraw/", staff.notice_withdraw, name="staff_withdraw"),
]
