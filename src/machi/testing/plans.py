"""A small 亀山市 plan for tests of every app that reads it (plan, opendata's KPI
dataset): the real structure file plus two initiatives, imported through the service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from machi.plan.plan_file import parse_plan_file
from machi.plan.services.importing import plan_import

DATA = Path(__file__).resolve().parents[1] / "plan" / "data"
STRUCTURE = DATA / "kameyama-dx-plan.yaml"
DEMO = DATA / "kameyama-dx-implementation-demo.yaml"

IMPLEMENTATION = """\
format: machi-plan/1
municipality: "242101"
plan:
  code: kameyama-dx
initiatives:
  - code: "1-1-01"
    measure: "1-1"
    title: 子育て・介護関係手続のオンライン化
    department: "310"
    status: in_progress
    schedule:
      2022: 対象手続の洗い出し
      2023: オンライン化
  - code: "2-6-01"
    measure: "2-6"
    title: 電子決裁の拡充
    department: "120"
    status: not_started
kpis:
  - code: KPI-01
    measure: "1-1"
    initiative: "1-1-01"
    name: 子育て・介護関係26手続のオンライン化率
    unit: "%"
    direction: higher
    baseline: {fiscal_year: 2021, value: 0}
    targets: {2022: 20, 2023: 50, 2024: 80, 2025: 100, 2026: 100}
    actuals:
      - {fiscal_year: 2022, value: 23.1, source: 子ども未来課集計}
  - code: KPI-02
    measure: "2-6"
    initiative: "2-6-01"
    name: 紙の使用量
    unit: 枚
    direction: lower
    baseline: {fiscal_year: 2021, value: 1200000}
    targets: {2026: 600000}
"""


def import_text(text: str, label: str = "test.yaml") -> Any:
    return plan_import(actor=None, plan_file=parse_plan_file(text), source_label=label)
