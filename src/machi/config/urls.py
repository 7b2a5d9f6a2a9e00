from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from machi.core.views import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("", include("machi.plan.urls")),
    path("", include("machi.procedures.urls")),
    path("", include("machi.casework.urls")),
    path("", include("machi.casework.verify_urls")),
    path("", include("machi.assistant.urls")),
    path("", include("machi.opendata.urls")),
    path("", include("machi.notices.urls")),
    path("", include("machi.core.urls")),
]

# JSON for /api/ paths, the site's pages elsewhere (machi.core.views.errors).
handler400 = "machi.core.views.errors.bad_request"
handler403 = "machi.core.views.errors.permission_denied"
handler404 = "machi.core.views.errors.page_not_found"
handler500 = "machi.core.views.errors.server_error"
