"""Own URL namespace ``verify`` (public pages), so mounted in config/urls.py, not in casework's."""

from django.urls import path

from machi.casework.views import verify

app_name = "verify"

urlpatterns = [
    path("verify/", verify.verify, name="form"),
    path("verify/key", verify.public_key, name="key"),
    path("verify/<slug:code>/", verify.verify, name="code"),
    path(
        "applications/<uuid:submission_id>/documents/<uuid:document_id>/",
        verify.applicant_download,
        name="download",
    ),
]
