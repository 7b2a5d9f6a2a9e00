"""One municipality cannot read or change another's procedures, drafts or applications.

亀山市 (the `catalog` fixture) is served on ``testserver``; 鈴鹿市 (`other_city`) on
``suzuka.example.jp`` with no procedures of its own.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client

from machi.core.models import AuditEntry, Municipality, Role, User
from machi.procedures import tokens
from machi.procedures.models import Draft, Procedure, Submission, SubmissionStatus
from machi.procedures.services import drafts, submissions
from machi.procedures.services.catalog import procedure_save
from machi.testing.applications import (
    Catalog,
    fill_gomi,
    make_resident,
    signed_in,
    start,
    submit,
)
from machi.testing.factories import CategoryFactory, DepartmentFactory
from machi.testing.fixtures import make_staff

pytestmark = pytest.mark.django_db

SUZUKA = "suzuka.example.jp"


@pytest.fixture(autouse=True)
def _suzuka_is_served(settings: Any) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, SUZUKA, "testserver"]


@pytest.fixture
def suzuka(catalog: Catalog, other_city: Municipality) -> Client:
    return Client(HTTP_HOST=SUZUKA)


def submitted_gomi(client: Client) -> Submission:
    base = start(client, "gomi")
    fill_gomi(client, base)
    assert submit(client, base).status_code == 302
    return Submission.objects.latest("submitted_at")


# --- The catalog of one city is not shown on another's host ---


def test_catalog_page_of_the_other_city_shows_none_of_these_procedures(
    catalog: Catalog, suzuka: Client
) -> None:
    shown = ("ごみ・くらし", "届出・証明", "/procedures/categories/", "/procedures/life-events/")
    here = Client().get("/procedures/").content.decode()
    assert all(text in here for text in shown)  # the control: 亀山市 shows them
    response = suzuka.get("/procedures/")
    assert response.status_code == 200
    page = response.content.decode()
    assert [text for text in shown if text in page] == []


@pytest.mark.parametrize("query", ["粗大ごみ", "住民票", "引越し", "写真"])
def test_search_on_the_other_host_finds_nothing_here(
    catalog: Catalog, suzuka: Client, query: str
) -> None:
    here = Client().get("/procedures/", {"q": query}).content.decode()
    titles = [p.title for p in Procedure.objects.filter(municipality=catalog.city)]
    assert any(title in here for title in titles)
    page = suzuka.get("/procedures/", {"q": query}).content.decode()
    assert not [title for title in titles if title in page]


@pytest.mark.parametrize(
    "path",
    [
        "/procedures/gomi/",
        "/procedures/certificate/",
        "/procedures/categories/living/",
        "/procedures/categories/certificates/",
        "/procedures/life-events/moving/",
        "/procedures/life-events/moving/checklist.pdf",
    ],
)
def test_pages_of_this_city_are_404_on_the_other_host(
    catalog: Catalog, suzuka: Client, path: str
) -> None:
    assert Client().get(path).status_code == 200
    assert suzuka.get(path).status_code == 404


def test_api_of_the_other_host_lists_nothing_here(catalog: Catalog, suzuka: Client) -> None:
    assert len(Client().get("/api/v1/procedures/").json()) == 4
    assert suzuka.get("/api/v1/procedures/").json() == []
    assert suzuka.get("/api/v1/procedures/", {"q": "粗大ごみ"}).json() == []
    assert suzuka.get("/api/v1/procedures/", {"category": "living"}).json() == []
    assert suzuka.get(f"/api/v1/procedures/{catalog.gomi.pk}/").status_code == 404


def test_starting_this_citys_procedure_on_the_other_host_is_404(
    catalog: Catalog, suzuka: Client
) -> None:
    assert suzuka.post("/procedures/gomi/start/").status_code == 404
    assert not Draft.objects.exists()


# --- A draft or an application opened on the other host ---


def test_anonymous_draft_is_404_on_the_other_host_even_in_its_own_session(
    catalog: Catalog, other_city: Municipality
) -> None:
    client = Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    draft = Draft.objects.get()
    for path in ("/steps/items/", "/steps/where/", "/check/", "/save/"):
        assert client.get(f"{base}{path}").status_code == 200
        assert client.get(f"{base}{path}", HTTP_HOST=SUZUKA).status_code == 404
    changed = client.post(
        f"{base}/steps/where/",
        {"form_version": "1", "f-address": "三重県鈴鹿市神戸一丁目18-18", "f-day": "2099-01-06"},
        HTTP_HOST=SUZUKA,
    )
    assert changed.status_code == 404
    assert client.post(f"{base}/check/", {"form_version": "1"}, HTTP_HOST=SUZUKA).status_code == (
        404
    )
    assert client.post(f"{base}/delete/", HTTP_HOST=SUZUKA).status_code == 404
    draft.refresh_from_db()
    assert draft.answers["address"] == "三重県亀山市本丸町577"
    assert not Submission.objects.exists()


def test_residents_draft_is_404_on_the_other_host_for_its_owner(
    catalog: Catalog, other_city: Municipality
) -> None:
    owner = make_resident(catalog.city)
    client = signed_in(owner)
    base = start(client, "photo")
    assert client.get(f"{base}/steps/docs/").status_code == 200
    assert client.get(f"{base}/steps/docs/", HTTP_HOST=SUZUKA).status_code == 404
    assert client.post(f"{base}/delete/", HTTP_HOST=SUZUKA).status_code == 404
    assert Draft.objects.filter(owner=owner).exists()


@pytest.mark.parametrize("suffix", ["", "done/", "pdf/", "withdraw/", "correction/"])
def test_application_is_404_on_the_other_host_for_its_owner(
    catalog: Catalog, other_city: Municipality, suffix: str
) -> None:
    owner = make_resident(catalog.city)
    client = signed_in(owner)
    submission = submitted_gomi(client)
    url = f"/applications/{submission.pk}/{suffix}"
    assert client.get(url).status_code in (200, 302)
    assert client.get(url, HTTP_HOST=SUZUKA).status_code == 404


def test_application_cannot_be_withdrawn_from_the_other_host(
    catalog: Catalog, other_city: Municipality
) -> None:
    owner = make_resident(catalog.city)
    client = signed_in(owner)
    submission = submitted_gomi(client)
    page = client.post(f"/applications/{submission.pk}/withdraw/", HTTP_HOST=SUZUKA)
    assert page.status_code == 404
    api = client.post(f"/api/v1/me/submissions/{submission.pk}/withdraw/", HTTP_HOST=SUZUKA)
    assert api.status_code in (403, 404)
    assert client.get("/api/v1/me/submissions/", HTTP_HOST=SUZUKA).status_code in (403, 404)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RECEIVED


def test_anonymous_application_is_404_on_the_other_host(
    catalog: Catalog, other_city: Municipality
) -> None:
    client = Client()
    submission = submitted_gomi(client)
    assert client.get(f"/applications/{submission.pk}/").status_code == 200
    assert client.get(f"/applications/{submission.pk}/", HTTP_HOST=SUZUKA).status_code == 404


def test_mail_links_of_this_city_do_not_open_on_the_other_host(
    catalog: Catalog, other_city: Municipality
) -> None:
    client = Client()
    base = start(client, "gomi")
    draft = Draft.objects.get()
    submission = submitted_gomi(Client())
    resume = tokens.resume_token(draft)
    access = tokens.access_token(submission)
    stranger = Client(HTTP_HOST=SUZUKA)
    assert stranger.get(f"/applications/resume/{resume}/").status_code == 404
    assert stranger.get(f"/applications/access/{access}/").status_code == 404
    assert stranger.get(f"{base}/steps/items/").status_code == 404
    assert stranger.get(f"/applications/{submission.pk}/").status_code == 404


# --- Services refuse writes across municipalities ---


def test_draft_start_refuses_a_procedure_of_another_municipality(
    catalog: Catalog, other_city: Municipality
) -> None:
    with pytest.raises(PermissionDenied):
        drafts.draft_start(municipality=other_city, procedure=catalog.gomi, user=None)
    suzuka_resident = make_resident(other_city, email="suzuka@example.jp")
    with pytest.raises(PermissionDenied):
        drafts.draft_start(municipality=other_city, procedure=catalog.photo, user=suzuka_resident)
    assert not Draft.objects.exists()


def test_draft_start_refuses_a_resident_account_of_another_municipality(
    catalog: Catalog, other_city: Municipality
) -> None:
    outsider = make_resident(other_city, email="suzuka@example.jp")
    with pytest.raises(PermissionDenied):
        drafts.draft_start(municipality=catalog.city, procedure=catalog.photo, user=outsider)
    assert not Draft.objects.filter(owner=outsider).exists()


def test_submitting_a_draft_of_another_municipality_is_404(
    catalog: Catalog, other_city: Municipality
) -> None:
    client = Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    draft = Draft.objects.get()
    with pytest.raises(Http404):
        submissions.submission_create(
            municipality=other_city,
            draft_id=str(draft.pk),
            user=None,
            language="ja",
            portal_url="https://suzuka.example.jp",
        )
    assert not Submission.objects.exists()
    assert Draft.objects.filter(pk=draft.pk).exists()


def test_api_submission_service_refuses_a_procedure_of_another_municipality(
    catalog: Catalog, other_city: Municipality
) -> None:
    outsider = make_resident(other_city, email="suzuka@example.jp")
    with pytest.raises(PermissionDenied):
        submissions.submission_create_from_api(
            municipality=other_city,
            procedure=catalog.gomi,
            user=outsider,
            answers={},
            idempotency_key="k",
            language="ja",
            portal_url="https://suzuka.example.jp",
        )
    assert not Submission.objects.exists()


def test_procedure_save_refuses_a_department_or_category_of_another_municipality(
    catalog: Catalog, other_city: Municipality
) -> None:
    suzuka_department = DepartmentFactory(municipality=other_city, code="620", name="廃棄物対策課")
    suzuka_category = CategoryFactory(municipality=other_city, code="living", name="くらし")
    values = {"title": "テスト", "summary": "テスト"}
    with pytest.raises(PermissionDenied):
        procedure_save(
            actor=None,
            municipality=catalog.city,
            code="new",
            category=catalog.gomi.category,
            department=suzuka_department,
            values=values,
        )
    with pytest.raises(PermissionDenied):
        procedure_save(
            actor=None,
            municipality=catalog.city,
            code="new",
            category=suzuka_category,
            department=catalog.kankyo,
            values=values,
        )
    with pytest.raises(PermissionDenied):  # and 鈴鹿市 cannot take over 亀山市's gomi
        procedure_save(
            actor=None,
            municipality=other_city,
            code="gomi",
            category=catalog.gomi.category,
            department=catalog.kankyo,
            values=values,
        )
    catalog.gomi.refresh_from_db()
    assert catalog.gomi.title == "粗大ごみ収集の申込"
    assert not Procedure.objects.filter(code="new").exists()
    assert not Procedure.objects.filter(municipality=other_city).exists()


def test_catalog_admin_of_another_municipality_cannot_edit_this_catalog(
    catalog: Catalog, other_city: Municipality
) -> None:
    admin = make_staff(other_city, "admin@suzuka.example.jp", role=Role.PLATFORM_ADMIN)
    with pytest.raises(PermissionDenied):
        procedure_save(
            actor=admin,
            municipality=catalog.city,
            code="gomi",
            category=catalog.gomi.category,
            department=catalog.kankyo,
            values={"title": "乗っ取り"},
        )
    catalog.gomi.refresh_from_db()
    assert catalog.gomi.title == "粗大ごみ収集の申込"


def test_staff_of_another_municipality_cannot_read_or_move_an_application(
    catalog: Catalog, other_city: Municipality
) -> None:
    submission = submitted_gomi(Client())
    suzuka_department = DepartmentFactory(municipality=other_city, code="620", name="廃棄物対策課")
    outsider = make_staff(other_city, "clerk@suzuka.example.jp", department=suzuka_department)
    with pytest.raises(Http404):
        submissions.submission_staff_view(
            staff=outsider, municipality=other_city, submission_id=str(submission.pk)
        )
    with pytest.raises(PermissionDenied):
        submissions.submission_staff_view(
            staff=outsider, municipality=catalog.city, submission_id=str(submission.pk)
        )
    with pytest.raises(PermissionDenied):
        submissions.submission_status_change(
            actor=outsider, submission=submission, status=SubmissionStatus.COMPLETED
        )
    with pytest.raises(PermissionDenied):
        submissions.correction_request_create(
            actor=outsider, submission=submission, fields=["day"], message="日付を直してください"
        )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RECEIVED
    assert not submission.corrections.exists()


# --- Refused attempts in the same city are written to the audit log ---


def test_opening_someone_elses_draft_is_refused_and_audited(catalog: Catalog) -> None:
    owner = make_resident(catalog.city)
    base = start(signed_in(owner), "photo")
    draft = Draft.objects.get()
    intruder = make_resident(catalog.city, email="jiro@example.jp")

    response = signed_in(intruder).get(f"{base}/steps/docs/")

    assert response.status_code == 404
    entry = AuditEntry.objects.get(action="draft.access_refused")
    assert entry.actor_id == intruder.pk
    assert entry.target_id == str(draft.pk)
    assert entry.municipality_id == catalog.city.pk
    # An anonymous visitor is refused and recorded too.
    assert Client().get(f"{base}/check/").status_code == 404
    refused = AuditEntry.objects.filter(action="draft.access_refused").order_by("sequence")
    assert [(e.actor_id, e.target_id) for e in refused] == [
        (intruder.pk, str(draft.pk)),
        (None, str(draft.pk)),
    ]


def test_opening_someone_elses_application_is_refused_and_audited(catalog: Catalog) -> None:
    owner = make_resident(catalog.city)
    submission = submitted_gomi(signed_in(owner))
    intruder = make_resident(catalog.city, email="jiro@example.jp")
    client = signed_in(intruder)

    assert client.get(f"/applications/{submission.pk}/").status_code == 404
    assert client.post(f"/applications/{submission.pk}/withdraw/").status_code == 404

    refused = AuditEntry.objects.filter(action="submission.access_refused")
    assert refused.count() == 2
    assert {(e.actor_id, e.target_id) for e in refused} == {(intruder.pk, str(submission.pk))}
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RECEIVED


def test_owner_opening_their_own_draft_is_not_recorded_as_refused(catalog: Catalog) -> None:
    owner = make_resident(catalog.city)
    client = signed_in(owner)
    base = start(client, "photo")
    assert client.get(f"{base}/steps/docs/").status_code == 200
    assert not AuditEntry.objects.filter(action__endswith=".access_refused").exists()


def test_resident_only_sees_their_own_applications_listed(catalog: Catalog) -> None:
    owner = make_resident(catalog.city)
    submission = submitted_gomi(signed_in(owner))
    other: User = make_resident(catalog.city, email="jiro@example.jp")
    page = signed_in(other).get("/applications/").content.decode()
    assert str(submission.pk) not in page
    assert str(submission.pk) in signed_in(owner).get("/applications/").content.decode()
