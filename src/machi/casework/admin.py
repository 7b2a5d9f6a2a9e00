"""Approval routes in the Django admin, saved through the service that checks them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from machi.casework.models import ApprovalRoute
from machi.casework.routes import RouteError, parse_route
from machi.casework.services.approvals import approval_route_save
from machi.core.admin import TenantScopedAdmin, admin_user
from machi.core.models import Department


class ApprovalRouteForm(forms.ModelForm):
    class Meta:
        model = ApprovalRoute
        fields = ["municipality", "procedure", "name", "min_amount", "steps"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        procedure = cleaned.get("procedure")
        if procedure is not None and cleaned.get("steps") is not None:
            codes = Department.objects.filter(municipality=procedure.municipality_id)
            try:
                parse_route(cleaned["steps"], codes.values_list("code", flat=True))
            except RouteError as exc:
                self.add_error("steps", exc.problems)
        return cleaned


@admin.register(ApprovalRoute)
class ApprovalRouteAdmin(TenantScopedAdmin):
    form = ApprovalRouteForm
    list_display = ["procedure", "name", "min_amount"]

    def save_model(self, request: HttpRequest, obj: ApprovalRoute, form: Any, change: bool) -> None:
        saved = approval_route_save(
            actor=admin_user(request),
            procedure=obj.procedure,
            name=obj.name,
            min_amount=obj.min_amount,
            steps=obj.steps,
        )
        obj.pk = saved.pk
