from django.urls import path

from machi.casework import verify_views

app_name = "verify"

urlpatterns = [
    path("verify/", verify_views.verify, name="form"),
    path("verify/key", verify_views.public_key, name="key"),
    path("verify/<slug:code>/", verify_views.verify, name="code"),
    path(
        "applications/<uuid:submission_id>/documents/<uuid:document_id>/",
        verify_views.applicant_download,
        name="download",
    ),
]
