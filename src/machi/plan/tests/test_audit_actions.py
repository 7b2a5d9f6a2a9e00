"""Each step of an evaluation (PDCA) writes the audit entry of its registered name."""

from __future__ import annotations

import pytest

from machi.core.audit_actions import AuditAction
from machi.plan.models import EvaluationAction
from machi.plan.services import evaluations
from machi.plan.services.evaluations import EVALUATION_AUDIT_ACTIONS
from machi.plan.tests.conftest import PlanWorld, draft_evaluation, evaluation_before_committee
from machi.testing.fixtures import audit_actions_written as written

pytestmark = pytest.mark.django_db


def test_every_evaluation_action_has_a_registered_name() -> None:
    assert set(EVALUATION_AUDIT_ACTIONS) == set(EvaluationAction)
    assert all(isinstance(name, AuditAction) for name in EVALUATION_AUDIT_ACTIONS.values())


def test_creating_and_saving_a_self_assessment(world: PlanWorld) -> None:
    assert written(lambda: draft_evaluation(world)) == ["plan.evaluation.created"]
    assert written(lambda: draft_evaluation(world, comment="追記")) == ["plan.evaluation.saved"]


def test_submitting_and_the_leaders_review(world: PlanWorld) -> None:
    evaluation = draft_evaluation(world)
    assert written(
        lambda: evaluations.evaluation_submit(
            actor=world.clerk, municipality=world.city, evaluation=evaluation
        )
    ) == ["plan.evaluation.submitted"]
    assert written(
        lambda: evaluations.evaluation_review(
            actor=world.leader, municipality=world.city, evaluation=evaluation
        )
    ) == ["plan.evaluation.reviewed"]


def test_the_committee_approves_a_member_then_the_chair(world: PlanWorld) -> None:
    evaluation = evaluation_before_committee(world)
    assert written(
        lambda: evaluations.evaluation_approve(
            actor=world.member, municipality=world.city, evaluation=evaluation
        )
    ) == ["plan.evaluation.member_approved"]
    assert written(
        lambda: evaluations.evaluation_approve(
            actor=world.chair, municipality=world.city, evaluation=evaluation
        )
    ) == ["plan.evaluation.approved"]


def test_sending_back_and_a_new_revision(world: PlanWorld) -> None:
    evaluation = evaluation_before_committee(world)
    assert written(
        lambda: evaluations.evaluation_send_back(
            actor=world.member, municipality=world.city, evaluation=evaluation, reason="根拠不足"
        )
    ) == ["plan.evaluation.sent_back"]
    approved = evaluations.evaluation_approve(
        actor=world.chair,
        municipality=world.city,
        evaluation=evaluation_before_committee(world),
    )
    assert written(
        lambda: evaluations.evaluation_revise(
            actor=world.clerk, municipality=world.city, evaluation=approved, reason="実績値の訂正"
        )
    ) == ["plan.evaluation.revised"]
