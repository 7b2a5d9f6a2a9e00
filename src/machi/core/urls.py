from django.urls import path

from machi.core.views import portal, staff

app_name = "core"

urlpatterns = [
    path("", portal.home, name="home"),
    path("privacy/", portal.privacy, name="privacy"),
    path("mypage/", portal.mypage, name="mypage"),
    path("mypage/profile/", portal.profile_edit, name="profile_edit"),
    path("staff/", staff.staff_home, name="staff_home"),
    path("staff/residents/", staff.staff_resident_search, name="staff_resident_search"),
    path("staff/notifications/", staff.staff_notifications, name="staff_notifications"),
    path(
        "staff/residents/<uuid:resident_id>/",
        staff.staff_resident_detail,
        name="staff_resident_detail",
    ),
]
