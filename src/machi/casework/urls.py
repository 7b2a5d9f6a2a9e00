from django.urls import path

from machi.casework import views

app_name = "casework"

urlpatterns = [
    path("staff/cases/", views.case_list, name="cases"),
    path("staff/cases/<uuid:case_id>/", views.case_detail, name="case"),
    path(
        "staff/cases/<uuid:case_id>/attachments/<uuid:attachment_id>/",
        views.case_attachment,
        name="attachment",
    ),
    path(
        "staff/cases/<uuid:case_id>/approval/<slug:action>/",
        views.approval_act,
        name="approval_act",
    ),
    path("staff/cases/<uuid:case_id>/<slug:action>/", views.case_act, name="act"),
    path("staff/approvals/", views.approval_tasks, name="approvals"),
    path("staff/absence/", views.absence, name="absence"),
]
