"""A city with the default categories, two districts, a writer, an approver and a
district organisation's account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from machi.core.models import Department, Municipality, Role, User
from machi.notices.models import District, Notice, NoticeCategory
from machi.notices.services.notices import notice_approve, notice_create, notice_submit
from machi.notices.services.setup import categories_ensure, district_editor_grant, district_upsert
from machi.testing.factories import DepartmentFactory, StaffFactory
from machi.testing.fixtures import make_staff


@dataclass
class Town:
    city: Municipality
    bousai: Department
    chiiki: Department
    categories: dict[str, NoticeCategory]
    seki: District
    kabuto: District
    writer: User
    approver: User
    district_editor: User

    def notice(self, *, approve: bool = True, **fields: Any) -> Notice:
        values: dict[str, Any] = {
            "category": self.categories["kurashi"],
            "title": "お知らせ",
            "body": "本文です。",
            "department": self.bousai,
        }
        values.update(fields)
        notice = notice_create(actor=self.writer, municipality=self.city, **values)
        if approve:
            notice_submit(actor=self.writer, municipality=self.city, notice=notice)
            notice = notice_approve(actor=self.approver, municipality=self.city, notice=notice)
        return notice


@pytest.fixture
def town(city: Municipality) -> Town:
    bousai = DepartmentFactory(municipality=city, code="400", name="防災安全課")
    chiiki = DepartmentFactory(municipality=city, code="230", name="地域づくり課")
    seki = district_upsert(municipality=city, code="seki", name="関", department=chiiki)
    kabuto = district_upsert(municipality=city, code="kabuto", name="加太", department=chiiki)
    # An organisation's account: a back-office sign-in with no role in the city.
    editor = StaffFactory.create(municipality=city, email="seki@example.jp", role=None)
    district_editor_grant(
        actor=None,
        municipality=city,
        user=editor,
        district=seki,
        organisation="関地区まちづくり協議会",
    )
    return Town(
        city=city,
        bousai=bousai,
        chiiki=chiiki,
        categories={c.code: c for c in categories_ensure(municipality=city)},
        seki=seki,
        kabuto=kabuto,
        writer=make_staff(city, "writer@example.jp", department=bousai),
        approver=make_staff(
            city, "approver@example.jp", role=Role.APPROVER, department=bousai, rank=2
        ),
        district_editor=editor,
    )
