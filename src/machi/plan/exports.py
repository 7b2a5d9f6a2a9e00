"""The full plan as CSV (UTF-8 with BOM, so Excel opens it in Japanese) and as JSON."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils import translation

from machi.core.csv_files import safe_csv_bytes
from machi.plan.charts import format_number
from machi.plan.models import Direction, Grade, InitiativeStatus, KPIValueKind
from machi.plan.selectors import PlanDashboard

CSV_COLUMNS = [
    "種別",
    "基本方針",
    "重点施策番号",
    "重点施策",
    "状況",
    "事業コード",
    "事業名",
    "担当課",
    "KPIコード",
    "KPI名",
    "単位",
    "方向",
    "年度",
    "区分",
    "値",
    "出典",
    "評価",
    "評価コメント",
    "次の取組",
    "承認日",
    "デモ値",
]
KIND_LABELS = {"baseline": "基準値", KPIValueKind.TARGET: "目標", KPIValueKind.ACTUAL: "実績"}


def _n(value: Decimal | None) -> str:
    # No thousands separators: spreadsheets must read the cell as a number.
    return format_number(value).replace(",", "") if value is not None else ""


def csv_rows(dashboard: PlanDashboard) -> Iterator[dict[str, str]]:
    for policy in dashboard.policies:
        for view in policy.measures:
            measure = view.measure
            base = {
                "基本方針": f"{policy.policy.number} {policy.policy.title}",
                "重点施策番号": measure.label,
                "重点施策": measure.title,
            }
            yield {**base, "種別": "重点施策", "状況": view.status_label}
            for item in view.initiatives:
                initiative = item.initiative
                row = {
                    **base,
                    "事業コード": initiative.code,
                    "事業名": initiative.title,
                    "担当課": initiative.department.name,
                    "状況": str(InitiativeStatus(initiative.status).label),
                    "デモ値": "1" if initiative.is_demo else "",
                }
                yield {**row, "種別": "事業"}
                for year, evaluation in sorted(item.evaluations.items()):
                    yield {
                        **row,
                        "種別": "評価",
                        "年度": str(year),
                        "評価": str(Grade(evaluation.grade).label),
                        "評価コメント": evaluation.comment,
                        "次の取組": evaluation.next_action,
                        "承認日": evaluation.approved_at.date().isoformat()
                        if evaluation.approved_at
                        else "",
                    }
            for series in view.kpis:
                kpi = series.kpi
                row = {
                    **base,
                    "種別": "KPI",
                    "事業コード": kpi.initiative.code if kpi.initiative else "",
                    "事業名": kpi.initiative.title if kpi.initiative else "",
                    "KPIコード": kpi.code,
                    "KPI名": kpi.name,
                    "単位": kpi.unit,
                    "方向": "高いほど良い" if kpi.direction == Direction.HIGHER else "低いほど良い",
                    "デモ値": "1" if kpi.is_demo else "",
                }
                if kpi.baseline_value is not None:
                    yield {
                        **row,
                        "年度": str(kpi.baseline_fiscal_year),
                        "区分": KIND_LABELS["baseline"],
                        "値": _n(kpi.baseline_value),
                    }
                for year in dashboard.plan.fiscal_years:
                    if year in series.targets:
                        yield {
                            **row,
                            "年度": str(year),
                            "区分": KIND_LABELS[KPIValueKind.TARGET],
                            "値": _n(series.targets[year]),
                        }
                    if year in series.actuals:
                        actual = series.actuals[year]
                        yield {
                            **row,
                            "年度": str(year),
                            "区分": KIND_LABELS[KPIValueKind.ACTUAL],
                            "値": _n(actual.value),
                            "出典": actual.source_note,
                        }


def plan_csv(dashboard: PlanDashboard) -> bytes:
    """Japanese headers and labels whatever the page language: the file is for 庁内 Excel."""
    with translation.override("ja"):
        rows = [[row.get(column, "") for column in CSV_COLUMNS] for row in csv_rows(dashboard)]
    return safe_csv_bytes(rows, CSV_COLUMNS)


def plan_json(dashboard: PlanDashboard) -> dict[str, Any]:
    from machi.plan.api import PlanDocumentSerializer

    return dict(PlanDocumentSerializer(dashboard).data)
