"""Cases: every application lands in its department's queue in the same transaction;
clerks of that department (only) review, ask for corrections, decide, note and assign;
acting on a case that changed since the page was loaded is refused."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from machi.casework import services
from machi.casework.models import Case, CaseNote
from machi.casework.services import CaseChanged, case_token
from machi.core.models import AuditEntry, Municipality, Role, StaffNotification, User
from machi.procedures.models import Submission, SubmissionStatus
from machi.testing.applications import Catalog, fill_gomi, signed_in, start, submit
from machi.testing.fixtures import make_staff

pytestmark = pytest.mark.django_db


def _applied(catalog: Catalog, client: Client | None = None) -> tuple[Client, Case]:
    client = client or Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    assert submit(client, base).status_code == 302
    return client, Case.objects.select_related("submission").latest("received_at")


@pytest.fixture
def kankyo_clerk(catalog: Catalog, city: Municipality) -> User:
    return make_staff(city, "kankyo@example.jp", department=catalog.kankyo)


@pytest.fixture
def shimin_clerk(catalog: Catalog, city: Municipality) -> User:
    return make_staff(city, "shimin@example.jp", department=catalog.shimin)


def test_each_application_opens_a_case_in_its_department(catalog: Catalog) -> None:
    catalog.gomi.processing_days = 5
    catalog.gomi.save()
    _client, case = _applied(catalog)
    assert case.department == catalog.kankyo
    assert case.submission.status == SubmissionStatus.RECEIVED
    received = timezone.localtime(case.received_at).date()
    assert case.due_on is not None
    assert case.due_on > received
    assert Case.objects.count() == Submission.objects.count() == 1


def test_clerk_sees_only_their_departments_cases(
    catalog: Catalog, kankyo_clerk: User, shimin_clerk: User
) -> None:
    _client, case = _applied(catalog)
    mine = signed_in(kankyo_clerk).get("/staff/cases/")
    assert case.submission.reference_display in mine.content.decode()
    theirs = signed_in(shimin_clerk)
    assert case.submission.reference_display not in theirs.get("/staff/cases/").content.decode()
    assert theirs.get(f"/staff/cases/{case.pk}/").status_code == 403
    assert signed_in(kankyo_clerk).get(f"/staff/cases/{case.pk}/").status_code == 200


def test_every_view_of_a_case_is_audited(catalog: Catalog, kankyo_clerk: User) -> None:
    _client, case = _applied(catalog)
    client = signed_in(kankyo_clerk)
    for _ in range(2):
        assert client.get(f"/staff/cases/{case.pk}/").status_code == 200
    views = AuditEntry.objects.filter(action="submission.viewed", actor_id=kankyo_clerk.pk)
    assert views.count() == 2
    assert views.first().data["purpose"] == "case"  # type: ignore[union-attr]


def test_residents_never_see_internal_notes(catalog: Catalog, kankyo_clerk: User) -> None:
    resident_client, case = _applied(catalog)
    services.case_note_add(
        actor=kankyo_clerk, case=case, body="申込者に電話で確認済み", version=case_token(case)
    )
    page = resident_client.get(f"/applications/{case.submission_id}/").content.decode()
    assert "申込者に電話で確認済み" not in page
    staff_page = signed_in(kankyo_clerk).get(f"/staff/cases/{case.pk}/").content.decode()
    assert "申込者に電話で確認済み" in staff_page
    assert resident_client.get(f"/staff/cases/{case.pk}/").status_code in (302, 403)


def test_mentioned_colleague_is_notified(
    catalog: Catalog, city: Municipality, kankyo_clerk: User, shimin_clerk: User
) -> None:
    _client, case = _applied(catalog)
    colleague = make_staff(city, "sato.kankyo@example.jp", department=catalog.kankyo)
    services.case_note_add(
        actor=kankyo_clerk,
        case=case,
        body="@sato.kankyo 収集日の調整をお願いします。@shimin も参考に。",
        version=case_token(case),
    )
    [notice] = StaffNotification.objects.filter(recipient=colleague)
    assert case.submission.reference_display in notice.message
    assert notice.link == f"/staff/cases/{case.pk}/"
    # 市民課 cannot open this case, so it is not told about it.
    assert not StaffNotification.objects.filter(recipient=shimin_clerk).exists()
    page = signed_in(colleague).get("/staff/notifications/").content.decode()
    assert notice.message in page
    assert CaseNote.objects.get().body.startswith("@sato.kankyo")


def test_review_correction_and_decision_reach_the_resident(
    catalog: Catalog, kankyo_clerk: User
) -> None:
    resident_client, case = _applied(catalog)
    client = signed_in(kankyo_clerk)

    def act(action: str, **data: Any) -> Any:
        case.refresh_from_db()
        case.submission.refresh_from_db()
        return client.post(
            f"/staff/cases/{case.pk}/{action}/", {"version": case_token(case), **data}
        )

    assert act("review").status_code == 302
    assert (
        act("correction", fields=["address"], message="番地まで書いてください").status_code == 302
    )
    status_page = resident_client.get(f"/applications/{case.submission_id}/").content.decode()
    assert "番地まで書いてください" in status_page
    answered = resident_client.post(
        f"/applications/{case.submission_id}/correction/",
        {"f-address": "三重県亀山市本丸町577番地"},
    )
    assert answered.status_code == 302
    staff_page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "三重県亀山市本丸町577番地" in staff_page  # the change, before and after
    rejected_without_reason = act("decide", decision="reject", reason="")
    assert rejected_without_reason.status_code == 400
    assert act("decide", decision="approve", reason="12月20日に収集します。").status_code == 302
    case.submission.refresh_from_db()
    assert case.submission.status == SubmissionStatus.COMPLETED
    assert (
        "12月20日に収集します。"
        in resident_client.get(f"/applications/{case.submission_id}/").content.decode()
    )
    assert AuditEntry.objects.filter(action="case.approved", actor_id=kankyo_clerk.pk).exists()


def test_acting_on_a_stale_page_is_refused(
    catalog: Catalog, city: Municipality, kankyo_clerk: User
) -> None:
    _client, case = _applied(catalog)
    other = make_staff(city, "other.kankyo@example.jp", department=catalog.kankyo)
    seen = case_token(case)
    services.case_start_review(actor=other, case=case, version=seen)
    with pytest.raises(CaseChanged):
        services.case_decide(
            actor=kankyo_clerk, case=case, decision="approve", reason="", version=seen
        )
    response = signed_in(kankyo_clerk).post(
        f"/staff/cases/{case.pk}/decide/", {"version": seen, "decision": "approve"}, follow=True
    )
    assert (
        "reload" in response.content.decode().lower() or "再読み込み" in response.content.decode()
    )
    case.submission.refresh_from_db()
    assert case.submission.status == SubmissionStatus.UNDER_REVIEW


def test_resident_withdrawal_makes_the_clerks_page_stale(
    catalog: Catalog, kankyo_clerk: User
) -> None:
    resident_client, case = _applied(catalog)
    seen = case_token(case)
    resident_client.post(f"/applications/{case.submission_id}/withdraw/")
    with pytest.raises(CaseChanged):
        services.case_decide(
            actor=kankyo_clerk, case=case, decision="approve", reason="", version=seen
        )


def test_assignment_and_checklist(
    catalog: Catalog, city: Municipality, kankyo_clerk: User, shimin_clerk: User
) -> None:
    catalog.gomi.review_checklist = ["品目を確認した", "収集日を連絡した"]
    catalog.gomi.save()
    _client, case = _applied(catalog)
    with pytest.raises(ValidationError):
        services.case_assign(
            actor=kankyo_clerk, case=case, assignee=shimin_clerk, version=case_token(case)
        )
    case = services.case_assign(
        actor=kankyo_clerk, case=case, assignee=kankyo_clerk, version=case_token(case)
    )
    case = services.case_checklist_mark(
        actor=kankyo_clerk, case=case, item=1, done=True, version=case_token(case)
    )
    case.refresh_from_db()
    assert case.assignee == kankyo_clerk
    assert case.checklist["1"]["done"] is True
    listing = signed_in(kankyo_clerk).get("/staff/cases/?mine=1").content.decode()
    assert case.submission.reference_display in listing
    with pytest.raises(ValidationError):
        services.case_checklist_mark(
            actor=kankyo_clerk, case=case, item=5, done=True, version=case_token(case)
        )


def test_other_departments_and_roles_cannot_act(
    catalog: Catalog, city: Municipality, shimin_clerk: User
) -> None:
    _client, case = _applied(catalog)
    adviser = make_staff(city, "adviser@example.jp", role=Role.DIGITAL_ADVISOR)
    for actor in (shimin_clerk, adviser):
        with pytest.raises(PermissionDenied):
            services.case_start_review(actor=actor, case=case, version=case_token(case))
        assert (
            signed_in(actor)
            .post(f"/staff/cases/{case.pk}/review/", {"version": case_token(case)})
            .status_code
            == 403
        )


def test_filters_and_overdue(catalog: Catalog, kankyo_clerk: User) -> None:
    _client, late = _applied(catalog)
    _client2, fresh = _applied(catalog)
    Case.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    Case.objects.filter(pk=fresh.pk).update(due_on=timezone.localdate() + dt.timedelta(days=3))
    client = signed_in(kankyo_clerk)
    page = client.get("/staff/cases/?overdue=1").content.decode()
    assert late.submission.reference_display in page
    assert fresh.submission.reference_display not in page
    all_page = client.get("/staff/cases/").content.decode()
    assert 'class="is-overdue"' in all_page
    bad = client.get("/staff/cases/?from=令和8年13月1日")
    assert bad.status_code == 400
    today = timezone.localdate()
    wareki = client.get(f"/staff/cases/?from=R{today.year - 2018}.{today.month}.{today.day}")
    assert wareki.status_code == 200
    completed = client.get("/staff/cases/?status=completed").content.decode()
    assert late.submission.reference_display not in completed
    assert fresh.submission.reference_display not in completed


def test_another_municipality_never_sees_the_case(
    catalog: Catalog, other_city: Municipality, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["testserver", "suzuka.example.jp"]
    _client, case = _applied(catalog)
    outsider = make_staff(other_city, "clerk@suzuka.example.jp", role=Role.PLATFORM_ADMIN)
    client = Client(HTTP_HOST="suzuka.example.jp")
    client.force_login(outsider)
    assert case.submission.reference_display not in client.get("/staff/cases/").content.decode()
    assert client.get(f"/staff/cases/{case.pk}/").status_code in (403, 404)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_two_clerks_deciding_at_once_one_wins_one_is_told(
    catalog: Catalog, city: Municipality
) -> None:
    _client, case = _applied(catalog)
    first = make_staff(city, "first.kankyo@example.jp", department=catalog.kankyo)
    second = make_staff(city, "second.kankyo@example.jp", department=catalog.kankyo)
    seen = case_token(case)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def decide(actor: User, decision: str) -> None:
        from django.db import connections

        barrier.wait()
        try:
            services.case_decide(
                actor=actor, case=case, decision=decision, reason="理由", version=seen
            )
            outcomes.append(decision)
        except CaseChanged:
            outcomes.append("stale")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(first, "approve")),
        threading.Thread(target=decide, args=(second, "reject")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[-1] == "stale"
    assert outcomes.count("stale") == 1
    case.submission.refresh_from_db()
    won = next(o for o in outcomes if o != "stale")
    expected = SubmissionStatus.COMPLETED if won == "approve" else SubmissionStatus.REJECTED
    assert case.submission.status == expected
    assert case.submission.events.filter(status=expected).count() == 1


def test_procedure_settings_for_the_back_office_are_checked(catalog: Catalog) -> None:
    from machi.procedures.services.catalog import procedure_save

    values = {"processing_days": 5, "review_checklist": ["確認した"], "summary": "x", "title": "t"}
    saved = procedure_save(
        actor=None,
        municipality=catalog.city,
        code="gomi",
        category=catalog.gomi.category,
        department=catalog.kankyo,
        values={**values, "decision_templates": {"approve": ["収集します。"]}},
    )
    assert saved.decision_templates == {"approve": ["収集します。"]}
    with pytest.raises(ValidationError):
        procedure_save(
            actor=None,
            municipality=catalog.city,
            code="gomi",
            category=catalog.gomi.category,
            department=catalog.kankyo,
            values={**values, "decision_templates": {"maybe": ["?"]}},
        )
    page = Client().get("/procedures/gomi/").content.decode()
    assert "5" in page and ("business days" in page or "開庁日" in page or "営業日" in page)


def _copies(case: Case, count: int) -> list[Case]:
    """``count`` more applications like ``case``, one hour apart going back (bulk, as an
    import from a long-running office would leave them)."""
    from machi.core.reference import new_reference

    made = []
    for n in range(1, count + 1):
        submission = Submission.objects.get(pk=case.submission_id)
        submission.pk = None
        submission.id = uuid.uuid4()
        submission.reference = new_reference()
        submission.idempotency_key = f"copy:{n}"
        submission.submitted_at = case.received_at - dt.timedelta(hours=n)
        submission.save()
        made.append(
            Case.objects.create(
                municipality=case.municipality,
                submission=submission,
                procedure=case.procedure,
                department=case.department,
                received_at=submission.submitted_at,
                due_on=case.due_on,
            )
        )
    return made


def test_long_queue_pages_newest_first_with_a_fixed_number_of_queries(
    catalog: Catalog, kankyo_clerk: User
) -> None:
    _client, newest = _applied(catalog)
    client = signed_in(kankyo_clerk)
    client.get("/staff/cases/")
    with CaptureQueriesContext(connection) as short_queue:
        assert client.get("/staff/cases/").status_code == 200
    older = _copies(newest, 59)
    with CaptureQueriesContext(connection) as long_queue:
        first = client.get("/staff/cases/").content.decode()
    assert len(long_queue) == len(short_queue)
    assert "60件" in first
    assert newest.submission.reference_display in first
    assert older[48].submission.reference_display in first  # the 50th newest
    assert older[49].submission.reference_display not in first
    second = client.get("/staff/cases/?page=2").content.decode()
    assert older[49].submission.reference_display in second
    assert older[-1].submission.reference_display in second
    assert newest.submission.reference_display not in second
    beyond = client.get("/staff/cases/?page=99").content.decode()  # past the end: last page
    assert older[-1].submission.reference_display in beyond


def test_attached_pdf_and_picture_open_inside_the_case_page(
    catalog: Catalog, city: Municipality
) -> None:
    from machi.testing.applications import (
        Applying,
        make_resident,
        named,
        pdf_bytes,
        png_bytes,
        upload,
    )

    resident = make_resident(city)
    resident_client = signed_in(resident)
    applying = Applying(resident, resident_client, start(resident_client, "photo"))
    files = [
        named("住民票.pdf", pdf_bytes(), "application/pdf"),
        named("庭.png", png_bytes((40, 20))),
    ]
    assert upload(applying, *files).status_code == 302
    assert submit(resident_client, applying.base).status_code == 302
    case = Case.objects.select_related("submission").get()
    clerk = signed_in(make_staff(city, "files@example.jp", department=case.department))
    page = clerk.get(f"/staff/cases/{case.pk}/")
    html = page.content.decode()
    urls = {
        a.name: reverse("casework:attachment", kwargs={"case_id": case.pk, "attachment_id": a.pk})
        for a in case.submission.attachments.all()
    }
    assert f'<iframe src="{urls["住民票.pdf"]}" title="住民票.pdf"' in html
    assert f'<img src="{urls["庭.png"]}" alt="庭.png"' in html
    assert page["X-Frame-Options"] == "DENY"  # the case page itself is never framed
    pdf = clerk.get(urls["住民票.pdf"])
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline")
    assert pdf["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in pdf["Content-Security-Policy"]
    assert Client().get(urls["住民票.pdf"]).status_code == 302  # signed-out: to sign-in
