"""Administrators can look at the catalog in the admin; staff publish through /staff/opendata/."""

from django.contrib import admin

from machi.core.admin import TenantScopedAdmin
from machi.opendata.models import Dataset, DatasetGroup


@admin.register(DatasetGroup)
class DatasetGroupAdmin(TenantScopedAdmin):
    list_display = ["name", "title", "title_en"]
    search_fields = ["name", "title"]


@admin.register(Dataset)
class DatasetAdmin(TenantScopedAdmin):
    list_display = ["name", "title", "department", "state", "license_id", "modified_at"]
    list_filter = ["state", "license_id", "is_demo"]
    search_fields = ["name", "title", "notes"]
    readonly_fields = ["generator", "created_at", "modified_at"]
