"""Whatever a client sends to the Action API, the answer is CKAN-shaped and never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from machi.opendata.tests.conftest import OpenCatalog

pytestmark = pytest.mark.django_db

KEYS = st.sampled_from(
    [
        "q",
        "fq",
        "fq_list",
        "rows",
        "start",
        "sort",
        "facet",
        "facet.field",
        "facet.limit",
        "facet.mincount",
        "fl",
        "id",
        "limit",
        "offset",
        "all_fields",
        "include_datasets",
        "resource_id",
        "filters",
        "fields",
        "records_format",
        "include_total",
        "distinct",
        "name",
        "query",
        "callback",
        "色",
    ]
)
TEXT = st.text(
    alphabet=st.sampled_from(list('避難所防災 :"(){}[]!*-+,_ascdeAND|\\/0123456789-\x00')),
    max_size=30,
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    TEXT,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
ACTIONS = st.sampled_from(
    [
        "package_search",
        "package_show",
        "package_list",
        "resource_show",
        "datastore_search",
        "organization_list",
        "organization_show",
        "group_list",
        "group_show",
        "tag_list",
        "help_show",
        "status_show",
        "license_list",
        "package_create",
    ]
)


def check(response: Any) -> None:
    assert response.status_code in (200, 400, 403, 404, 409), response.content[:300]
    if response["Content-Type"].startswith("application/javascript"):
        # A valid ``callback=`` gives JSONP: ``name({...});`` around the same JSON.
        assert response.status_code == 200
        text = response.content.decode()
        body = json.loads(text[text.index("(") + 1 : text.rindex(")")])
        assert body["success"] is True
        return
    body = response.json()
    if response.status_code == 400 and isinstance(body, str):
        assert body.startswith("Bad request: ")
        return
    assert body["success"] is (response.status_code == 200)
    if not body["success"]:
        assert body["error"]["__type"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(action=ACTIONS, params=st.dictionaries(KEYS, VALUES, max_size=4))
@example(action="datastore_search", params={"resource_id": True, "offset": 10**20})
@example(action="package_search", params={"start": 2**64, "rows": 2**64})
def test_json_bodies(
    client: Client, catalog: OpenCatalog, action: str, params: dict[str, Any]
) -> None:
    if "resource_id" in params and isinstance(params["resource_id"], bool):
        params["resource_id"] = str(catalog.resources["csv"].pk)
    body = json.dumps(params)  # NaN and Infinity are sent as Python's json writes them
    check(client.post(f"/api/action/{action}", body, content_type="application/json"))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    action=ACTIONS,
    params=st.lists(st.tuples(KEYS, TEXT), max_size=5),
)
@example(action="package_list", params=[("limit", "9223372036854775808")])
@example(action="package_show", params=[("id", "hinanjo-ichiran\x00")])
@example(action="package_search", params=[("callback", "A")])
def test_query_strings(
    client: Client, catalog: OpenCatalog, action: str, params: list[tuple[str, str]]
) -> None:
    pairs = [
        (k, str(catalog.resources["csv"].pk) if v == "" and k == "resource_id" else v)
        for k, v in params
    ]
    from urllib.parse import urlencode

    check(client.get(f"/api/3/action/{action}?{urlencode(pairs)}"))
