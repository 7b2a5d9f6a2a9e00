"""Staff edit a procedure's form in the Django admin: the definition is checked and a
changed one becomes the next version."""

from __future__ import annotations

import json
from typing import Any

import pytest

from machi.core.models import AuditEntry, Municipality, Role
from machi.procedures.models import FormDefinition, Procedure
from machi.testing.applications import Catalog, signed_in
from machi.testing.fixtures import make_staff

pytestmark = pytest.mark.django_db


def _form_data(procedure: Procedure, definition: str, note: str = "") -> dict[str, Any]:
    return {
        "category": procedure.category_id,
        "department": procedure.department_id,
        "title": procedure.title,
        "title_en": procedure.title_en,
        "summary": procedure.summary,
        "summary_en": "",
        "eligibility": "",
        "deadline": "",
        "required_documents": "[]",
        "what_to_bring": "[]",
        "fee": procedure.fee,
        "online": "on",
        "counter_info": "",
        "identity_level": procedure.identity_level,
        "keywords": procedure.keywords,
        "related_links": "[]",
        "is_published": "on",
        "order": "0",
        "form_definition": definition,
        "change_note": note,
        "form_versions-TOTAL_FORMS": "0",
        "form_versions-INITIAL_FORMS": "1",
        "form_versions-MIN_NUM_FORMS": "0",
        "form_versions-MAX_NUM_FORMS": "1000",
    }


@pytest.fixture
def admin_client(catalog: Catalog, city: Municipality) -> Any:
    return signed_in(make_staff(city, "admin@example.jp", role=Role.PLATFORM_ADMIN))


def test_admin_shows_the_current_definition(catalog: Catalog, admin_client: Any) -> None:
    page = admin_client.get(f"/admin/procedures/procedure/{catalog.gomi.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "machi-form/1" in html
    assert "手数料" in html


def test_broken_definition_is_refused_with_each_problem_and_place(
    catalog: Catalog, admin_client: Any
) -> None:
    url = f"/admin/procedures/procedure/{catalog.gomi.pk}/change/"
    not_json = admin_client.post(url, _form_data(catalog.gomi, '{"format": "machi-form/1",'))
    assert not_json.status_code == 200
    assert "1行目" in not_json.content.decode()
    definition = dict(catalog.gomi.current_form.definition)  # type: ignore[union-attr]
    definition["steps"] = [
        {"key": "one", "title": "一", "fields": [{"key": "a", "type": "colour", "label": "色"}]},
        {
            "key": "two",
            "title": "二",
            "fields": [
                {
                    "key": "b",
                    "type": "text",
                    "label": "b",
                    "show_if": {"field": "zz", "equals": "1"},
                }
            ],
        },
    ]
    broken = admin_client.post(url, _form_data(catalog.gomi, json.dumps(definition)))
    html = broken.content.decode()
    assert broken.status_code == 200
    assert "steps[0].fields[0].type" in html
    assert "steps[1].fields[0].show_if.field" in html
    assert "computed[0].expr.sum" in html
    assert FormDefinition.objects.filter(procedure=catalog.gomi).count() == 1


def test_changed_definition_is_published_as_the_next_version(
    catalog: Catalog, admin_client: Any
) -> None:
    url = f"/admin/procedures/procedure/{catalog.gomi.pk}/change/"
    definition = dict(catalog.gomi.current_form.definition)  # type: ignore[union-attr]
    definition["steps"] = [*definition["steps"]]
    definition["steps"][1] = {**definition["steps"][1], "title": "収集場所と日時"}
    same = admin_client.post(
        url, _form_data(catalog.gomi, json.dumps(catalog.gomi.current_form.definition))
    )  # type: ignore[union-attr]
    assert same.status_code == 302
    assert FormDefinition.objects.filter(procedure=catalog.gomi).count() == 1
    changed = admin_client.post(
        url, _form_data(catalog.gomi, json.dumps(definition), "見出しを変更")
    )
    assert changed.status_code == 302
    catalog.gomi.refresh_from_db()
    assert catalog.gomi.current_form.version == 2  # type: ignore[union-attr]
    assert catalog.gomi.current_form.change_note == "見出しを変更"  # type: ignore[union-attr]
    assert FormDefinition.objects.get(procedure=catalog.gomi, version=1).definition != definition
    assert AuditEntry.objects.filter(action="procedure.form_published").count() >= 4


def test_clerks_cannot_edit_procedures(catalog: Catalog, city: Municipality) -> None:
    clerk = make_staff(city, "clerk@example.jp", department=catalog.kankyo)
    response = signed_in(clerk).get(f"/admin/procedures/procedure/{catalog.gomi.pk}/change/")
    assert response.status_code in (302, 403)
