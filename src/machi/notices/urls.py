from django.urls import path

from machi.notices.views import delivery, public, subscriptions

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
]
