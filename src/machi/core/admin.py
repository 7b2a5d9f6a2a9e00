from django.contrib import admin

from machi.core.models import (
    AuditEntry,
    Department,
    Municipality,
    MunicipalityDomain,
    StaffRole,
    User,
)


class MunicipalityDomainInline(admin.TabularInline):
    model = MunicipalityDomain
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "prefecture", "name", "name_kana", "is_active"]
    search_fields = ["code", "name", "name_kana"]
    inlines = [MunicipalityDomainInline]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["code", "name"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "kind", "municipality", "identity_level", "is_active"]
    list_filter = ["kind", "municipality", "identity_level"]
    search_fields = ["email", "full_name", "full_name_kana"]
    readonly_fields = ["password", "last_login", "date_joined", "verified_claims"]
    exclude = ["groups", "user_permissions"]


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "rank", "department", "municipality"]
    list_filter = ["role", "municipality"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is written by services only."""

    list_display = ["sequence", "occurred_at", "action", "actor_label", "target_type", "target_id"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target_id"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
