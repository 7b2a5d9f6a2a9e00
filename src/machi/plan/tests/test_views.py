"""Pages, exports and the API as a visitor, a clerk and a committee member see them."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from machi.core.models import Municipality
from machi.plan.models import Evaluation, EvaluationStatus, KPIValue
from machi.plan.services import evaluations
from machi.plan.tests.conftest import PlanWorld, evaluation_before_committee

pytestmark = pytest.mark.django_db

PROGRESS = "/plan/kameyama-dx/"


def _approved(world: PlanWorld) -> Evaluation:
    evaluation = evaluation_before_committee(world, grade="A", comment="目標を達成した。")
    return evaluations.evaluation_approve(
        actor=world.chair, municipality=world.city, evaluation=evaluation
    )


def test_the_public_progress_page_needs_no_login(world: PlanWorld, client: Client) -> None:
    assert client.get("/plan/").url == PROGRESS  # type: ignore[attr-defined]
    page = client.get(PROGRESS).content.decode()
    assert "亀山市行政DX推進計画" in page
    assert page.count('class="measure"') == 24
    assert "基本方針2 行政経営のDX" in page and "文書等のデジタル化の推進" in page
    assert 'role="img"' in page and "<table" in page
    assert "子育て・介護関係26手続のオンライン化率" in page
    assert "令和4年度" in page


def test_only_approved_evaluations_are_public(world: PlanWorld, client: Client) -> None:
    evaluations.evaluation_save(
        actor=world.clerk,
        municipality=world.city,
        initiative=world.initiative,
        fiscal_year=2025,
        grade="D",
        comment="下書きの内部コメント",
        next_action="n",
    )
    assert "下書きの内部コメント" not in client.get(PROGRESS + "export.csv").content.decode()


def test_csv_export_opens_in_excel(world: PlanWorld, client: Client) -> None:
    _approved(world)
    response = client.get(PROGRESS + "export.csv")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    kinds = {row["種別"] for row in rows}
    assert kinds == {"重点施策", "事業", "KPI", "評価"}
    assert sum(1 for row in rows if row["種別"] == "重点施策") == 24
    evaluation = next(row for row in rows if row["種別"] == "評価")
    assert (evaluation["評価"], evaluation["年度"]) == ("A 順調", "2025")
    actual = next(r for r in rows if r["KPIコード"] == "KPI-01" and r["区分"] == "実績")
    assert (actual["年度"], actual["値"], actual["出典"]) == ("2022", "23.1", "子ども未来課集計")
    baseline = next(r for r in rows if r["KPIコード"] == "KPI-02" and r["区分"] == "基準値")
    assert baseline["値"] == "1200000"


def test_csv_export_never_runs_text_as_a_formula(world: PlanWorld, client: Client) -> None:
    # An initiative title a staff member typed that a spreadsheet would run.
    world.initiative.__class__.objects.filter(pk=world.initiative.pk).update(
        title='=HYPERLINK("http://example.com","詳細")'
    )
    body = client.get(PROGRESS + "export.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    titles = {row["事業名"] for row in rows if row["種別"] == "事業"}
    assert '\'=HYPERLINK("http://example.com","詳細")' in titles
    # Numbers stay numbers.
    baseline = next(r for r in rows if r["KPIコード"] == "KPI-02" and r["区分"] == "基準値")
    assert baseline["値"] == "1200000"


def test_json_export_and_api_agree(world: PlanWorld, client: Client) -> None:
    _approved(world)
    exported = json.loads(client.get(PROGRESS + "export.json").content)
    assert [len(p["measures"]) for p in exported["policies"]] == [6, 12, 6]
    listing = client.get("/api/v1/plans/").json()
    assert [p["code"] for p in listing] == ["kameyama-dx"]
    detail = client.get(f"/api/v1/plans/{listing[0]['id']}/").json()
    assert detail == exported
    measure = detail["policies"][0]["measures"][0]
    kpi = measure["kpis"][0]
    assert kpi["baseline"] == {"fiscal_year": 2021, "value": 0.0}
    assert kpi["actuals"][0]["value"] == 23.1
    assert measure["initiatives"][0]["evaluations"][0]["grade"] == "A"


def test_the_api_is_in_the_openapi_schema(city: Municipality, client: Client) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/plans/" in schema["paths"]
    assert "/api/v1/plans/{plan_id}/" in schema["paths"]


def test_the_api_is_read_only(world: PlanWorld, client: Client) -> None:
    assert client.post("/api/v1/plans/", {}, content_type="application/json").status_code == 405


def test_other_municipalities_see_only_their_own_plans(
    world: PlanWorld, other_city: Municipality, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    suzuka = Client(HTTP_HOST="suzuka.example.jp")
    assert suzuka.get(PROGRESS).status_code == 404
    assert suzuka.get("/api/v1/plans/").json() == []
    assert suzuka.get(f"/api/v1/plans/{world.plan.pk}/").status_code == 404


def test_the_progress_page_query_count_does_not_grow_with_the_plan(
    world: PlanWorld, client: Client
) -> None:
    client.get(PROGRESS)  # warm the tenant cache
    with CaptureQueriesContext(connection) as small:
        client.get(PROGRESS)
    kpi = world.kpi
    for year in (2023, 2024, 2025):
        KPIValue.objects.create(
            kpi=kpi, kind="actual", fiscal_year=year, value=year - 1990, entered_at=kpi_time()
        )
    _approved(world)
    with CaptureQueriesContext(connection) as larger:
        client.get(PROGRESS)
        client.get(PROGRESS + "export.json")
    assert len(larger) <= 2 * len(small) + 1
    with CaptureQueriesContext(connection) as again:
        client.get(PROGRESS)
    assert len(again) == len(small)


def kpi_time() -> object:
    from django.utils import timezone

    return timezone.now()


def test_my_tasks_list_what_each_person_must_do(world: PlanWorld) -> None:
    clerk, chair = Client(), Client()
    clerk.force_login(world.clerk)
    page = clerk.get("/staff/plan/").content.decode()
    assert "子育て・介護関係手続のオンライン化" in page
    assert "2026-03-31" in page and "2027-03-31" in page  # fiscal-year deadlines
    evaluation_before_committee(world, grade="B", comment="c")
    chair.force_login(world.chair)
    assert (
        f"/staff/plan/initiatives/{world.initiative.pk}/"
        in chair.get("/staff/plan/").content.decode()
    )


def test_an_evaluation_without_a_comment_is_refused_on_the_page(world: PlanWorld) -> None:
    clerk = Client()
    clerk.force_login(world.clerk)
    url = f"/staff/plan/initiatives/{world.initiative.pk}/evaluation/"
    response = clerk.post(url, {"fiscal_year": "2025", "grade": "B", "next_action": "n"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "error-summary" in page and 'href="#id_comment"' in page
    assert not Evaluation.objects.exists()


def test_a_non_member_approval_is_refused_on_the_page(world: PlanWorld) -> None:
    evaluation = evaluation_before_committee(world, grade="B", comment="c")
    leader = Client()
    leader.force_login(world.leader)
    response = leader.post(f"/staff/plan/evaluations/{evaluation.pk}/approve/")
    assert response.status_code == 403
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.COMMITTEE


def test_a_bad_kpi_figure_is_refused_on_the_page(world: PlanWorld) -> None:
    clerk = Client()
    clerk.force_login(world.clerk)
    prefix = f"kpi-{str(world.kpi.pk)[:8]}"
    response = clerk.post(
        f"/staff/plan/kpis/{world.kpi.pk}/actual/",
        {f"{prefix}-fiscal_year": "2024", f"{prefix}-value": "120", f"{prefix}-source_note": "x"},
    )
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not KPIValue.objects.filter(kpi=world.kpi, kind="actual", fiscal_year=2024).exists()


def test_advisers_read_the_plan_office_but_not_resident_records(world: PlanWorld) -> None:
    adviser = Client()
    adviser.force_login(world.adviser)
    assert adviser.get(f"/staff/plan/initiatives/{world.initiative.pk}/").status_code == 200
    assert adviser.get("/staff/residents/").status_code == 403
    response = adviser.post(
        f"/staff/plan/initiatives/{world.initiative.pk}/comments/", {"body": "助言です。"}
    )
    assert response.status_code == 302
    assert (
        "助言です。"
        in adviser.get(f"/staff/plan/initiatives/{world.initiative.pk}/").content.decode()
    )


def test_other_municipalitys_staff_get_404(
    world: PlanWorld, other_city: Municipality, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    from machi.testing.fixtures import make_staff

    stranger = make_staff(other_city, "clerk@suzuka.example.jp")
    client = Client(HTTP_HOST="suzuka.example.jp")
    client.force_login(stranger)
    assert client.get(f"/staff/plan/initiatives/{world.initiative.pk}/").status_code == 404
