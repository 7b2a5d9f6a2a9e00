from django.urls import path

from machi.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("mypage/", views.mypage, name="mypage"),
    path("mypage/profile/", views.profile_edit, name="profile_edit"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/residents/", views.staff_resident_search, name="staff_resident_search"),
    path("staff/notifications/", views.staff_notifications, name="staff_notifications"),
    path(
        "staff/residents/<uuid:resident_id>/",
        views.staff_resident_detail,
        name="staff_resident_detail",
    ),
]
