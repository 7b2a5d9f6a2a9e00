from django.urls import path

from machi.procedures import api
from machi.procedures.views import apply, catalog, guide, status

app_name = "procedures"

draft = "applications/drafts/<uuid:draft_id>"
application = "applications/<uuid:submission_id>"

urlpatterns = [
    path("procedures/", catalog.catalog, name="catalog"),
    path("procedures/categories/<slug:code>/", catalog.category, name="category"),
    path("procedures/life-events/<slug:code>/", guide.life_event, name="life_event"),
    path(
        "procedures/life-events/<slug:code>/checklist.pdf",
        guide.life_event_checklist_pdf,
        name="life_event_pdf",
    ),
    path("procedures/<slug:code>/", catalog.detail, name="detail"),
    path("procedures/<slug:code>/start/", apply.draft_start, name="start"),
    path("applications/", status.mine, name="mine"),
    path(f"{draft}/steps/<slug:step_key>/", apply.step, name="step"),
    path(f"{draft}/steps/<slug:step_key>/refresh/", apply.step_refresh, name="step_refresh"),
    path(f"{draft}/check/", apply.check, name="check"),
    path(f"{draft}/save/", apply.save_for_later, name="save"),
    path(f"{draft}/delete/", apply.discard, name="discard"),
    path(
        f"{draft}/attachments/<uuid:attachment_id>/remove/",
        apply.attachment_remove,
        name="attachment_remove",
    ),
    path("applications/resume/<str:token>/", apply.resume, name="resume"),
    path("applications/access/<str:token>/", status.access, name="access"),
    path(f"{application}/", status.status, name="status"),
    path(f"{application}/done/", status.done, name="done"),
    path(f"{application}/pdf/", status.pdf, name="pdf"),
    path(f"{application}/withdraw/", status.withdraw, name="withdraw"),
    path(f"{application}/correction/", status.correction, name="correction"),
    path(
        f"{application}/attachments/<uuid:attachment_id>/",
        status.attachment,
        name="attachment",
    ),
    path("api/v1/procedures/", api.ProcedureListAPI.as_view(), name="api_procedures"),
    path(
        "api/v1/procedures/<uuid:procedure_id>/",
        api.ProcedureDetailAPI.as_view(),
        name="api_procedure",
    ),
    path(
        "api/v1/procedures/<uuid:procedure_id>/submissions/",
        api.SubmissionCreateAPI.as_view(),
        name="api_submission_create",
    ),
    path("api/v1/me/submissions/", api.MySubmissionListAPI.as_view(), name="api_my_submissions"),
    path(
        "api/v1/me/submissions/<uuid:submission_id>/",
        api.MySubmissionDetailAPI.as_view(),
        name="api_my_submission",
    ),
    path(
        "api/v1/me/submissions/<uuid:submission_id>/withdraw/",
        api.MySubmissionWithdrawAPI.as_view(),
        name="api_my_submission_withdraw",
    ),
]
