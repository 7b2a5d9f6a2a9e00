"""The submission API's refusals: every 400 is the documented ``{code, detail, problems}``,
JSON nested too deeply or too large is refused with a clear message, and text PostgreSQL
cannot store (NUL) or Python cannot encode (lone surrogates) is refused, never a 500, with
nothing saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from machi.core.models import User
from machi.procedures.models import Submission
from machi.procedures.tests.test_api import gomi
from machi.testing.applications import Catalog, make_resident, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def hanako(catalog: Catalog) -> User:
    return make_resident(catalog.city)


def _post_raw(client: Client, procedure_id: object, body: str | bytes) -> Any:
    return client.post(
        f"/api/v1/procedures/{procedure_id}/submissions/",
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="key-1",
    )


def _is_error_body(response: Any, code: str) -> dict[str, Any]:
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code, body
    assert isinstance(body["detail"], str) and body["detail"]
    return body  # type: ignore[no-any-return]


def test_answers_that_are_not_an_object_get_the_documented_error_body(
    catalog: Catalog, hanako: User
) -> None:
    response = _post_raw(signed_in(hanako), catalog.gomi.pk, '{"answers": ["sofa"]}')
    assert response.status_code == 400
    body = _is_error_body(response, "invalid")
    assert [p["field"] for p in body["problems"]] == ["answers"]
    assert all(p["message"] for p in body["problems"])
    assert not Submission.objects.exists()


def test_answers_nested_fifty_thousand_levels_are_refused(catalog: Catalog, hanako: User) -> None:
    deep = '{"answers": {"items": ' + "[" * 50_000 + "]" * 50_000 + "}}"
    response = _post_raw(signed_in(hanako), catalog.gomi.pk, deep)
    assert response.status_code == 400
    detail = _is_error_body(response, "too_deep")["detail"]
    assert "入れ子" in detail and "nested" in detail
    assert not Submission.objects.exists()


def test_a_body_above_the_limit_is_refused(catalog: Catalog, hanako: User, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    body = '{"answers": {"address": "' + "亀" * 2000 + '"}}'
    response = _post_raw(signed_in(hanako), catalog.gomi.pk, body)
    assert response.status_code == 400
    detail = _is_error_body(response, "too_large")["detail"]
    assert "KB" in detail and "larger than" in detail
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    "text",
    [
        "三重県亀山市本丸町577\\ud800",  # a lone surrogate: not a character
        "三重県亀山市本丸町577\\u0000",  # NUL: PostgreSQL refuses it in text and jsonb
    ],
)
def test_answers_with_text_that_cannot_be_stored_are_refused(
    catalog: Catalog, hanako: User, text: str
) -> None:
    import json

    answers = json.dumps({"answers": gomi(address="ADDRESS")}).replace("ADDRESS", text)
    response = _post_raw(signed_in(hanako), catalog.gomi.pk, answers)
    assert response.status_code == 400
    detail = _is_error_body(response, "invalid_characters")["detail"]
    assert " / " in detail  # Japanese / English
    assert not Submission.objects.exists()
    # The resident corrects it and sends again with the same key: accepted.
    fixed = _post_raw(signed_in(hanako), catalog.gomi.pk, json.dumps({"answers": gomi()}))
    assert fixed.status_code == 201


def test_broken_json_gets_the_documented_error_body(catalog: Catalog, hanako: User) -> None:
    response = _post_raw(signed_in(hanako), catalog.gomi.pk, '{"answers": ')
    assert response.status_code == 400
    _is_error_body(response, "parse_error")


def test_refusals_of_the_view_carry_a_code(catalog: Catalog, hanako: User) -> None:
    response = signed_in(hanako).post(
        f"/api/v1/procedures/{catalog.gomi.pk}/submissions/",
        {"answers": {"delivery": "mail"}},
        content_type="application/json",
    )
    assert response.status_code == 400
    _is_error_body(response, "idempotency_key")
    anonymous = Client().get("/api/v1/me/submissions/")
    assert anonymous.status_code == 403
    _is_error_body(anonymous, "not_authenticated")


def test_nul_in_the_query_string_of_an_api_is_a_json_400(catalog: Catalog) -> None:
    response = Client().get("/api/v1/procedures/?q=%00")
    assert response.status_code == 400
    _is_error_body(response, "invalid_characters")


@pytest.mark.parametrize(
    "path",
    ["/api/v1/nothing/", "/api/v1/procedures/not-a-uuid/", "/api/v2/procedures/"],
)
def test_an_unknown_api_address_is_a_json_404(catalog: Catalog, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 404
    detail = _is_error_body(response, "not_found")["detail"]
    assert "/api/schema/" in detail


def test_a_server_error_on_an_api_path_is_json() -> None:
    import json

    from django.test import RequestFactory

    from machi.core.views.errors import server_error

    response = server_error(RequestFactory().get("/api/v1/procedures/"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["code"] == "server_error"
    page = server_error(RequestFactory().get("/procedures/"))
    assert page["Content-Type"].startswith("text/html")


def test_the_schema_documents_the_errors_of_every_operation(catalog: Catalog) -> None:
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    me = [path for path in schema["paths"] if path.startswith("/api/v1/me/")]
    assert len(me) == 3
    for path in me:
        for operation in schema["paths"][path].values():
            assert {"400", "403"} <= set(operation["responses"]), path
    create = schema["paths"]["/api/v1/procedures/{procedure_id}/submissions/"]["post"]
    error = create["responses"]["400"]["content"]["application/json"]["schema"]["$ref"]
    assert error == "#/components/schemas/ApiError"
    assert set(schema["components"]["schemas"]["ApiError"]["required"]) == {"code", "detail"}
