from django.urls import path

from machi.casework import counter_views, views

app_name = "casework"

urlpatterns = [
    path("staff/cases/", views.case_list, name="cases"),
    path("staff/cases/export/", views.case_export, name="export"),
    path("staff/cases/statistics/", views.case_statistics, name="statistics"),
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
    path("staff/counter/", counter_views.counter_start, name="counter_start"),
    path("staff/counter/<uuid:session_id>/", counter_views.counter_session, name="counter"),
    path("staff/counter/<uuid:session_id>/plan/", counter_views.counter_plan, name="counter_plan"),
    path(
        "staff/counter/<uuid:session_id>/summary/",
        counter_views.counter_summary,
        name="counter_summary",
    ),
    path("counter/<str:token>/", counter_views.counter_tablet, name="counter_tablet"),
    path("staff/absence/", views.absence, name="absence"),
]
