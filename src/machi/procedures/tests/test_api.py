"""The JSON API under /api/v1/: the public catalog, and a signed-in resident's own
applications (submit once with an Idempotency-Key, follow, withdraw)."""

from __future__ import annotations

import copy
import uuid
from typing import Any

import pytest
from django.test import Client

from machi.core.models import AuditEntry, Municipality, User
from machi.core.reference import format_reference
from machi.procedures.models import Channel, Submission, SubmissionStatus
from machi.procedures.services.catalog import form_definition_publish, procedure_save
from machi.testing.applications import Catalog, make_resident, signed_in
from machi.testing.fixtures import make_staff

pytestmark = pytest.mark.django_db

GOMI = {
    "items": [{"item": "sofa", "count": 1}, {"item": "bicycle", "count": 2}],
    "address": "三重県亀山市本丸町577",
    "day": "2099-01-05",
    "delivery": "mail",
    "email": "taro@example.jp",
}
PROCEDURE_PATHS = {
    "/api/v1/procedures/",
    "/api/v1/procedures/{procedure_id}/",
    "/api/v1/procedures/{procedure_id}/submissions/",
    "/api/v1/me/submissions/",
    "/api/v1/me/submissions/{submission_id}/",
    "/api/v1/me/submissions/{submission_id}/withdraw/",
}


def gomi(**changes: Any) -> dict[str, Any]:
    answers = copy.deepcopy(GOMI)
    answers.update(changes)
    return {key: value for key, value in answers.items() if value is not None}


def post_answers(
    client: Client, procedure_id: object, answers: dict[str, Any], key: str | None = "key-1"
) -> Any:
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return client.post(
        f"/api/v1/procedures/{procedure_id}/submissions/",
        {"answers": answers},
        content_type="application/json",
        **headers,
    )


def problem_fields(response: Any) -> list[str]:
    return [p["field"] for p in response.json().get("problems", [])]


@pytest.fixture
def hanako(catalog: Catalog) -> User:
    return make_resident(catalog.city)


@pytest.fixture
def verified(catalog: Catalog) -> User:
    return make_resident(
        catalog.city,
        email="verified@example.jp",
        name="亀山 花子",
        address="三重県亀山市本丸町577",
        birthdate="1990-04-01",
    )


# --- The public catalog ---


def test_procedure_list_is_public_and_lists_this_citys_published_procedures(
    catalog: Catalog,
) -> None:
    response = Client().get("/api/v1/procedures/")
    assert response.status_code == 200
    found = {p["code"]: p for p in response.json()}
    assert set(found) == {"gomi", "certificate", "photo", "moving-out"}
    gomi_entry = found["gomi"]
    assert gomi_entry["id"] == str(catalog.gomi.pk)
    assert gomi_entry["title"] == "粗大ごみ収集の申込"
    assert gomi_entry["title_en"] == "Large waste collection"
    assert gomi_entry["category"]["code"] == "living"
    assert gomi_entry["category"]["name"] == "ごみ・くらし"
    assert gomi_entry["department"] == "環境課"
    assert gomi_entry["online"] is True
    assert gomi_entry["identity_level"] == "anonymous"
    assert gomi_entry["url"] == "/procedures/gomi/"
    assert found["moving-out"]["online"] is False  # counter only
    assert found["certificate"]["identity_level"] == "verified"


def test_unpublished_procedure_is_not_listed_nor_shown(catalog: Catalog) -> None:
    procedure_save(
        actor=None,
        municipality=catalog.city,
        code="gomi",
        category=catalog.gomi.category,
        department=catalog.kankyo,
        values={"is_published": False},
    )
    codes = [p["code"] for p in Client().get("/api/v1/procedures/").json()]
    assert "gomi" not in codes
    assert Client().get(f"/api/v1/procedures/{catalog.gomi.pk}/").status_code == 404
    searched = Client().get("/api/v1/procedures/", {"q": "粗大ごみ"}).json()
    assert "gomi" not in [p["code"] for p in searched]


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("粗大ごみ", "gomi"),
        ("そだいごみ", "gomi"),
        ("住民票", "certificate"),
        ("引越し", "moving-out"),
    ],
)
def test_q_searches_in_japanese(catalog: Catalog, query: str, expected_first: str) -> None:
    response = Client().get("/api/v1/procedures/", {"q": query})
    assert response.status_code == 200
    codes = [p["code"] for p in response.json()]
    assert codes and codes[0] == expected_first, codes


def test_q_without_a_match_lists_nothing(catalog: Catalog) -> None:
    assert Client().get("/api/v1/procedures/", {"q": "宇宙旅行"}).json() == []


def test_category_filters(catalog: Catalog) -> None:
    certificates = Client().get("/api/v1/procedures/", {"category": "certificates"}).json()
    assert {p["code"] for p in certificates} == {"certificate", "moving-out"}
    living = Client().get("/api/v1/procedures/", {"category": "living"}).json()
    assert {p["code"] for p in living} == {"gomi", "photo"}
    assert Client().get("/api/v1/procedures/", {"category": "nothing"}).json() == []
    both = Client().get("/api/v1/procedures/", {"category": "living", "q": "粗大ごみ"}).json()
    assert both[0]["code"] == "gomi"
    assert {p["category"]["code"] for p in both} == {"living"}
    only_certificates = (
        Client().get("/api/v1/procedures/", {"category": "certificates", "q": "粗大ごみ"}).json()
    )
    assert "gomi" not in [p["code"] for p in only_certificates]


def test_procedure_detail_includes_the_form_and_its_version(catalog: Catalog) -> None:
    response = Client().get(f"/api/v1/procedures/{catalog.gomi.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["code"] == "gomi"
    assert data["fee"] == "品目により異なります"
    assert data["form"]["version"] == 1
    definition = data["form"]["definition"]
    assert definition["format"] == "machi-form/1"
    assert [s["key"] for s in definition["steps"]] == ["items", "where"]
    assert definition["computed"][0]["key"] == "fee"

    changed = copy.deepcopy(catalog.gomi.current_form.definition)  # type: ignore[union-attr]
    changed["steps"][1]["title"] = "収集の場所と日"
    form_definition_publish(actor=None, procedure=catalog.gomi, definition=changed)
    again = Client().get(f"/api/v1/procedures/{catalog.gomi.pk}/").json()
    assert again["form"]["version"] == 2
    assert again["form"]["definition"]["steps"][1]["title"] == "収集の場所と日"


def test_counter_only_procedure_has_no_form(catalog: Catalog) -> None:
    moving_out = catalog.gomi.municipality.procedures.get(code="moving-out")
    data = Client().get(f"/api/v1/procedures/{moving_out.pk}/").json()
    assert data["online"] is False
    assert data["form"] is None


def test_unknown_procedure_is_404(catalog: Catalog) -> None:
    assert Client().get(f"/api/v1/procedures/{uuid.uuid4()}/").status_code == 404
    assert Client().get("/api/v1/procedures/gomi/").status_code == 404


@pytest.mark.parametrize(
    "request_kwargs",
    [{"data": {"format": "json"}}, {"HTTP_ACCEPT": "application/vnd.oai.openapi+json"}],
)
def test_openapi_schema_has_every_procedures_path(
    catalog: Catalog, request_kwargs: dict[str, Any]
) -> None:
    response = Client().get("/api/schema/", **request_kwargs)
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= PROCEDURE_PATHS, sorted(schema["paths"])
    create = schema["paths"]["/api/v1/procedures/{procedure_id}/submissions/"]["post"]
    header = [p for p in create["parameters"] if p["in"] == "header"]
    assert [(p["name"], p["required"]) for p in header] == [("Idempotency-Key", True)]
    assert {"200", "201", "400", "403", "409"} <= set(create["responses"])
    assert "post" in schema["paths"]["/api/v1/me/submissions/{submission_id}/withdraw/"]


# --- A resident's own applications ---


def test_my_submissions_needs_a_signed_in_resident(catalog: Catalog, clerk: User) -> None:
    assert Client().get("/api/v1/me/submissions/").status_code in (401, 403)
    anonymous_post = post_answers(Client(), catalog.gomi.pk, gomi())
    assert anonymous_post.status_code in (401, 403)
    staff = Client()
    staff.force_login(clerk)
    assert staff.get("/api/v1/me/submissions/").status_code == 403
    assert post_answers(staff, catalog.gomi.pk, gomi()).status_code == 403
    assert not Submission.objects.exists()


def test_my_submissions_lists_only_my_own(catalog: Catalog, hanako: User) -> None:
    jiro = make_resident(catalog.city, email="jiro@example.jp")
    mine = post_answers(signed_in(hanako), catalog.gomi.pk, gomi()).json()
    theirs = post_answers(signed_in(jiro), catalog.gomi.pk, gomi(email="jiro@example.jp")).json()

    listed = signed_in(hanako).get("/api/v1/me/submissions/")
    assert listed.status_code == 200
    assert [s["id"] for s in listed.json()] == [mine["id"]]
    assert [s["id"] for s in signed_in(jiro).get("/api/v1/me/submissions/").json()] == [
        theirs["id"]
    ]
    assert (
        signed_in(make_resident(catalog.city, email="new@example.jp"))
        .get("/api/v1/me/submissions/")
        .json()
        == []
    )


def test_submitting_returns_201_with_reference_and_status(catalog: Catalog, hanako: User) -> None:
    response = post_answers(signed_in(hanako), catalog.gomi.pk, gomi(), key="a1b2")
    assert response.status_code == 201, response.json()
    data = response.json()
    submission = Submission.objects.get()
    assert data["id"] == str(submission.pk)
    assert data["reference"] == format_reference(submission.reference)
    assert data["status"] == SubmissionStatus.RECEIVED
    assert data["finished"] is False
    assert data["form_version"] == 1
    assert data["computed"] == {"fee": 2000}
    assert data["channel"] == Channel.API
    assert data["procedure"]["code"] == "gomi"
    assert [e["kind"] for e in data["events"]] == ["received"]
    assert submission.applicant == hanako
    assert submission.answers["items"] == GOMI["items"]
    assert submission.contact_email == "taro@example.jp"
    # The resident also follows it on the status page.
    page = signed_in(hanako).get(f"/applications/{submission.pk}/")
    assert page.status_code == 200
    assert format_reference(submission.reference) in page.content.decode()


def test_same_key_and_body_returns_the_first_submission(catalog: Catalog, hanako: User) -> None:
    client = signed_in(hanako)
    first = post_answers(client, catalog.gomi.pk, gomi(), key="retry-1")
    again = post_answers(client, catalog.gomi.pk, gomi(), key="retry-1")
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["reference"] == first.json()["reference"]
    assert Submission.objects.count() == 1
    assert AuditEntry.objects.filter(action="submission.created").count() == 1


def test_same_key_with_another_body_is_409(catalog: Catalog, hanako: User) -> None:
    client = signed_in(hanako)
    assert post_answers(client, catalog.gomi.pk, gomi(), key="k").status_code == 201
    other = post_answers(client, catalog.gomi.pk, gomi(day="2099-02-01"), key="k")
    assert other.status_code == 409
    assert "Idempotency-Key" in other.json()["detail"]
    assert Submission.objects.count() == 1
    assert Submission.objects.get().answers["day"] == "2099-01-05"


def test_idempotency_keys_are_per_resident(catalog: Catalog, hanako: User) -> None:
    jiro = make_resident(catalog.city, email="jiro@example.jp")
    first = post_answers(signed_in(hanako), catalog.gomi.pk, gomi(), key="same")
    second = post_answers(signed_in(jiro), catalog.gomi.pk, gomi(), key="same")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]


@pytest.mark.parametrize("key", [None, "", "   ", "k" * 256])
def test_missing_or_bad_idempotency_key_is_400(
    catalog: Catalog, hanako: User, key: str | None
) -> None:
    response = post_answers(signed_in(hanako), catalog.gomi.pk, gomi(), key=key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert not Submission.objects.exists()


def test_longest_idempotency_key_is_accepted(catalog: Catalog, hanako: User) -> None:
    response = post_answers(signed_in(hanako), catalog.gomi.pk, gomi(), key="k" * 255)
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("answers", "named"),
    [
        (gomi(phone="0595-82-1111"), "phone"),  # delivery is mail: phone does not apply
        (gomi(favourite_colour="赤"), "favourite_colour"),
        (gomi(items=[{"item": "sofa", "count": 1, "colour": "red"}]), "items[0].colour"),
        (gomi(fee=0), "fee"),  # computed by the city, never sent
    ],
)
def test_answer_that_is_not_asked_is_refused_by_name(
    catalog: Catalog, hanako: User, answers: dict[str, Any], named: str
) -> None:
    response = post_answers(signed_in(hanako), catalog.gomi.pk, answers)
    assert response.status_code == 400
    assert named in problem_fields(response)
    assert not Submission.objects.exists()


def test_missing_answers_are_listed(catalog: Catalog, hanako: User) -> None:
    response = post_answers(signed_in(hanako), catalog.gomi.pk, {"delivery": "mail"})
    assert response.status_code == 400
    fields = problem_fields(response)
    assert {"items", "address", "day", "email"} <= set(fields), fields
    assert all(p["message"] for p in response.json()["problems"])
    assert not Submission.objects.exists()


def test_wrong_answers_are_listed_with_their_path(catalog: Catalog, hanako: User) -> None:
    answers = gomi(items=[{"item": "piano", "count": 9}], day="2000-01-01", email="not-mail")
    response = post_answers(signed_in(hanako), catalog.gomi.pk, answers)
    assert response.status_code == 400
    fields = set(problem_fields(response))
    assert {"items[0].item", "items[0].count", "day", "email"} <= fields, fields


def test_files_cannot_be_sent_through_the_api(catalog: Catalog, hanako: User) -> None:
    response = post_answers(
        signed_in(hanako), catalog.photo.pk, {"note": "写真", "files": [str(uuid.uuid4())]}
    )
    assert response.status_code == 400
    assert "files" in problem_fields(response)


def test_unknown_procedure_for_submitting_is_404(catalog: Catalog, hanako: User) -> None:
    assert post_answers(signed_in(hanako), uuid.uuid4(), gomi()).status_code == 404


def test_counter_only_procedure_is_refused(catalog: Catalog, hanako: User) -> None:
    moving_out = catalog.city.procedures.get(code="moving-out")
    response = post_answers(signed_in(hanako), moving_out.pk, {})
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_verified_procedure_is_403_for_a_resident_not_verified(
    catalog: Catalog, hanako: User
) -> None:
    response = post_answers(signed_in(hanako), catalog.certificate.pk, {"copies": 1})
    assert response.status_code == 403
    assert "verified" in response.json()["detail"]
    assert not Submission.objects.exists()


def test_verified_resident_submits_with_the_verified_values(
    catalog: Catalog, verified: User
) -> None:
    response = post_answers(signed_in(verified), catalog.certificate.pk, {"copies": 2})
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["answers"]["name"] == "亀山 花子"
    assert data["answers"]["address"] == "三重県亀山市本丸町577"
    assert data["answers"]["birthdate"] == "1990-04-01"
    assert data["computed"] == {"fee": 600}
    submission = Submission.objects.get()
    assert submission.identity_level == "verified"
    assert {"name", "address", "birthdate"} <= set(submission.verified_fields)


@pytest.mark.parametrize("field", ["name", "address", "birthdate"])
def test_posting_a_verified_answer_is_refused(catalog: Catalog, verified: User, field: str) -> None:
    answers = {"copies": 1, "name": "別の 名前", "address": "東京都", "birthdate": "2000-01-01"}
    response = post_answers(
        signed_in(verified), catalog.certificate.pk, {"copies": 1, field: answers[field]}
    )
    assert response.status_code == 400
    assert problem_fields(response) == [field]
    assert not Submission.objects.exists()


# --- Reading and withdrawing one's own application ---


def test_detail_and_withdraw(catalog: Catalog, hanako: User) -> None:
    client = signed_in(hanako)
    created = post_answers(client, catalog.gomi.pk, gomi()).json()
    url = f"/api/v1/me/submissions/{created['id']}/"

    detail = client.get(url)
    assert detail.status_code == 200
    assert detail.json()["reference"] == created["reference"]
    assert detail.json()["correction"] is None

    withdrawn = client.post(f"{url}withdraw/")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["finished"] is True
    assert [e["kind"] for e in withdrawn.json()["events"]] == ["received", "withdrawn"]
    assert Submission.objects.get().status == SubmissionStatus.WITHDRAWN

    again = client.post(f"{url}withdraw/")
    assert again.status_code == 409
    assert again.json()["detail"]
    assert client.get(url).json()["status"] == "withdrawn"


def test_another_residents_submission_is_404(catalog: Catalog, hanako: User) -> None:
    created = post_answers(signed_in(hanako), catalog.gomi.pk, gomi()).json()
    url = f"/api/v1/me/submissions/{created['id']}/"
    stranger = signed_in(make_resident(catalog.city, email="jiro@example.jp"))
    assert stranger.get(url).status_code == 404
    assert stranger.post(f"{url}withdraw/").status_code == 404
    assert Submission.objects.get().status == SubmissionStatus.RECEIVED
    assert Client().get(url).status_code in (401, 403)
    assert Client().post(f"{url}withdraw/").status_code in (401, 403)


def test_unknown_submission_is_404(catalog: Catalog, hanako: User) -> None:
    client = signed_in(hanako)
    assert client.get(f"/api/v1/me/submissions/{uuid.uuid4()}/").status_code == 404
    assert client.post(f"/api/v1/me/submissions/{uuid.uuid4()}/withdraw/").status_code == 404


def test_resident_of_another_city_is_refused_here(
    catalog: Catalog, other_city: Municipality
) -> None:
    outsider = make_resident(other_city, email="suzuka@example.jp")
    client = signed_in(outsider)
    assert client.get("/api/v1/me/submissions/").status_code == 403
    assert post_answers(client, catalog.gomi.pk, gomi()).status_code == 403
    assert not Submission.objects.exists()


def test_staff_of_this_city_cannot_submit_as_a_resident(catalog: Catalog) -> None:
    admin = make_staff(catalog.city, "admin@kameyama.example.jp", role="platform_admin")
    client = Client()
    client.force_login(admin)
    assert post_answers(client, catalog.gomi.pk, gomi()).status_code == 403
    assert not Submission.objects.exists()
