"""On English pages the plan shows what staff wrote in Japanese (measure and initiative
texts, KPI names and units, people's names, comments) marked lang="ja", and names fiscal
years and basic policies in English; Japanese pages stay as they were."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from machi.core.models import User
from machi.plan.services import discussion
from machi.plan.tests.conftest import PlanWorld, draft_evaluation, evaluation_before_committee
from machi.testing.marks import unmarked_japanese

pytestmark = pytest.mark.django_db

PROGRESS = "/plan/kameyama-dx/"
JAPANESE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u3400-\u9fff]")
BRACKETED = re.compile(r"\([^)]*\)")


def _client(language: str, user: User | None = None) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    if user is not None:
        client.force_login(user)
    return client


def _page(client: Client, url: str) -> str:
    response = client.get(url, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _unmarked_in_charts(html: str) -> list[str]:
    """Japanese in the charts' titles, tooltips and axis labels outside lang="ja", other
    than a unit glossed in brackets ("12 (枚)")."""
    found = []
    for svg in re.findall(r"<svg.*?</svg>", html, flags=re.S):
        for tag, attrs, text in re.findall(r"<(title|desc|text)([^>]*)>([^<]*)</\1>", svg):
            if 'lang="ja"' not in attrs and JAPANESE.search(BRACKETED.sub("", text)):
                found.append(f"<{tag}> {text}")
    return found


def _setup(world: PlanWorld) -> None:
    """An evaluation with its history, a comment and an OODA decision, all in Japanese."""
    evaluation_before_committee(world)
    discussion.plan_comment_add(
        actor=world.clerk,
        municipality=world.city,
        plan=world.plan,
        initiative=world.initiative,
        body="保育関係の手続を先に進めます。",
    )
    measure = world.initiative.measure
    discussion.ooda_record_create(
        actor=world.chair,
        municipality=world.city,
        plan=world.plan,
        decided_on="2026-11-20",
        title="生成AIの試行を前倒し",
        observe="他市で成果が出ている。",
        orient="早く試す価値がある。",
        decide="今年度中に試行する。",
        act="デジタル推進課が準備する。",
        decider="DX推進委員会",
        measure_ids=[str(measure.pk)],
    )


def test_the_public_progress_page_in_english(world: PlanWorld) -> None:
    client = _client("en")
    # A visitor opens /plan/ and lands on the one published plan.
    page = _page(client, "/plan/")
    assert unmarked_japanese(page) == []
    assert _unmarked_in_charts(page) == []
    assert "<h1>Kameyama City Administrative DX Promotion Plan</h1>" in page
    assert "Plan period: FY2022 to FY2026" in page
    assert 'Basic policy 2 <span lang="ja">行政経営のDX</span></h2>' in page
    # A KPI with a Japanese unit: its name is marked, the unit glossed in the tooltips.
    assert '<span class="kpi__name" lang="ja">紙の使用量</span>' in page
    assert 'lang="ja">紙の使用量</title>' in page
    assert "FY2026 Target: 600,000 (枚)</title>" in page
    assert re.search(r'<text [^>]* lang="ja">1,250,000枚</text>', page)
    assert '<th scope="row">FY2021' in page


def test_the_public_progress_page_in_japanese_is_unchanged(world: PlanWorld) -> None:
    page = _page(_client("ja"), PROGRESS)
    main = page[page.index("<main") :]
    assert 'lang="ja"' not in main
    assert "<h1>亀山市行政DX推進計画</h1>" in page
    assert "計画期間：令和4年度～令和8年度" in page
    assert "基本方針2 行政経営のDX" in page
    assert "<title>令和8年度 目標: 600,000枚</title>" in page


def test_the_plan_office_in_english_marks_what_staff_wrote(world: PlanWorld) -> None:
    _setup(world)
    client = _client("en", world.clerk)
    home = _page(client, "/staff/plan/")
    assert unmarked_japanese(home) == []
    # From the office home to the plan, then to an initiative, as the links lead.
    assert 'href="/staff/plan/kameyama-dx/">Kameyama City Administrative' in home
    plan = _page(client, "/staff/plan/kameyama-dx/")
    assert unmarked_japanese(plan) == []
    assert 'Basic policy 1 <span lang="ja">' in plan
    initiative_url = f"/staff/plan/initiatives/{world.initiative.pk}/"
    assert f'href="{initiative_url}" lang="ja">1-1-01 子育て' in plan
    initiative = _page(client, initiative_url)
    assert unmarked_japanese(initiative) == []
    assert _unmarked_in_charts(initiative) == []
    title = "子育て・介護関係手続のオンライン化"
    assert f'<h1>1-1-01 <span lang="ja">{title}</span></h1>' in initiative
    assert '<dd lang="ja">子ども未来課</dd>' in initiative
    assert 'Basic policy 1 (1) <span lang="ja">' in initiative
    assert "FY2025 revision 1" in initiative
    assert '<option value="2025">FY2025</option>' in initiative
    assert '<p lang="ja">保育関係の手続を先に進めます。</p>' in initiative
    ooda = _page(_client("en", world.chair), "/staff/plan/kameyama-dx/ooda/")
    assert unmarked_japanese(ooda) == []
    assert '<dd lang="ja">DX推進委員会</dd>' in ooda
    assert "the DX promotion committee (DX推進委員会)" in ooda  # the form's hint


def test_a_draft_self_assessment_shows_its_japanese_text_marked_in_the_form(
    world: PlanWorld,
) -> None:
    draft_evaluation(world)
    page = _page(_client("en", world.clerk), f"/staff/plan/initiatives/{world.initiative.pk}/")
    assert unmarked_japanese(page) == []
    assert re.search(r'<textarea name="comment"[^>]* lang="ja"[^>]*>\s*概ね順調。</textarea>', page)
    japanese = _page(_client("ja", world.clerk), f"/staff/plan/initiatives/{world.initiative.pk}/")
    assert 'lang="ja"' not in japanese[japanese.index("<main") :]


def test_the_plan_office_in_japanese_is_unchanged(world: PlanWorld) -> None:
    _setup(world)
    client = _client("ja", world.clerk)
    initiative = _page(client, f"/staff/plan/initiatives/{world.initiative.pk}/")
    assert 'lang="ja"' not in initiative[initiative.index("<main") :]
    assert "<h1>1-1-01 子育て・介護関係手続のオンライン化</h1>" in initiative
    assert "<dd>基本方針1 (1) 行政手続のオンライン化の推進</dd>" in initiative
    assert '<option value="2025">令和7年度</option>' in initiative
    plan = _page(client, "/staff/plan/kameyama-dx/")
    assert '<h2 id="office-policy-1">基本方針1 行政サービスのDX</h2>' in plan
    ooda = _page(_client("ja", world.chair), "/staff/plan/kameyama-dx/ooda/")
    assert 'lang="ja"' not in ooda[ooda.index("<main") :]
    assert "基本方針1 (1) 行政手続のオンライン化の推進" in ooda
