"""The factories of machi.testing.factories: each builds a valid row through its service,
with the service's audit entry, inside the municipality it was given; sequences keep
e-mail addresses and codes apart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.test import Client

from machi.core.models import AuditEntry, Municipality, Role
from machi.core.permissions import has_role
from machi.opendata.models import DatasetState, VersionStatus
from machi.procedures.models import SubmissionStatus
from machi.testing import factories as f
from machi.testing.fixtures import make_municipality, make_staff

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Made:
    """How to make one row in a given municipality, the audit actions its service writes
    (none for the services that keep no entry) and the lookup from the row to its tenant."""

    make: Callable[[Municipality], Any]
    actions: tuple[str, ...]
    tenant: str = "municipality"


MADE: dict[str, Made] = {
    "department": Made(lambda m: f.DepartmentFactory(municipality=m), ("department.created",)),
    "resident": Made(lambda m: f.ResidentFactory(municipality=m), ("resident.registered",)),
    "staff": Made(
        lambda m: f.StaffFactory(municipality=m), ("staff.created", "staff_role.granted")
    ),
    "staff_role": Made(lambda m: f.StaffRoleFactory(user__municipality=m), ("staff_role.granted",)),
    "plan": Made(lambda m: f.PlanFactory(municipality=m), ("plan.import",)),
    "initiative": Made(
        lambda m: f.InitiativeFactory(plan__municipality=m), ("plan.import",), "plan__municipality"
    ),
    "kpi": Made(
        lambda m: f.KPIFactory(plan__municipality=m), ("plan.import",), "plan__municipality"
    ),
    "category": Made(lambda m: f.CategoryFactory(municipality=m), ()),
    "procedure": Made(
        lambda m: f.ProcedureFactory(municipality=m),
        ("procedure.created", "procedure.form_published"),
    ),
    "form_definition": Made(
        lambda m: f.FormDefinitionFactory(procedure__municipality=m),
        ("procedure.form_published",),
    ),
    "draft": Made(lambda m: f.DraftFactory(procedure__municipality=m), ("draft.started",)),
    "submission": Made(
        lambda m: f.SubmissionFactory(procedure__municipality=m), ("submission.created",)
    ),
    # No entry of its own: the case is opened by the submission's hand-off.
    "case": Made(
        lambda m: f.CaseFactory(submission__procedure__municipality=m), ("submission.created",)
    ),
    "correction_request": Made(
        lambda m: f.CorrectionRequestFactory(case__submission__procedure__municipality=m),
        ("submission.correction_requested",),
    ),
    "approval_route": Made(
        lambda m: f.ApprovalRouteFactory(procedure__municipality=m), ("approval.route_saved",)
    ),
    "approval": Made(
        lambda m: f.ApprovalFactory(case__submission__procedure__municipality=m),
        ("approval.submitted",),
        "case__municipality",
    ),
    "issued_document": Made(
        lambda m: f.IssuedDocumentFactory(case__submission__procedure__municipality=m),
        ("document.issued", "case.approved"),
    ),
    "faq_entry": Made(lambda m: f.FaqEntryFactory(municipality=m), ("assistant.faq_imported",)),
    "synonym": Made(lambda m: f.SynonymFactory(municipality=m), ("assistant.synonyms_imported",)),
    "conversation": Made(lambda m: f.ConversationFactory(municipality=m), ()),
    "turn": Made(lambda m: f.TurnFactory(conversation__municipality=m), ()),
    "feedback": Made(lambda m: f.FeedbackFactory(conversation__municipality=m), ()),
    "line_channel": Made(lambda m: f.LineChannelFactory(municipality=m), ()),
    "dataset_group": Made(lambda m: f.DatasetGroupFactory(municipality=m), ()),
    "dataset": Made(lambda m: f.DatasetFactory(municipality=m), ("opendata.dataset_create",)),
    "resource": Made(
        lambda m: f.ResourceFactory(dataset__municipality=m),
        ("opendata.resource_create",),
        "dataset__municipality",
    ),
    "resource_version": Made(
        lambda m: f.ResourceVersionFactory(resource__dataset__municipality=m),
        ("opendata.version_publish",),
        "resource__dataset__municipality",
    ),
}


def _entries_since(last: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(sequence__gt=last).order_by("sequence"))


def _last_sequence() -> int:
    return AuditEntry.objects.aggregate(last=Max("sequence"))["last"] or 0


@pytest.mark.parametrize("kind", sorted(MADE))
def test_each_factory_builds_a_valid_row_with_its_audit_entry(
    kind: str, city: Municipality
) -> None:
    made = MADE[kind]
    last = _last_sequence()
    row = made.make(city)
    entries = _entries_since(last)
    stored = type(row).objects.get(pk=row.pk)
    stored.full_clean()
    here = [e.action for e in entries if e.municipality_id == city.pk]
    for action in made.actions:
        assert action in here, (kind, [e.action for e in entries])


@pytest.mark.parametrize("kind", sorted(MADE))
def test_a_row_built_for_another_municipality_is_not_visible_from_the_first(
    kind: str, city: Municipality, other_city: Municipality
) -> None:
    made = MADE[kind]
    mine, theirs = made.make(city), made.make(other_city)
    rows = type(mine).objects.filter(**{made.tenant: city})
    assert mine in rows
    assert theirs not in rows
    assert type(theirs).objects.filter(**{made.tenant: other_city, "pk": theirs.pk}).exists()


def test_the_municipality_factory_makes_a_tenant_with_its_own_host(db: Any) -> None:
    last = _last_sequence()
    town = f.MunicipalityFactory()
    [entry] = _entries_since(last)
    assert (entry.action, entry.municipality_id) == ("municipality.created", town.pk)
    town.full_clean()
    assert town.prefecture == "三重県"
    assert list(town.domains.values_list("host", flat=True)) == [f"city-{town.code}.example.jp"]


def test_sequences_give_unique_addresses_codes_and_names(city: Municipality) -> None:
    assert len({f.MunicipalityFactory().code for _ in range(12)}) == 12
    assert len({f.DepartmentFactory(municipality=city).code for _ in range(12)}) == 12
    residents = [f.ResidentFactory(municipality=city).email for _ in range(3)]
    staff = [f.StaffFactory(municipality=city, with_totp=False).email for _ in range(3)]
    assert len(set(residents + staff)) == 6
    # More rows than there are realistic names: they stay unique all the same.
    assert len({f.DatasetFactory(municipality=city).name for _ in range(7)}) == 7
    assert len({f.DatasetGroupFactory(municipality=city).name for _ in range(5)}) == 5
    assert len({f.SynonymFactory(municipality=city).canonical for _ in range(5)}) == 5
    assert len({f.FaqEntryFactory(municipality=city).code for _ in range(3)}) == 3
    procedure = f.ProcedureFactory(municipality=city)
    assert procedure.code != f.ProcedureFactory(municipality=city).code


def test_build_is_refused_because_it_would_skip_the_service(db: Any) -> None:
    with pytest.raises(NotImplementedError, match="service"):
        f.MunicipalityFactory.build()


def test_the_services_tenancy_checks_apply(city: Municipality, other_city: Municipality) -> None:
    theirs = f.DepartmentFactory(municipality=other_city)
    with pytest.raises(PermissionDenied):
        f.StaffRoleFactory(user__municipality=city, department=theirs)
    with pytest.raises(ValidationError):
        f.DatasetFactory(municipality=city, department=theirs)


def test_another_municipalitys_procedure_and_dataset_are_not_served_here(
    city: Municipality, other_city: Municipality
) -> None:
    mine = f.ProcedureFactory(municipality=city)
    theirs = f.ProcedureFactory(municipality=other_city)
    visitor = Client()  # testserver is 亀山市 (the ``city`` fixture)
    assert visitor.get(f"/procedures/{mine.code}/").status_code == 200
    assert visitor.get(f"/procedures/{theirs.code}/").status_code == 404
    f.DatasetFactory(municipality=city, name="mine", state=DatasetState.ACTIVE)
    f.DatasetFactory(municipality=other_city, name="theirs", state=DatasetState.ACTIVE)
    assert visitor.get("/opendata/dataset/mine/").status_code == 200
    assert visitor.get("/opendata/dataset/theirs/").status_code == 404


def test_staff_get_the_role_they_are_made_with(city: Municipality) -> None:
    shimin = f.DepartmentFactory(municipality=city, name="市民課")
    approver = f.StaffFactory(municipality=city, department=shimin, role=Role.APPROVER)
    assert has_role(approver, city, [Role.APPROVER], department=shimin)
    assert approver.staff_roles.get().rank == 1  # 係長 unless told
    nobody = f.StaffFactory(municipality=city, role=None, with_totp=False)
    assert not nobody.staff_roles.exists()


def test_a_verified_resident_has_the_claims_and_can_sign_in(city: Municipality) -> None:
    resident = f.ResidentFactory(
        municipality=city,
        claims={"name": "亀山 太郎", "address": "三重県亀山市本丸町577"},
        email_verified=True,
    )
    assert resident.identity_level == "verified"
    client = Client()
    response = client.post("/accounts/login/", {"login": resident.email, "password": f.PASSWORD})
    assert response.status_code == 302


def test_an_application_goes_through_the_draft_pages_into_a_case(city: Municipality) -> None:
    case = f.CaseFactory(submission__procedure__municipality=city)
    submission = case.submission
    assert submission.status == SubmissionStatus.RECEIVED
    assert submission.answers["address"] == "三重県亀山市本丸町577"
    assert submission.answers["name"] == submission.applicant.full_name
    assert case.department == submission.procedure.department


def test_an_approval_lays_out_the_routes_steps(city: Municipality) -> None:
    approval = f.ApprovalFactory(case__submission__procedure__municipality=city)
    assert list(approval.steps.order_by("order").values_list("order", "rank")) == [(1, 1), (2, 2)]


def test_a_published_version_is_the_public_one(city: Municipality) -> None:
    version = f.ResourceVersionFactory(resource__dataset__municipality=city)
    assert version.status == VersionStatus.PUBLISHED
    upload = f.ResourceVersionFactory(resource=version.resource, publish=False)
    assert (upload.number, upload.status) == (2, VersionStatus.CHECKING)


def test_the_old_helpers_build_through_the_factories(db: Any) -> None:
    kameyama = make_municipality()
    assert (kameyama.code, kameyama.name) == ("242101", "亀山市")
    clerk = make_staff(kameyama, "kakari@kameyama.example.jp")
    assert (clerk.full_name, clerk.municipality) == ("職員 テスト", kameyama)
    assert has_role(clerk, kameyama, [Role.CLERK])


def test_a_plan_comes_with_measures_an_initiative_and_a_kpi(city: Municipality) -> None:
    plan = f.PlanFactory(municipality=city)
    assert sorted(m.key for m in plan.measures.select_related("policy")) == ["1-1", "1-2", "2-1"]
    [initiative] = plan.initiatives.all()
    assert initiative.department.municipality == city
    [kpi] = plan.kpis.all()
    assert (kpi.code, kpi.initiative) == ("KPI-01", initiative)
    added = f.KPIFactory(plan=plan, initiative=f.InitiativeFactory(plan=plan))
    assert added.initiative is not None
    assert added.initiative.plan == plan


def test_feedback_is_kept_on_the_turn(city: Municipality) -> None:
    f.FaqEntryFactory(municipality=city)
    turn = f.FeedbackFactory(conversation__municipality=city, resolved=False)
    turn.refresh_from_db()
    assert turn.feedback == "unresolved"
    assert turn.feedback_at is not None
