"""The open data APIs read JSON within limits and are described in the OpenAPI schema.

JSON nested 50,000 levels deep used to end in a RecursionError (500) for anonymous
clients; now the body gets CKAN's 400 (``"Bad request: JSON Error: …"``) with a Japanese
and English reason, and JSON inside a parameter gets CKAN's Validation Error (409)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from machi.opendata.ckan import actions
from machi.opendata.openapi import READ_ACTIONS
from machi.opendata.tests.conftest import OpenCatalog

pytestmark = pytest.mark.django_db

DEEP = "[" * 50_000 + "]" * 50_000


def _post(action: str, body: str) -> Any:
    return Client().post(f"/api/3/action/{action}", body, content_type="application/json")


@pytest.mark.parametrize("action", ["package_search", "datastore_search", "package_show"])
def test_a_body_nested_fifty_thousand_levels_is_ckans_400(
    catalog: OpenCatalog, action: str
) -> None:
    response = _post(action, '{"q": ' + DEEP + "}")
    assert response.status_code == 400
    body = response.json()
    assert isinstance(body, str) and body.startswith("Bad request: JSON Error: ")
    assert "入れ子" in body and "nested" in body


def test_a_lone_surrogate_in_the_body_is_ckans_400(catalog: OpenCatalog) -> None:
    response = _post("package_show", '{"id": "hinanjo\\ud800"}')
    assert response.status_code == 400
    assert response.json().startswith("Bad request: JSON Error: ")


def test_nul_is_still_removed_as_ckan_does(catalog: OpenCatalog) -> None:
    response = _post("package_show", '{"id": "hinanjo-ichiran\\u0000"}')
    assert response.status_code == 200
    assert response.json()["result"]["name"] == "hinanjo-ichiran"


def test_a_body_above_the_limit_is_ckans_400(catalog: OpenCatalog, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = _post("package_search", json.dumps({"q": "避難所" * 1000}))
    assert response.status_code == 400
    assert response.json().startswith("Bad request: JSON Error: ")


@pytest.mark.parametrize(
    ("action", "params"),
    [
        ("package_search", {"facet.field": DEEP}),
        ("package_search", {"fq_list": DEEP}),
        ("package_search", {"fl": DEEP}),
        (
            "datastore_search",
            {"resource_id": "x", "filters": '{"a":' * 50_000 + "1" + "}" * 50_000},
        ),
        ("datastore_search", {"resource_id": "x", "q": '{"a":' * 50_000 + "1" + "}" * 50_000}),
        ("datastore_search", {"resource_id": "x", "fields": DEEP}),
    ],
)
def test_deep_json_inside_a_parameter_never_fails_the_server(
    catalog: OpenCatalog, action: str, params: dict[str, str]
) -> None:
    params = {k: str(catalog.resources["csv"].pk) if v == "x" else v for k, v in params.items()}
    for response in (
        _post(action, json.dumps(params)),
        Client().post(f"/api/3/action/{action}", params),
    ):
        assert response.status_code in (200, 409), response.content[:300]
        body = response.json()
        if response.status_code == 409:
            assert body["error"]["__type"] == "Validation Error"


def test_every_read_action_and_the_validator_are_in_the_schema(catalog: OpenCatalog) -> None:
    read = {name for name, found in actions.ACTIONS.items() if found.side_effect_free}
    assert set(READ_ACTIONS) == read
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    for name in read:
        operations = schema["paths"][f"/api/3/action/{name}"]
        assert {"get", "post"} <= set(operations)
        assert {"200", "400", "409"} <= set(operations["get"]["responses"])
    write = schema["paths"]["/api/3/action/{name}"]["post"]
    assert write["parameters"][0]["schema"]["enum"] == list(actions.WRITE_ACTIONS)
    validate = schema["paths"]["/api/opendata/validate"]["post"]
    assert {"200", "400", "413", "429"} <= set(validate["responses"])
    assert "multipart/form-data" in validate["requestBody"]["content"]
    assert "/api/3" in schema["paths"]


def test_the_version_answers_get_only(catalog: OpenCatalog) -> None:
    assert Client().get("/api/3").json() == {"version": 3}
    assert Client().post("/api/3").status_code == 405
