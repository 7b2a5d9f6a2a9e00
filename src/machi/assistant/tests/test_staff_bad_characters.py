"""An FAQ entry typed with a NUL character (PostgreSQL refuses it in text) is saved
without it and the page says so, instead of a 500 that loses the entry."""

from __future__ import annotations

import pytest

from machi.assistant.models import FaqEntry
from machi.assistant.tests.test_staff import clerk, faq
from machi.core.models import Municipality, User
from machi.testing.applications import signed_in

pytestmark = pytest.mark.django_db
__all__ = ["clerk", "faq"]


def test_an_faq_entry_with_nul_is_saved_without_it(faq: Municipality, clerk: User) -> None:
    values = {
        "code": "passport",
        "category": "市役所・その他",
        "question": "パスポートはどこで\x00申請できますか。",
        "answer": "三重県の旅券窓口で\x00申請します。",
        "keywords": "旅券\x00",
        "procedure": "",
        "samples": "パスポート\x00",
        "is_published": "1",
        "action": "save",
    }
    response = signed_in(clerk).post("/staff/assistant/faq/new/", values, follow=True)
    assert response.status_code == 200
    assert "取り除きました" in response.content.decode()
    entry = FaqEntry.objects.get(code="passport")
    assert entry.question == "パスポートはどこで申請できますか。"
    assert entry.answer == "三重県の旅券窓口で申請します。"


def test_nul_in_the_faq_search_is_a_400(faq: Municipality, clerk: User) -> None:
    assert signed_in(clerk).get("/staff/assistant/faq/?q=%00").status_code == 400
