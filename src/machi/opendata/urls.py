from django.urls import path, re_path

from machi.opendata import api_views, dcat_views, staff_views, views

app_name = "opendata"

urlpatterns = [
    # Public portal
    path("opendata/", views.search, name="search"),
    path("opendata/catalog.<str:fmt>", dcat_views.catalog, name="dcat_catalog"),
    path("opendata/dataset/<str:name>.<str:fmt>", dcat_views.dataset, name="dcat_dataset"),
    path("opendata/dataset/<str:name>/", views.dataset, name="dataset"),
    path(
        "opendata/dataset/<str:name>/resource/<uuid:resource_id>/",
        views.resource,
        name="resource",
    ),
    path(
        "opendata/dataset/<str:name>/resource/<uuid:resource_id>/download/",
        views.download,
        name="download",
    ),
    path(
        "opendata/dataset/<str:name>/resource/<uuid:resource_id>/v<int:number>/download/",
        views.download,
        name="download_version",
    ),
    # CKAN-compatible Action API (ckanapi posts to /api/action/<name>)
    path("api/3", api_views.api_version, name="ckan_api_version"),
    re_path(
        r"^api/(?:(?P<version>[0-9]+)/)?action/(?P<action>[A-Za-z0-9_]+)/?$",
        api_views.action,
        name="ckan_action",
    ),
    path("api/opendata/validate", api_views.validate, name="validate_api"),
    # Staff
    path("staff/opendata/", staff_views.dataset_list, name="staff_list"),
    path("staff/opendata/new/", staff_views.dataset_new, name="staff_dataset_new"),
    path("staff/opendata/<uuid:dataset_id>/", staff_views.dataset_edit, name="staff_dataset"),
    path(
        "staff/opendata/<uuid:dataset_id>/resources/new/",
        staff_views.resource_new,
        name="staff_resource_new",
    ),
    path(
        "staff/opendata/resource/<uuid:resource_id>/upload/",
        staff_views.version_upload,
        name="staff_upload",
    ),
    path(
        "staff/opendata/version/<uuid:version_id>/",
        staff_views.version_detail,
        name="staff_version",
    ),
    path("staff/opendata/validate/", staff_views.validate_tool, name="staff_validate"),
]
