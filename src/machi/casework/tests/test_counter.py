"""書かない窓口: details entered once and checked, only the session's clerk changes it, the
tablet link works without sign-in but only while valid, and confirming files everything
or nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from machi.casework.models import CounterStatus
from machi.casework.services import counter as svc
from machi.core.models import AuditEntry, Municipality, Role, StaffRole
from machi.core.services.accounts import staff_role_revoke
from machi.procedures.models import Channel, Draft, LifeEvent, Submission
from machi.testing.applications import Catalog, make_resident, signed_in
from machi.testing.fixtures import make_staff

pytestmark = pytest.mark.django_db

DETAILS = {
    "name": "亀山 太郎",
    "name_kana": "ｶﾒﾔﾏ ﾀﾛｳ",
    "birthdate": "S60.4.1",
    "address": "三重県亀山市本丸町577",
    "phone": "０５９５８２１１１１",
    "email": "taro@example.jp",
}


@pytest.fixture
def clerk(catalog: Catalog, city: Municipality) -> Any:
    return make_staff(city, "counter@example.jp", department=catalog.shimin)


def test_details_are_normalised_or_refused_with_the_field_named(
    clerk: Any, city: Municipality
) -> None:
    session = svc.counter_session_start(
        clerk=clerk, municipality=city, details=DETAILS, identity_document="driving_licence"
    )
    assert session.details["name_kana"] == "カメヤマ\u3000タロウ"
    assert session.details["birthdate"] == "1985-04-01"
    assert session.details["phone"] == "0595821111"
    with pytest.raises(ValidationError) as problem:
        svc.counter_session_start(
            clerk=clerk,
            municipality=city,
            details={**DETAILS, "name_kana": "亀山", "birthdate": "", "postal_code": "12"},
            identity_document="driving_licence",
        )
    assert set(problem.value.message_dict) == {"name_kana", "birthdate", "postal_code"}
    with pytest.raises(ValidationError):
        svc.counter_session_start(
            clerk=clerk, municipality=city, details=DETAILS, identity_document=""
        )
    assert AuditEntry.objects.filter(action="counter.started").count() == 1


def test_furigana_typed_in_hiragana_is_kept_in_katakana(clerk: Any, city: Municipality) -> None:
    """The form pages take フリガナ in hiragana: so does the counter, which fills them."""
    session = svc.counter_session_start(
        clerk=clerk,
        municipality=city,
        details={**DETAILS, "name_kana": "かめやま　たろう"},
        identity_document="driving_licence",
    )
    assert session.details["name_kana"] == "カメヤマ\u3000タロウ"


def test_the_guide_opens_prefilled_drafts_and_only_the_clerk_changes_them(
    catalog: Catalog, clerk: Any, city: Municipality
) -> None:
    session = svc.counter_session_start(
        clerk=clerk, municipality=city, details=DETAILS, identity_document="my_number_card"
    )
    event = LifeEvent.objects.get(code="moving")
    answers = {"direction": "out", "big_waste": "yes"}
    applicable = svc.applicable_procedures(municipality=city, life_event=event, answers=answers)
    assert [p.code for p in applicable] == ["gomi"]  # moving-out is done at the counter only
    other = make_staff(city, "other@example.jp", department=catalog.shimin)
    with pytest.raises(PermissionDenied):
        svc.counter_plan(
            clerk=other, session=session, life_event=event, answers=answers, chosen=["gomi"]
        )
    with pytest.raises(ValidationError):
        svc.counter_plan(clerk=clerk, session=session, life_event=event, answers=answers, chosen=[])
    session = svc.counter_plan(
        clerk=clerk, session=session, life_event=event, answers=answers, chosen=["gomi"]
    )
    draft = Draft.objects.get()
    assert draft.answers["address"] == "三重県亀山市本丸町577"
    assert draft.answers["email"] == "taro@example.jp"
    assert draft.return_url == f"/staff/counter/{session.pk}/"


def test_tablet_confirms_everything_or_nothing(
    catalog: Catalog, clerk: Any, city: Municipality
) -> None:
    resident = make_resident(city)
    session = svc.counter_session_start(
        clerk=clerk,
        municipality=city,
        details=DETAILS,
        identity_document="my_number_card",
        resident=resident,
    )
    event = LifeEvent.objects.get(code="moving")
    session = svc.counter_plan(
        clerk=clerk,
        session=session,
        life_event=event,
        answers={"direction": "out", "big_waste": "yes"},
        chosen=["gomi"],
    )
    tablet = Client()
    url = f"/counter/{svc.tablet_token(session)}/"
    incomplete = tablet.post(url)
    assert incomplete.status_code == 400  # the items are not filled in yet
    assert not Submission.objects.exists()
    draft = Draft.objects.get()
    draft.answers = {
        **draft.answers,
        "items": [{"item": "sofa", "count": 1}],
        "day": "2099-01-05",
        "delivery": "mail",
    }
    draft.completed_steps = ["items", "where"]
    draft.save()
    done = tablet.post(url)
    assert done.status_code == 200
    submission = Submission.objects.get()
    assert (submission.channel, submission.entered_by, submission.applicant) == (
        Channel.COUNTER,
        clerk,
        resident,
    )
    assert submission.reference_display in done.content.decode()
    again = tablet.post(url)  # a second tap files nothing more
    assert again.status_code == 200
    assert Submission.objects.count() == 1
    session.refresh_from_db()
    assert session.status == CounterStatus.CONFIRMED
    assert Client().get("/counter/not-a-token/").status_code == 404
    summary = signed_in(clerk).get(f"/staff/counter/{session.pk}/summary/").content.decode()
    assert submission.reference_display in summary
    assert (
        signed_in(make_staff(city, "x@example.jp", department=catalog.shimin))
        .get(f"/staff/counter/{session.pk}/summary/")
        .status_code
        == 404
    )


def test_residents_cannot_open_the_counter(catalog: Catalog, city: Municipality) -> None:
    assert signed_in(make_resident(city)).get("/staff/counter/").status_code == 403


@pytest.fixture
def adviser(city: Municipality) -> Any:
    """A plan-only account (デジタル化アドバイザー), as in the plan tests: no casework role."""
    return make_staff(city, "adviser@example.jp", role=Role.DIGITAL_ADVISOR)


def test_a_plan_only_adviser_cannot_search_residents_at_the_counter(
    catalog: Catalog, city: Municipality, adviser: Any
) -> None:
    make_resident(city)  # 亀山 花子
    client = signed_in(adviser)
    for path in ("/staff/counter/?q=花子", "/staff/counter/"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "花子" not in response.content.decode()
    assert (
        client.post("/staff/counter/", {**DETAILS, "identity_document": "other"}).status_code == 403
    )
    assert not AuditEntry.objects.filter(action="resident.list_viewed").exists()


def test_counter_session_pages_need_a_casework_role_still(
    catalog: Catalog, city: Municipality, clerk: Any
) -> None:
    """A clerk whose role was taken away no longer opens the sessions they started."""
    session = svc.counter_session_start(
        clerk=clerk, municipality=city, details=DETAILS, identity_document="driving_licence"
    )
    client = signed_in(clerk)
    assert client.get(f"/staff/counter/{session.pk}/").status_code == 200
    admin = make_staff(city, "admin@example.jp", role=Role.PLATFORM_ADMIN)
    for role in StaffRole.objects.filter(user=clerk):
        staff_role_revoke(actor=admin, staff_role=role)
    for path in (
        f"/staff/counter/{session.pk}/",
        f"/staff/counter/{session.pk}/summary/",
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "亀山 太郎" not in response.content.decode()
    assert client.post(f"/staff/counter/{session.pk}/plan/", {"event": "moving"}).status_code == 403


def test_the_counter_search_is_audited_with_its_purpose_and_count(
    catalog: Catalog, city: Municipality, clerk: Any
) -> None:
    hanako = make_resident(city)
    make_resident(city, "hanako2@example.jp")
    response = signed_in(clerk).get("/staff/counter/?q=花子")
    assert response.status_code == 200
    assert "亀山 花子" in response.content.decode()
    entry = AuditEntry.objects.get(action="resident.list_viewed")
    assert entry.actor_id == clerk.pk
    assert entry.municipality_id == city.pk
    assert entry.data["purpose"] == "counter_lookup"
    assert entry.data["count"] == 2
    assert str(hanako.pk) in entry.data["residents"]
    assert "花子" not in str(entry.data)  # the search text itself is not kept
    signed_in(clerk).get("/staff/counter/")  # no search: nothing shown, nothing logged
    assert AuditEntry.objects.filter(action="resident.list_viewed").count() == 1
