"""import_plan: the real plan loads with its 24 measures; bad files change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from machi.core.models import AuditEntry, Municipality
from machi.plan.models import KPI, BasicPolicy, Initiative, KPIValue, Measure, Plan
from machi.plan.plan_file import PlanFileInvalid, parse_plan_file
from machi.plan.tests.conftest import DEMO, IMPLEMENTATION, STRUCTURE, PlanWorld, import_text
from machi.testing.factories import DepartmentFactory
from machi.testing.fixtures import make_municipality

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The reasons are matched in English (the Japanese texts are in the catalogue)."""
    with translation.override("en"):
        yield


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Plan, BasicPolicy, Measure, Initiative, KPI, KPIValue))


def test_the_plan_file_holds_the_three_policies_and_24_measures(city: Municipality) -> None:
    import_text(STRUCTURE.read_text(encoding="utf-8"))
    plan = Plan.objects.get(code="kameyama-dx")
    assert plan.name == "亀山市行政DX推進計画"
    assert (plan.first_fiscal_year, plan.last_fiscal_year) == (2022, 2026)
    assert "利用者中心の行政サービスへ変革します" in plan.principle
    policies = list(BasicPolicy.objects.filter(plan=plan))
    assert [p.title for p in policies] == ["行政サービスのDX", "行政経営のDX", "市民・地域のDX"]
    assert [p.measures.count() for p in policies] == [6, 12, 6]
    measure = Measure.objects.get(plan=plan, policy__number=2, number=6)
    assert (measure.label, measure.title) == ("基本方針2 (6)", "文書等のデジタル化の推進")
    assert "電子決裁を拡充" in measure.description
    footnoted = Measure.objects.get(plan=plan, policy__number=3, number=4)
    assert footnoted.title == "Wi-Fi環境の整備"


def test_importing_twice_updates_instead_of_duplicating(world: PlanWorld) -> None:
    before, audit = _counts(), AuditEntry.objects.count()
    report = import_text(STRUCTURE.read_text(encoding="utf-8"))
    import_text(IMPLEMENTATION)
    assert _counts() == before
    assert not report.changed
    assert AuditEntry.objects.count() == audit
    changed = IMPLEMENTATION.replace("電子決裁の拡充", "電子決裁の全庁展開")
    report = import_text(changed)
    assert report.updated == {"initiatives": 1}
    assert Initiative.objects.get(code="2-6-01").title == "電子決裁の全庁展開"
    assert _counts() == before


def test_the_demo_implementation_plan_has_kpis_for_at_least_12_measures(city: Municipality) -> None:
    for code in ("110", "120", "210", "220", "230", "310", "320", "400", "510", "520"):
        DepartmentFactory(municipality=city, code=code, name=f"課{code}")
    for code in ("530", "610", "700", "810"):
        DepartmentFactory(municipality=city, code=code, name=f"課{code}")
    import_text(STRUCTURE.read_text(encoding="utf-8"))
    import_text(DEMO.read_text(encoding="utf-8"))
    plan = Plan.objects.get(code="kameyama-dx")
    assert Measure.objects.filter(plan=plan, initiatives__isnull=True).count() == 0
    assert Measure.objects.filter(plan=plan, kpis__isnull=False).distinct().count() >= 12
    assert KPI.objects.filter(plan=plan).count() == KPI.objects.filter(is_demo=True).count()
    names = set(KPI.objects.values_list("name", flat=True))
    assert any("マイナンバーカード" in name for name in names)


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (IMPLEMENTATION.replace("  code: kameyama-dx\n", "  code: [kameyama\n"), 5, "YAML"),
        (IMPLEMENTATION.replace("2026: 600000", "2031: 600000"), 37, "2031"),
        (IMPLEMENTATION.replace("value: 23.1", "value: 二十三"), 29, "actuals.value"),
        (IMPLEMENTATION.replace("value: 23.1", "value: 123.1"), 29, "outside the allowed range"),
        (IMPLEMENTATION.replace('department: "120"', 'department: "999"'), 17, "999"),
        (
            IMPLEMENTATION.replace('measure: "2-6"\n    title', 'measure: "9-9"\n    title'),
            15,
            "9-9",
        ),
        (IMPLEMENTATION.replace("status: not_started", "status: finished"), 18, "status"),
        (IMPLEMENTATION.replace("format: machi-plan/1", "format: other"), 1, "format"),
    ],
)
def test_a_malformed_plan_file_is_refused_with_line_and_reason(
    world: PlanWorld, text: str, line: int, reason: str
) -> None:
    before, audit = _counts(), AuditEntry.objects.count()
    titles = list(Initiative.objects.values_list("title", flat=True))
    with pytest.raises(PlanFileInvalid) as refused:
        import_text(text.replace("電子決裁の拡充", "変更されないはず"))
    problems = refused.value.problems
    assert any(p.line == line and reason in p.message for p in problems), problems
    assert _counts() == before
    assert list(Initiative.objects.values_list("title", flat=True)) == titles
    assert AuditEntry.objects.count() == audit


def test_the_command_reports_the_line_and_changes_nothing(world: PlanWorld, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(IMPLEMENTATION.replace("2026: 600000", "2030: 600000"), encoding="utf-8")
    before = _counts()
    with pytest.raises(CommandError) as refused:
        call_command("import_plan", str(bad))
    assert "bad.yaml" in str(refused.value)
    assert "2030" in str(refused.value)
    assert _counts() == before
    good = tmp_path / "good.yaml"
    good.write_text(IMPLEMENTATION, encoding="utf-8")
    out = StringIO()
    call_command("import_plan", str(good), stdout=out)
    assert "亀山市行政DX推進計画" in out.getvalue()


def test_another_municipality_imports_its_own_plan_in_the_same_format(
    world: PlanWorld,
) -> None:
    suzuka = make_municipality(code="242071", name="鈴鹿市", hosts=["suzuka.example.jp"])
    text = """\
format: machi-plan/1
municipality: "242071"
plan:
  code: suzuka-dx
  name: 鈴鹿市DX推進計画
  first_fiscal_year: 2024
  last_fiscal_year: 2028
  principle: 誰もがデジタルの恩恵を受けられるまち
policies:
  - number: 1
    title: 市民サービスのDX
    measures:
      - number: 1
        title: 手続のオンライン化
"""
    import_text(text)
    plan = Plan.objects.get(municipality=suzuka)
    assert plan.code == "suzuka-dx"
    assert Measure.objects.filter(plan=plan).count() == 1
    # 亀山市's plan is untouched.
    assert Measure.objects.filter(plan=world.plan).count() == 24


def test_a_file_for_an_unknown_plan_or_municipality_is_refused(world: PlanWorld) -> None:
    with pytest.raises(PlanFileInvalid, match="does not exist"):
        import_text(IMPLEMENTATION.replace("code: kameyama-dx", "code: no-such-plan"))
    with pytest.raises(PlanFileInvalid, match="999999"):
        import_text(IMPLEMENTATION.replace('"242101"', '"999999"'))


def test_parse_reports_every_problem_at_once() -> None:
    text = IMPLEMENTATION.replace("value: 23.1", "value: abc").replace(
        "status: not_started", "status: unknown"
    )
    with pytest.raises(PlanFileInvalid) as refused:
        parse_plan_file(text)
    assert len(refused.value.problems) == 2
