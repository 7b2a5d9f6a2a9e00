"""schemathesis over every operation of the OpenAPI schema (``/api/schema/``): the DRF APIs
under ``/api/v1/``, the CKAN Action API and the open data validator, against the WSGI app
with the demo tenant loaded and the demo resident signed in (so ``/me/*`` answers too).

The schema must be true: no server error, and every status code, content type, header and
body is one the schema documents. The run is bounded (``MAX_EXAMPLES`` per operation,
positive and negative cases) and derandomized, so CI sends the same requests every time.
Generated ids rarely name anything, so about two cases in three get a real one (a
procedure, plan, dataset, resource, notice, the resident's own submission …) from the demo data.
``pytest -s`` prints the requests sent per operation and status.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.management import call_command
from django.db import close_old_connections, transaction
from django.test import Client, override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from machi.config.wsgi import application

MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    unsupported_method,
]
#: Requests sent per operation and status, printed at the end of the module (pytest -s).
SEEN: defaultdict[str, Counter[int]] = defaultdict(Counter)
#: A complete 一般的なお問い合わせ (otoiawase) as the resident would send it.
INQUIRY = {"topic": "other", "subject": "API", "body": "テスト", "reply_method": "none"}


def _generated_schema() -> dict[str, Any]:
    """The schema /api/schema/ serves (the same generator, without a request)."""
    from drf_spectacular.generators import SchemaGenerator

    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(generated))  # type: ignore[no-any-return]


OPENAPI = _generated_schema()
schema = schemathesis.openapi.from_dict(OPENAPI)
schema.app = application


@pytest.fixture(scope="module", autouse=True)
def _media_in_tmp_everywhere(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One media folder for the whole module (the demo's files are made once), never
    the developer's var/media; replaces the per-test folder of the root conftest."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """The WSGI handler closes database connections after each request; the test's
    transaction must survive it (Django's test client does the same, and connects them
    again after each of its requests, hence per test)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def demo_tenant(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, list[str]]]:
    """The demo tenant, loaded once for the module and rolled back at its end; returns
    real values per parameter name."""
    cache.clear()  # the tenant of the host may be cached from an earlier test's data
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield _real_values()
        transaction.set_rollback(True)


def _resident() -> Any:
    from machi.core.demo import data
    from machi.core.models import User

    return User.objects.get(email=data.RESIDENT[0])


def _real_values() -> dict[str, list[str]]:
    from machi.notices.models import District, Notice
    from machi.opendata.ckan.actions import ACTIONS
    from machi.opendata.models import Dataset, DatasetGroup, Resource
    from machi.plan.models import Plan
    from machi.procedures.models import Procedure, Submission

    procedures = Procedure.objects.filter(is_published=True)
    inquiry = procedures.get(code="otoiawase")
    client = _signed_in()
    created = client.post(
        f"/api/v1/procedures/{inquiry.pk}/submissions/",
        {"answers": INQUIRY},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="schemathesis-setup",
    )
    assert created.status_code == 201, created.content
    asked = (
        Client()
        .post(
            "/api/v1/assistant/questions/",
            {"question": "ごみの出し方"},
            content_type="application/json",
        )
        .json()
    )
    datasets = Dataset.objects.filter(state="active")
    return {
        "procedure_id": [str(inquiry.pk), *(str(p.pk) for p in procedures[:3])],
        "plan_id": [str(p.pk) for p in Plan.objects.all()[:3]],
        "submission_id": [str(s.pk) for s in Submission.objects.filter(applicant=_resident())[:3]],
        "turn_id": [str(asked["turn"])],
        "feedback_token": [asked["feedback_token"]],
        "id": [
            *(d.name for d in datasets[:3]),
            *(str(r.pk) for r in Resource.objects.all()[:3]),
            *(g.name for g in DatasetGroup.objects.all()[:2]),
        ],
        "resource_id": [str(r.pk) for r in Resource.objects.exclude(url__gt="")[:3]],
        "notice_id": [str(n.pk) for n in Notice.objects.filter(status="approved")[:3]],
        "district": [d.code for d in District.objects.all()[:3]],
        "name": sorted(ACTIONS)[:5],
    }


def _signed_in() -> Client:
    client = Client()
    client.force_login(_resident())
    return client


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    total = sum(sum(c.values()) for c in SEEN.values())
    print(f"\nschemathesis: {len(SEEN)} operations and methods, {total} requests")
    for operation, statuses in sorted(SEEN.items()):
        print(f"  {operation}: {dict(sorted(statuses.items()))}")


@pytest.fixture
def resident_session(demo_tenant: Any, db: Any, settings: Any) -> dict[str, str]:
    """The demo resident's session and CSRF cookies, as a browser app sends them; the
    per-address limits are lifted so that the examples reach the views."""
    settings.MACHI_ASSISTANT_QUESTIONS_PER_MINUTE = 10**6
    settings.MACHI_OPENDATA_VALIDATE_PER_MINUTE = 10**6
    csrf = "machi" * 6 + "ab"  # 32 allowed characters; cookie and header agree
    return {"sessionid": _signed_in().cookies["sessionid"].value, "csrftoken": csrf}


def _pick(values: list[str], drawn: Any) -> str | None:
    """A real value for two cases in three, chosen by the generated value (deterministic)."""
    if not values:
        return None
    digest = zlib.crc32(repr(drawn).encode("utf-8", "surrogatepass"))
    return None if digest % 3 == 0 else values[digest % len(values)]


def _use_real_values(case: Any, real: dict[str, list[str]]) -> None:
    for container in (case.path_parameters, case.query, case.body):
        if not isinstance(container, dict):
            continue
        for key in list(container):
            if container is case.path_parameters and not key.endswith("_id"):
                continue  # {name} of the write actions stays a write action
            if key in real and (chosen := _pick(real[key], container[key])) is not None:
                container[key] = chosen
    if (
        case.path.endswith("/submissions/")
        and isinstance(case.body, dict)
        and _pick(["yes"], case.body)
    ):
        case.path_parameters["procedure_id"] = real["procedure_id"][0]
        case.body["answers"] = INQUIRY


def test_the_served_schema_is_the_one_tested(demo_tenant: Any, db: Any) -> None:
    served = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert served.status_code == 200
    assert served.json() == OPENAPI


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(
    case: Any, demo_tenant: dict[str, list[str]], resident_session: dict[str, str]
) -> None:
    _use_real_values(case, demo_tenant)
    response = case.call_and_validate(
        cookies=resident_session,
        headers={"X-CSRFToken": resident_session["csrftoken"]},
        checks=CHECKS,
    )
    SEEN[f"{case.method} {case.operation.path}"][response.status_code] += 1
