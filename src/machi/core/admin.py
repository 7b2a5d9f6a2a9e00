"""Admin screens. Writes go through the services so they are checked and audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField, ModelForm
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from machi.core.audit_actions import action_label
from machi.core.json_input import BoundedJSONDecoder
from machi.core.models import (
    AuditEntry,
    Department,
    Municipality,
    MunicipalityDomain,
    Role,
    StaffRole,
    User,
    UserKind,
)
from machi.core.permissions import has_role
from machi.core.services.accounts import staff_role_grant, staff_role_revoke, user_admin_update
from machi.core.services.residents import resident_list_read_record, resident_record_view
from machi.core.services.tenancy import department_upsert


def admin_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _is_platform_admin(request: HttpRequest) -> bool:
    """Asked by every permission hook of every admin on a page: answer once per request."""
    cached: bool | None = getattr(request, "_machi_platform_admin", None)
    if cached is None:
        user = admin_user(request)
        municipality = user.municipality
        cached = user.is_superuser or (
            municipality is not None and has_role(user, municipality, [Role.PLATFORM_ADMIN])
        )
        request._machi_platform_admin = cached  # type: ignore[attr-defined]
    return cached


class TenantScopedAdmin(admin.ModelAdmin):
    """Platform administrators work on their own municipality's rows only."""

    municipality_lookup = "municipality"
    # JSON typed into the admin is bounded like API input (no 500 on deep nesting or NUL).
    formfield_overrides = {models.JSONField: {"decoder": BoundedJSONDecoder}}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        user = admin_user(request)
        if user.is_superuser:
            return queryset
        return queryset.filter(**{self.municipality_lookup: user.municipality_id})

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        user = admin_user(request)
        related = db_field.related_model
        if not user.is_superuser and related in (Department, User):
            kwargs["queryset"] = related._default_manager.filter(  # type: ignore[union-attr]
                municipality=user.municipality_id
            )
        if not user.is_superuser and related is Municipality:
            kwargs["queryset"] = Municipality.objects.filter(id__in=[user.municipality_id])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_platform_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_platform_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_platform_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_platform_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin_user(request).is_superuser


class ReadOnlyTenantAdmin(TenantScopedAdmin):
    """Records written only by services (the audit log, received webhooks): shown, never
    added, changed or deleted in the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MunicipalityDomainInline(admin.TabularInline):
    model = MunicipalityDomain
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(TenantScopedAdmin):
    municipality_lookup = "pk"
    list_display = ["code", "prefecture", "name", "name_kana", "is_active"]
    search_fields = ["code", "name", "name_kana"]
    inlines = [MunicipalityDomainInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # New tenants are a deployment decision (see docs/operations.md).
        return admin_user(request).is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin_user(request).is_superuser


@admin.register(Department)
class DepartmentAdmin(TenantScopedAdmin):
    list_display = ["code", "name", "parent", "municipality"]
    search_fields = ["code", "name"]
    fields = ["municipality", "code", "name", "name_en", "parent"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # department_upsert finds the row by (municipality, code): changing either here
        # would create a second department instead of editing this one.
        return ["municipality", "code"] if obj is not None else []

    def save_model(
        self, request: HttpRequest, obj: Department, form: ModelForm, change: bool
    ) -> None:
        saved = department_upsert(
            municipality=obj.municipality,
            code=obj.code,
            name=obj.name,
            name_en=obj.name_en,
            parent=obj.parent,
            actor=admin_user(request),
        )
        obj.pk = saved.pk


@admin.register(User)
class UserAdmin(TenantScopedAdmin):
    list_display = ["email", "full_name", "kind", "municipality", "identity_level", "is_active"]
    list_filter = ["kind", "identity_level", "is_active"]
    search_fields = ["email", "full_name", "full_name_kana"]
    fields = [
        "email",
        "full_name",
        "full_name_kana",
        "kind",
        "municipality",
        "is_active",
        "identity_level",
        "verified_claims",
        "last_login",
        "date_joined",
    ]
    readonly_fields = [
        "email",
        "kind",
        "municipality",
        "identity_level",
        "verified_claims",
        "last_login",
        "date_joined",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # accounts are made by sign-up or `staff_create`

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """The list (and its search) shows names and e-mail addresses: log the read."""
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", None) or {}
        shown = changelist.get("cl")
        if shown is not None:
            staff = admin_user(request)
            resident_list_read_record(
                staff=staff,
                municipality=staff.municipality,
                purpose="admin_user_list",
                query=shown.query,
                shown=list(shown.result_list),
            )
        return response

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        user = super().get_object(request, object_id, from_field)
        if user is not None and user.kind == UserKind.RESIDENT and user.municipality:
            # Opening a resident's account is a staff read of personal data: log it.
            resident_record_view(
                staff=admin_user(request),
                municipality=user.municipality,
                resident_id=str(user.pk),
                purpose="admin",
            )
        return user

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        user_admin_update(
            actor=admin_user(request),
            user=obj,
            changes={name: form.cleaned_data[name] for name in form.changed_data},
        )


class StaffRoleForm(ModelForm):
    class Meta:
        model = StaffRole
        fields = ["user", "department", "role", "rank"]


@admin.register(StaffRole)
class StaffRoleAdmin(TenantScopedAdmin):
    form = StaffRoleForm
    list_display = ["user", "role", "rank", "department", "municipality"]
    list_filter = ["role"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # grant a new role and remove the old one instead

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_platform_admin(request)

    def save_model(
        self, request: HttpRequest, obj: StaffRole, form: ModelForm, change: bool
    ) -> None:
        saved = staff_role_grant(
            actor=admin_user(request),
            user=obj.user,
            role=obj.role,
            department=obj.department,
            rank=obj.rank,
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: StaffRole) -> None:
        staff_role_revoke(actor=admin_user(request), staff_role=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[StaffRole]) -> None:
        for staff_role in queryset:
            staff_role_revoke(actor=admin_user(request), staff_role=staff_role)


class AuditActionFilter(admin.SimpleListFilter):
    """The actions present in the log, by their labels (``machi.core.audit_actions``)."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        names = (
            model_admin.get_queryset(request).order_by().values_list("action", flat=True).distinct()
        )
        return sorted(((name, action_label(name)) for name in names), key=lambda c: c[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyTenantAdmin):
    """Read-only: the log is written by services only. Actions show their labels, with the
    stored name beside them (what ``audit_verify`` and searches use)."""

    municipality_lookup = "municipality_id"
    list_display = [
        "sequence",
        "occurred_at",
        "action_display",
        "actor_label",
        "target_type",
        "target_id",
    ]
    list_filter = [AuditActionFilter]
    search_fields = ["actor_label", "target_id", "action"]
    readonly_fields = ["action_display"]

    @admin.display(description=_("action"), ordering="action")
    def action_display(self, entry: AuditEntry) -> SafeString:
        return format_html("{} <code>{}</code>", action_label(entry.action), entry.action)
