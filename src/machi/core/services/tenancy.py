"""Writes for municipalities (tenants) and their departments."""

from __future__ import annotations

from django.db import transaction

from machi.core.audit_actions import AuditAction
from machi.core.models import Department, Municipality, MunicipalityDomain, Role, User
from machi.core.permissions import require_role
from machi.core.services.audit import audit_record


@transaction.atomic
def municipality_upsert(
    *,
    code: str,
    name: str,
    name_kana: str,
    prefecture: str,
    name_en: str = "",
    fiscal_year_start_month: int = 4,
    hosts: list[str] | None = None,
) -> Municipality:
    """Create or update a tenant by its code (used by set-up commands, not by users)."""
    municipality = Municipality.objects.filter(code=code).first()
    created = municipality is None
    if municipality is None:
        municipality = Municipality(code=code)
    municipality.name = name
    municipality.name_kana = name_kana
    municipality.name_en = name_en
    municipality.prefecture = prefecture
    municipality.fiscal_year_start_month = fiscal_year_start_month
    municipality.full_clean()
    municipality.save()
    for host in hosts or []:
        MunicipalityDomain.objects.update_or_create(
            host=host.lower(), defaults={"municipality": municipality}
        )
    if created:
        audit_record(
            action=AuditAction.MUNICIPALITY_CREATED, municipality=municipality, target=municipality
        )
    return municipality


@transaction.atomic
def department_upsert(
    *,
    municipality: Municipality,
    code: str,
    name: str,
    name_en: str = "",
    parent: Department | None = None,
    actor: User | None = None,
) -> Department:
    """Create or update a department. ``actor=None`` is the command line (system)."""
    if actor is not None:
        require_role(actor, municipality, [Role.PLATFORM_ADMIN])
    department = Department.objects.filter(municipality=municipality, code=code).first()
    created = department is None
    if department is None:
        department = Department(municipality=municipality, code=code)
    department.name = name
    department.name_en = name_en
    department.parent = parent
    department.full_clean()
    department.save()
    if created:
        audit_record(
            action=AuditAction.DEPARTMENT_CREATED,
            actor=actor,
            municipality=municipality,
            target=department,
            data={"name": name},
        )
    return department
