"""Read-only JSON API of published plans (DRF; described in the OpenAPI schema)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from machi.plan.models import Plan
from machi.plan.selectors import (
    InitiativeView,
    KPISeries,
    MeasureView,
    PlanDashboard,
    plan_dashboard,
    plan_list,
)


class YearValueSerializer(serializers.Serializer[Any]):
    fiscal_year = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=14, decimal_places=3, coerce_to_string=False)


class ActualSerializer(YearValueSerializer):
    source = serializers.CharField(source="source_note")  # type: ignore[assignment]
    entered_by = serializers.CharField(source="entered_by_label")


class EvaluationSerializer(serializers.Serializer[Any]):
    fiscal_year = serializers.IntegerField()
    revision = serializers.IntegerField()
    grade = serializers.CharField(help_text="A 順調 / B 概ね順調 / C 遅れ / D 大幅な遅れ")
    comment = serializers.CharField()
    next_action = serializers.CharField()
    approved_at = serializers.DateTimeField()


class KPISerializer(serializers.Serializer[KPISeries]):
    id = serializers.UUIDField(source="kpi.id")
    code = serializers.CharField(source="kpi.code")
    name = serializers.CharField(source="kpi.name")
    unit = serializers.CharField(source="kpi.unit")
    direction = serializers.CharField(source="kpi.direction")
    description = serializers.CharField(source="kpi.description")
    initiative = serializers.SerializerMethodField()
    baseline = serializers.SerializerMethodField()
    targets = serializers.SerializerMethodField()
    actuals = serializers.SerializerMethodField()
    is_demo = serializers.BooleanField(source="kpi.is_demo")

    def get_initiative(self, series: KPISeries) -> str | None:
        return series.kpi.initiative.code if series.kpi.initiative else None

    @extend_schema(responses=YearValueSerializer(allow_null=True))
    def get_baseline(self, series: KPISeries) -> dict[str, Any] | None:
        kpi = series.kpi
        if kpi.baseline_value is None:
            return None
        return dict(
            YearValueSerializer(
                {"fiscal_year": kpi.baseline_fiscal_year, "value": kpi.baseline_value}
            ).data
        )

    def get_targets(self, series: KPISeries) -> list[dict[str, Any]]:
        return [
            dict(YearValueSerializer({"fiscal_year": y, "value": v}).data)
            for y, v in sorted(series.targets.items())
        ]

    def get_actuals(self, series: KPISeries) -> list[dict[str, Any]]:
        return [dict(ActualSerializer(series.actuals[y]).data) for y in sorted(series.actuals)]


class InitiativeSerializer(serializers.Serializer[InitiativeView]):
    id = serializers.UUIDField(source="initiative.id")
    code = serializers.CharField(source="initiative.code")
    title = serializers.CharField(source="initiative.title")
    description = serializers.CharField(source="initiative.description")
    department = serializers.CharField(source="initiative.department.name")
    status = serializers.CharField(source="initiative.status")
    schedule = serializers.DictField(source="initiative.schedule", child=serializers.CharField())
    is_demo = serializers.BooleanField(source="initiative.is_demo")
    evaluations = serializers.SerializerMethodField()

    def get_evaluations(self, view: InitiativeView) -> list[dict[str, Any]]:
        return [
            dict(EvaluationSerializer(view.evaluations[y]).data) for y in sorted(view.evaluations)
        ]


class MeasureSerializer(serializers.Serializer[MeasureView]):
    id = serializers.UUIDField(source="measure.id")
    key = serializers.CharField(source="measure.key", help_text="2-6 is 基本方針2 (6)")
    label = serializers.CharField(source="measure.label")  # type: ignore[assignment]
    title = serializers.CharField(source="measure.title")
    description = serializers.CharField(source="measure.description")
    status = serializers.CharField()
    initiatives = InitiativeSerializer(many=True)
    kpis = KPISerializer(many=True)


class PolicySerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField(source="policy.number")
    title = serializers.CharField(source="policy.title")
    description = serializers.CharField(source="policy.description")
    measures = MeasureSerializer(many=True)


class PlanDocumentSerializer(serializers.Serializer[PlanDashboard]):
    id = serializers.UUIDField(source="plan.id")
    code = serializers.CharField(source="plan.code")
    name = serializers.CharField(source="plan.name")
    name_en = serializers.CharField(source="plan.name_en")
    municipality_code = serializers.CharField(source="plan.municipality.code")
    municipality = serializers.CharField(source="plan.municipality.name")
    adopted = serializers.CharField(source="plan.adopted")
    first_fiscal_year = serializers.IntegerField(source="plan.first_fiscal_year")
    last_fiscal_year = serializers.IntegerField(source="plan.last_fiscal_year")
    principle = serializers.CharField(source="plan.principle")
    source = serializers.CharField(source="plan.source")  # type: ignore[assignment]
    has_demo_figures = serializers.BooleanField()
    policies = PolicySerializer(many=True)


class PlanSummarySerializer(serializers.ModelSerializer[Plan]):
    class Meta:
        model = Plan
        fields = ["id", "code", "name", "name_en", "first_fiscal_year", "last_fiscal_year"]


class PlanListAPI(APIView):
    """Plans of this municipality."""

    @extend_schema(responses=PlanSummarySerializer(many=True), operation_id="plans_list")
    def get(self, request: Request) -> Response:
        plans = plan_list(municipality=request.municipality)  # type: ignore[attr-defined]
        return Response(PlanSummarySerializer(plans, many=True).data)


class PlanDetailAPI(APIView):
    """One plan in full: policies, measures, initiatives, KPIs and approved evaluations."""

    @extend_schema(responses=PlanDocumentSerializer, operation_id="plans_retrieve")
    def get(self, request: Request, plan_id: str) -> Response:
        plans = plan_list(municipality=request.municipality).select_related("municipality")  # type: ignore[attr-defined]
        plan = get_object_or_404(plans, pk=plan_id)
        return Response(PlanDocumentSerializer(plan_dashboard(plan=plan)).data)
