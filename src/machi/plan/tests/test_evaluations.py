"""The PDCA cycle: who may do each step, locking after approval, revisions with history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from machi.core.models import User
from machi.plan.models import Evaluation, EvaluationStatus
from machi.plan.services import discussion, evaluations
from machi.plan.services.evaluations import EvaluationLocked
from machi.plan.tests.conftest import PlanWorld, draft_evaluation, evaluation_before_committee
from machi.testing.fixtures import make_staff

pytestmark = pytest.mark.django_db


def _draft(world: PlanWorld, by: User | None = None, **overrides: str) -> Evaluation:
    return draft_evaluation(world, by, **overrides)  # type: ignore[no-any-return]


def _to_committee(world: PlanWorld) -> Evaluation:
    return evaluation_before_committee(world)  # type: ignore[no-any-return]


def test_draft_to_approved_and_locked(world: PlanWorld) -> None:
    evaluation = _to_committee(world)
    assert evaluation.status == EvaluationStatus.COMMITTEE
    evaluation = evaluations.evaluation_approve(
        actor=world.member, municipality=world.city, evaluation=evaluation
    )
    assert evaluation.status == EvaluationStatus.COMMITTEE  # a member's approval is not final
    evaluation = evaluations.evaluation_approve(
        actor=world.chair, municipality=world.city, evaluation=evaluation
    )
    assert evaluation.status == EvaluationStatus.APPROVED
    assert evaluation.approved_by == world.chair and evaluation.approved_at is not None
    actions = list(evaluation.events.values_list("action", flat=True))
    assert actions == ["created", "submitted", "reviewed", "member_approved", "approved"]
    with pytest.raises(EvaluationLocked):
        _draft(world, comment="承認後に書き換え")
    evaluation.refresh_from_db()
    assert evaluation.comment == "概ね順調。"


def test_a_change_after_approval_is_a_new_revision_and_the_old_one_is_kept(
    world: PlanWorld,
) -> None:
    approved = evaluations.evaluation_approve(
        actor=world.chair, municipality=world.city, evaluation=_to_committee(world)
    )
    with pytest.raises(ValidationError):
        evaluations.evaluation_revise(
            actor=world.clerk, municipality=world.city, evaluation=approved, reason=""
        )
    revision = evaluations.evaluation_revise(
        actor=world.clerk, municipality=world.city, evaluation=approved, reason="実績値の訂正"
    )
    assert (revision.revision, revision.status) == (2, EvaluationStatus.DRAFT)
    _draft(world, grade="C", comment="実績を訂正した結果、遅れと判断。")
    approved.refresh_from_db()
    assert (approved.status, approved.grade) == (EvaluationStatus.APPROVED, "B")
    revision.refresh_from_db()
    assert revision.grade == "C"
    with pytest.raises(EvaluationLocked):
        evaluations.evaluation_revise(
            actor=world.clerk, municipality=world.city, evaluation=approved, reason="再度"
        )


@pytest.mark.parametrize("field", ["comment", "next_action"])
def test_an_evaluation_without_a_comment_is_refused_naming_the_field(
    world: PlanWorld, field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _draft(world, **{field: "  "})
    assert field in refused.value.message_dict
    assert Evaluation.objects.count() == 0


def test_a_grade_outside_a_to_d_is_refused(world: PlanWorld) -> None:
    with pytest.raises(ValidationError) as refused:
        _draft(world, grade="E")
    assert "grade" in refused.value.message_dict


def test_only_committee_members_approve(world: PlanWorld) -> None:
    evaluation = _to_committee(world)
    for outsider in (world.clerk, world.leader, world.adviser, world.admin):
        with pytest.raises(PermissionDenied):
            evaluations.evaluation_approve(
                actor=outsider, municipality=world.city, evaluation=evaluation
            )
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.COMMITTEE
    assert not evaluation.committee_approvals.exists()


def test_only_the_departments_dx_leader_reviews(world: PlanWorld) -> None:
    evaluation = _draft(world)
    evaluations.evaluation_submit(actor=world.clerk, municipality=world.city, evaluation=evaluation)
    other_leader = make_staff(
        world.city, "leader.digital@example.jp", role="dx_leader", department=world.digital
    )
    for outsider in (world.clerk, other_leader, world.member, world.admin):
        with pytest.raises(PermissionDenied):
            evaluations.evaluation_review(
                actor=outsider, municipality=world.city, evaluation=evaluation
            )


def test_only_the_owner_department_writes_the_self_assessment(world: PlanWorld) -> None:
    digital_clerk = make_staff(world.city, "clerk.digital@example.jp", department=world.digital)
    for outsider in (digital_clerk, world.member, world.adviser, world.admin):
        with pytest.raises(PermissionDenied):
            _draft(world, by=outsider)
    assert Evaluation.objects.count() == 0


def test_sending_back_needs_a_reason_and_reopens_the_draft(world: PlanWorld) -> None:
    evaluation = _to_committee(world)
    evaluations.evaluation_approve(
        actor=world.member, municipality=world.city, evaluation=evaluation
    )
    with pytest.raises(ValidationError) as refused:
        evaluations.evaluation_send_back(
            actor=world.member, municipality=world.city, evaluation=evaluation, reason=""
        )
    assert "reason" in refused.value.message_dict
    evaluation = evaluations.evaluation_send_back(
        actor=world.member,
        municipality=world.city,
        evaluation=evaluation,
        reason="KPIの実績と評価が合っていません。",
    )
    assert evaluation.status == EvaluationStatus.SENT_BACK
    assert not evaluation.committee_approvals.exists()
    _draft(world, grade="C")
    evaluation.refresh_from_db()
    assert evaluation.grade == "C"
    note = evaluation.events.get(action="sent_back").note
    assert note == "KPIの実績と評価が合っていません。"


def test_a_future_fiscal_year_or_one_outside_the_plan_is_refused(world: PlanWorld) -> None:
    for year in (2027, 2021):
        with pytest.raises(ValidationError) as refused:
            evaluations.evaluation_save(
                actor=world.clerk,
                municipality=world.city,
                initiative=world.initiative,
                fiscal_year=year,
                grade="A",
                comment="c",
                next_action="n",
            )
        assert "fiscal_year" in refused.value.message_dict


def test_advisers_comment_but_cannot_change_data(world: PlanWorld) -> None:
    comment = discussion.plan_comment_add(
        actor=world.adviser,
        municipality=world.city,
        plan=world.plan,
        initiative=world.initiative,
        body="住民の声も評価に反映してはどうか。",
    )
    assert comment.author_label
    with pytest.raises(ValidationError):
        discussion.plan_comment_add(
            actor=world.adviser, municipality=world.city, plan=world.plan, body=" "
        )


def test_another_municipalitys_staff_cannot_act(world: PlanWorld, other_city: object) -> None:
    from machi.core.models import Municipality

    assert isinstance(other_city, Municipality)
    stranger = make_staff(other_city, "cio@suzuka.example.jp", role="dx_committee_chair")
    evaluation = _to_committee(world)
    with pytest.raises(PermissionDenied):
        evaluations.evaluation_approve(
            actor=stranger, municipality=other_city, evaluation=evaluation
        )
    with pytest.raises(PermissionDenied):
        evaluations.evaluation_approve(
            actor=stranger, municipality=world.city, evaluation=evaluation
        )


def test_ooda_decisions_are_recorded_with_their_measures(world: PlanWorld) -> None:
    measure = world.initiative.measure
    record = discussion.ooda_record_create(
        actor=world.chair,
        municipality=world.city,
        plan=world.plan,
        decided_on="令和8年4月10日",
        title="国の標準化期限の変更への対応",
        observe="国が移行期限を見直した。",
        orient="現行契約の延長が必要。",
        decide="移行時期を1年遅らせる。",
        act="ベンダーと契約変更を協議する。",
        decider="CIO（副市長）",
        measure_ids=[str(measure.pk)],
    )
    assert record.decided_on.isoformat() == "2026-04-10"
    assert list(record.measures.all()) == [measure]
    with pytest.raises(ValidationError) as refused:
        discussion.ooda_record_create(
            actor=world.chair,
            municipality=world.city,
            plan=world.plan,
            decided_on="令和8年2月30日",
            title="",
            observe="o",
            orient="o",
            decide="d",
            act="a",
            decider="CIO",
            measure_ids=[],
        )
    assert {"decided_on", "title"} <= set(refused.value.message_dict)
    with pytest.raises(PermissionDenied):
        discussion.ooda_record_create(
            actor=world.clerk,
            municipality=world.city,
            plan=world.plan,
            decided_on="2026-04-10",
            title="t",
            observe="o",
            orient="o",
            decide="d",
            act="a",
            decider="d",
            measure_ids=[],
        )
