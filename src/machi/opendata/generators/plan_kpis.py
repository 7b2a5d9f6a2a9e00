"""The DX plan's KPI table (DX推進計画 KPI一覧) as open data.

One row per KPI and fiscal year that has a target or an actual figure: the measure it
belongs to, the KPI, its unit and baseline, the year's target and actual, and how far the
actual reached the target (the plan's A–D grading, in words). Figures come from
``machi.plan`` through its selectors, so a newly entered actual publishes a new version
on the next run. Fiscal years are written as 西暦 (2023 = 令和5年度), never as 和暦.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from machi.core.csv_files import safe_csv_bytes
from machi.core.models import Municipality
from machi.opendata.generators.base import (
    DatasetDefaults,
    GeneratedResource,
    Generator,
    GroupSpec,
)
from machi.plan.models import Direction
from machi.plan.selectors import PlanDashboard, kpi_progress_grade, plan_dashboard, plan_list

HEADER = (
    "全国地方公共団体コード",
    "地方公共団体名",
    "計画名",
    "重点施策番号",
    "重点施策",
    "KPIコード",
    "KPI名",
    "単位",
    "方向",
    "基準年度",
    "基準値",
    "年度",
    "目標値",
    "実績値",
    "達成状況",
    "出典",
    "備考",
)
STATUS = {"A": "目標達成", "B": "概ね順調", "C": "遅れ", "D": "大幅な遅れ"}
DIRECTION: dict[str, str] = {Direction.HIGHER: "高いほど良い", Direction.LOWER: "低いほど良い"}


def number(value: Decimal | None) -> str:
    """``Decimal("23.100")`` → ``23.1``; no exponent, no thousands separator."""
    if value is None:
        return ""
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def kpi_rows(municipality: Municipality, dashboard: PlanDashboard) -> Iterator[list[str]]:
    plan = dashboard.plan
    for series in dashboard.kpis:
        kpi = series.kpi
        measure = kpi.measure
        base = [
            municipality.code,
            str(municipality),
            plan.name,
            measure.label,
            measure.title,
            kpi.code,
            kpi.name,
            kpi.unit,
            DIRECTION.get(kpi.direction, ""),
            str(kpi.baseline_fiscal_year or ""),
            number(kpi.baseline_value),
        ]
        note = "デモ値" if kpi.is_demo else ""
        years = [y for y in plan.fiscal_years if y in series.targets or y in series.actuals]
        if not years:
            yield [*base, "", "", "", "", "", note]
            continue
        for year in years:
            target = series.targets.get(year)
            actual = series.actuals.get(year)
            grade = kpi_progress_grade(kpi, actual.value if actual else None, target)
            yield [
                *base,
                str(year),
                number(target),
                number(actual.value) if actual else "",
                STATUS.get(grade or "", ""),
                actual.source_note if actual else "",
                note,
            ]


class PlanKPIGenerator(Generator):
    key = "plan-kpis"
    publisher_hints = ("デジタル", "DX", "情報", "企画", "政策")

    def defaults(self, municipality: Municipality) -> DatasetDefaults:
        plans = "、".join(p.name for p in plan_list(municipality=municipality)) or "DX推進計画"
        return DatasetDefaults(
            name="dx-plan-kpi",
            title=f"{municipality.name} DX推進計画 KPI一覧",
            title_en=f"{municipality.name_en or municipality.name} DX plan KPIs",
            notes=(
                f"{plans}に定めたKPI（重要業績評価指標）の基準値・目標値・実績値を"
                "年度ごとに掲載しています。年度は西暦（例: 2023 = 令和5年度）です。"
                "計画の進捗管理から自動で作成し、実績が登録されると更新されます。\n\n"
                "The KPIs of the DX plan with baseline, targets and actual figures per fiscal"
                " year, generated from the plan and updated when figures are entered."
            ),
            tags=("DX", "KPI", "行政計画", "デジタル化"),
            groups=(GroupSpec("gyozaisei", "行財政", "Administration and finance"),),
            frequency="annual",
        )

    def resources(self, municipality: Municipality) -> list[GeneratedResource]:
        rows: list[list[str]] = []
        for plan in plan_list(municipality=municipality).order_by("first_fiscal_year", "code"):
            rows += kpi_rows(municipality, plan_dashboard(plan=plan))
        if not rows:
            return []
        return [
            GeneratedResource(
                key="kpi-csv",
                name="KPI一覧（CSV）",
                filename=f"{municipality.code}_dx_plan_kpi.csv",
                format="CSV",
                content=safe_csv_bytes(rows, HEADER),
                description="UTF-8（BOM付き）／ UTF-8 with BOM",
            )
        ]
