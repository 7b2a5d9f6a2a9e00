"""Tenants, departments and accounts for tests: pytest fixtures and short helpers over the
factories of ``machi.testing.factories``, which build through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Max

from machi.core.models import AuditEntry, Department, Municipality, Role, User
from machi.testing.factories import (
    PASSWORD,
    DepartmentFactory,
    MunicipalityFactory,
    ResidentFactory,
    StaffFactory,
    enrol_totp,
    verify_email,
)

__all__ = [
    "PASSWORD",
    "audit_actions_written",
    "enrol_totp",
    "make_municipality",
    "make_staff",
    "verify_email",
]


def audit_actions_written(work: Callable[[], Any]) -> list[str]:
    """The actions of the audit entries ``work`` wrote, in order."""
    last = AuditEntry.objects.aggregate(last=Max("sequence"))["last"] or 0
    work()
    return list(
        AuditEntry.objects.filter(sequence__gt=last)
        .order_by("sequence")
        .values_list("action", flat=True)
    )


def make_municipality(code: str = "242101", **overrides: Any) -> Municipality:
    values: dict[str, Any] = {
        "code": code,
        "name": "亀山市",
        "name_kana": "カメヤマシ",
        "name_en": "Kameyama City",
        "prefecture": "三重県",
        "hosts": ["testserver", "localhost", "127.0.0.1"],
    }
    values.update(overrides)
    return MunicipalityFactory.create(**values)


def make_staff(
    municipality: Municipality,
    email: str,
    *,
    role: str = Role.CLERK,
    department: Department | None = None,
    rank: int | None = None,
    with_totp: bool = True,
    email_verified: bool = False,
) -> User:
    """A member of staff named 職員 テスト with one role (``StaffFactory``)."""
    return StaffFactory.create(
        municipality=municipality,
        email=email,
        full_name="職員 テスト",
        role=role,
        department=department,
        rank=rank,
        with_totp=with_totp,
        email_verified=email_verified,
    )


@pytest.fixture
def city(db: Any) -> Municipality:
    return make_municipality()


@pytest.fixture
def other_city(db: Any) -> Municipality:
    """A second tenant (三重県鈴鹿市) served on its own host name."""
    return make_municipality(
        code="242071",
        name="鈴鹿市",
        name_kana="スズカシ",
        name_en="Suzuka City",
        hosts=["suzuka.example.jp"],
    )


@pytest.fixture
def department(city: Municipality) -> Department:
    parent = DepartmentFactory.create(municipality=city, code="200", name="市民文化部")
    return DepartmentFactory.create(municipality=city, code="210", name="市民課", parent=parent)


@pytest.fixture
def resident(city: Municipality) -> User:
    return ResidentFactory.create(
        municipality=city,
        email="taro@example.jp",
        full_name="亀山 太郎",
        full_name_kana="カメヤマ タロウ",
    )


@pytest.fixture
def clerk(city: Municipality, department: Department) -> User:
    return make_staff(city, "clerk@kameyama.example.jp", department=department)
