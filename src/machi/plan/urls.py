from django.urls import path

from machi.plan import api
from machi.plan.views import office, public

app_name = "plan"

urlpatterns = [
    path("plan/", public.plan_index, name="index"),
    path("plan/<slug:code>/", public.plan_progress, name="progress"),
    path("plan/<slug:code>/export.csv", public.plan_export_csv, name="export_csv"),
    path("plan/<slug:code>/export.json", public.plan_export_json, name="export_json"),
    path("staff/plan/", office.office_home, name="office"),
    path("staff/plan/<slug:code>/", office.office_plan, name="office_plan"),
    path("staff/plan/<slug:code>/ooda/", office.ooda_log, name="ooda"),
    path(
        "staff/plan/initiatives/<uuid:initiative_id>/",
        office.initiative_detail,
        name="initiative",
    ),
    path(
        "staff/plan/initiatives/<uuid:initiative_id>/evaluation/",
        office.evaluation_save,
        name="evaluation_save",
    ),
    path(
        "staff/plan/initiatives/<uuid:initiative_id>/comments/",
        office.comment_add,
        name="comment_add",
    ),
    path(
        "staff/plan/evaluations/<uuid:evaluation_id>/<slug:action>/",
        office.evaluation_act,
        name="evaluation_act",
    ),
    path("staff/plan/kpis/<uuid:kpi_id>/actual/", office.kpi_actual, name="kpi_actual"),
    path("api/v1/plans/", api.PlanListAPI.as_view(), name="api_plans"),
    path("api/v1/plans/<uuid:plan_id>/", api.PlanDetailAPI.as_view(), name="api_plan"),
]
