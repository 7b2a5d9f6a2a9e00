from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from machi.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
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
    path("", include("machi.core.urls")),
]

# JSON for /api/ paths, the site's pages elsewhere (machi.core.error_views).
handler400 = "machi.core.error_views.bad_request"
handler403 = "machi.core.error_views.permission_denied"
handler404 = "machi.core.error_views.page_not_found"
handler500 = "machi.core.error_views.server_error"
