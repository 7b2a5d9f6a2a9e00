"""On English pages, names, addresses and department names (what people and staff wrote)
are marked lang="ja" for screen readers, and our own labels read in English first;
Japanese pages stay as they were."""

from __future__ import annotations

import pytest
from django.test import Client

from machi.core.models import ApproverRank, Department, Municipality, Role, User
from machi.core.services.residents import resident_profile_update
from machi.testing.fixtures import make_staff
from machi.testing.marks import unmarked_japanese

pytestmark = pytest.mark.django_db


def _client(user: User, language: str) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.fixture
def section_manager(city: Municipality, department: Department) -> User:
    return make_staff(
        city,
        "kacho@kameyama.example.jp",
        role=Role.APPROVER,
        department=department,
        rank=ApproverRank.SECTION_MANAGER,
    )


def test_back_office_home_marks_the_name_and_department(section_manager: User) -> None:
    english = _page(_client(section_manager, "en"), "/staff/")
    assert unmarked_japanese(english) == []
    assert 'Signed in as <span lang="ja">職員 テスト</span>.' in english
    assert '<td lang="ja">市民文化部 市民課</td>' in english
    # The rank reads in English first, like every other role label with a gloss.
    assert "<td>section manager (課長)</td>" in english
    japanese = _page(_client(section_manager, "ja"), "/staff/")
    assert "<td>課長</td>" in japanese
    assert 'lang="ja"' not in japanese[japanese.index("<main") :]


def test_resident_records_mark_names(clerk: User, resident: User) -> None:
    client = _client(clerk, "en")
    search = _page(client, "/staff/residents/")
    assert unmarked_japanese(search) == []
    detail = _page(client, f"/staff/residents/{resident.pk}/")
    assert unmarked_japanese(detail) == []
    assert '<h1 lang="ja">亀山 太郎</h1>' in detail


def test_my_page_and_profile_mark_what_the_resident_wrote(resident: User) -> None:
    resident_profile_update(user=resident, changes={"address": "三重県亀山市本丸町577"})
    client = _client(resident, "en")
    mypage = _page(client, "/mypage/")
    assert unmarked_japanese(mypage) == []
    assert '<dd lang="ja">三重県亀山市本丸町577</dd>' in mypage
    profile = _page(client, "/mypage/profile/")
    assert unmarked_japanese(profile) == []
    assert 'For example <span lang="ja">平成2年4月1日</span> or 1990-04-01.' in profile
    japanese = _page(_client(resident, "ja"), "/mypage/profile/")
    assert "例：平成2年4月1日、1990-04-01" in japanese


def test_already_signed_in_note_marks_the_name(resident: User) -> None:
    page = _page(_client(resident, "en"), "/accounts/password/reset/")
    assert unmarked_japanese(page) == []
    assert 'You are already logged in as <span lang="ja">亀山 太郎</span>.' in page
