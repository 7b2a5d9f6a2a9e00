from django.urls import path

from machi.casework.views import cases, counter

app_name = "casework"

urlpatterns = [
    path("staff/cases/", cases.case_list, name="cases"),
    path("staff/cases/export/", cases.case_export, name="export"),
    path("staff/cases/statistics/", cases.case_statistics, name="statistics"),
    path("staff/cases/<uuid:case_id>/", cases.case_detail, name="case"),
    path(
        "staff/cases/<uuid:case_id>/attachments/<uuid:attachment_id>/",
        cases.case_attachment,
        name="attachment",
    ),
    path(
        "staff/cases/<uuid:case_id>/approval/<slug:action>/",
        cases.approval_act,
        name="approval_act",
    ),
    path("staff/cases/<uuid:case_id>/<slug:action>/", cases.case_act, name="act"),
    path("staff/approvals/", cases.approval_tasks, name="approvals"),
    path("staff/counter/", counter.counter_start, name="counter_start"),
    path("staff/counter/<uuid:session_id>/", counter.counter_session, name="counter"),
    path("staff/counter/<uuid:session_id>/plan/", counter.counter_plan, name="counter_plan"),
    path(
        "staff/counter/<uuid:session_id>/summary/",
        counter.counter_summary,
        name="counter_summary",
    ),
    path("counter/<str:token>/", counter.counter_tablet, name="counter_tablet"),
    path("staff/absence/", cases.absence, name="absence"),
]
