from django.urls import path

from machi.notices.views import public, staff

app_name = "notices"

urlpatterns = [
    path("notices/", public.notice_list, name="list"),
    path("notices/archive/", public.archive, name="archive"),
    path("notices/<uuid:notice_id>/", public.notice_detail, name="detail"),
    path("notices/<uuid:notice_id>/files/<uuid:file_id>/", public.notice_file, name="file"),
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
