"""NUL (which PostgreSQL refuses in text) in the back office: the case list search and the
counter search answer 400 with what to do; a case note is saved without it, with a note
that it was removed. Nothing answers 500 and nothing typed is lost."""

from __future__ import annotations

import pytest
from django.test import Client

from machi.casework.models import Case, CaseNote
from machi.casework.services import case_token
from machi.core.models import Municipality, User
from machi.testing.applications import Catalog, fill_gomi, signed_in, start, submit
from machi.testing.fixtures import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def kankyo_clerk(catalog: Catalog, city: Municipality) -> User:
    return make_staff(city, "kankyo@example.jp", department=catalog.kankyo)


def _case(catalog: Catalog) -> Case:
    client = Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    assert submit(client, base).status_code == 302
    return Case.objects.latest("received_at")


@pytest.mark.parametrize(
    "path",
    ["/staff/cases/?q=%00", "/staff/cases/?q=%E3%81%94%00", "/staff/counter/?q=%00"],
)
def test_nul_in_a_back_office_search_is_a_400_page(kankyo_clerk: User, path: str) -> None:
    response = signed_in(kankyo_clerk).get(path)
    assert response.status_code == 400
    html = response.content.decode()
    assert "NUL" in html and "制御文字" in html


def test_a_case_note_with_nul_is_saved_without_it(catalog: Catalog, kankyo_clerk: User) -> None:
    case = _case(catalog)
    client = signed_in(kankyo_clerk)
    response = client.post(
        f"/staff/cases/{case.pk}/note/",
        {"version": case_token(case), "body": "電話で確認済み\x00。"},
        follow=True,
    )
    assert response.status_code == 200
    assert "取り除きました" in response.content.decode()
    assert CaseNote.objects.get(case=case).body == "電話で確認済み。"
