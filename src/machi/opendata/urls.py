from django.urls import path, re_path

from machi.opendata.views import api, dcat, portal, staff

app_name = "opendata"

urlpatterns = [
    # Public portal
    path("opendata/", portal.search, name="search"),
    path("opendata/catalog.<str:fmt>", dcat.catalog, name="dcat_catalog"),
    path("opendata/dataset/<str:name>.<str:fmt>", dcat.dataset, name="dcat_dataset"),
    path("opendata/dataset/<str:name>/", portal.dataset, name="dataset"),
    path(
        "opendata/dataset/<str:name>/resource/<uuid:resource_id>/",
        portal.resource,
        name="resource",
    ),
    path(
        "opendata/dataset/<str:name>/resource/<uuid:resource_id>/download/",
        portal.download,
        name="download",
    ),
    path(
        "opendata/dataset/<str:name>/resource/<uuid:resource_id>/v<int:number>/download/",
        portal.download,
        name="download_version",
    ),
    # CKAN-compatible Action API (ckanapi posts to /api/action/<name>)
    path("api/3", api.api_version, name="ckan_api_version"),
    re_path(
        r"^api/(?:(?P<version>[0-9]+)/)?action/(?P<action>[A-Za-z0-9_]+)/?$",
        api.action,
        name="ckan_action",
    ),
    path("api/opendata/validate", api.validate, name="validate_api"),
    # Staff
    path("staff/opendata/", staff.dataset_list, name="staff_list"),
    path("staff/opendata/new/", staff.dataset_new, name="staff_dataset_new"),
    path("staff/opendata/<uuid:dataset_id>/", staff.dataset_edit, name="staff_dataset"),
    path(
        "staff/opendata/<uuid:dataset_id>/resources/new/",
        staff.resource_new,
        name="staff_resource_new",
    ),
    path(
        "staff/opendata/resource/<uuid:resource_id>/upload/",
        staff.version_upload,
        name="staff_upload",
    ),
    path(
        "staff/opendata/version/<uuid:version_id>/",
        staff.version_detail,
        name="staff_version",
    ),
    path("staff/opendata/validate/", staff.validate_tool, name="staff_validate"),
]
