"""Reads shared by views and APIs. Every query is scoped to one municipality."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet

from machi.core.models import (
    Department,
    Municipality,
    MunicipalityDomain,
    ResidentProfile,
    StaffNotification,
    StaffRole,
    User,
    UserKind,
)

_HOST_CACHE_SECONDS = 60


def municipality_for_host(host: str) -> Municipality | None:
    """The tenant serving ``host``; else the configured default; else the only one."""
    host = host.split(":")[0].lower().strip("[]")
    key = f"machi:tenant-host:{host}"
    municipality_id = cache.get(key)
    if municipality_id is None:
        domain = MunicipalityDomain.objects.filter(host=host).only("municipality_id").first()
        if domain is not None:
            municipality_id = str(domain.municipality_id)
        else:
            fallback = Municipality.objects.filter(
                code=settings.MACHI_DEFAULT_MUNICIPALITY_CODE, is_active=True
            ).first()
            if fallback is None:
                active = list(Municipality.objects.filter(is_active=True)[:2])
                fallback = active[0] if len(active) == 1 else None
            municipality_id = str(fallback.pk) if fallback else ""
        cache.set(key, municipality_id, _HOST_CACHE_SECONDS)
    if not municipality_id:
        return None
    return Municipality.objects.filter(pk=municipality_id, is_active=True).first()


def department_list(*, municipality: Municipality) -> QuerySet[Department]:
    return Department.objects.filter(municipality=municipality).select_related("parent")


def staff_roles_of(*, user: User, municipality: Municipality) -> QuerySet[StaffRole]:
    return StaffRole.objects.filter(user=user, municipality=municipality).select_related(
        "department", "department__parent"
    )


def resident_search(*, municipality: Municipality, query: str, limit: int = 50) -> QuerySet[User]:
    """Residents of this municipality whose name, kana or e-mail contains ``query``."""
    residents = User.objects.filter(municipality=municipality, kind=UserKind.RESIDENT)
    query = query.strip()
    if query:
        residents = residents.filter(
            Q(full_name__icontains=query)
            | Q(full_name_kana__icontains=query)
            | Q(email__icontains=query)
        )
    return residents.order_by("full_name_kana", "email")[:limit]


def resident_profile_of(*, user: User) -> ResidentProfile | None:
    return ResidentProfile.objects.filter(user=user).first()


def staff_notifications(*, user: User, limit: int = 100) -> QuerySet[StaffNotification]:
    return StaffNotification.objects.filter(recipient=user)[:limit]


def unread_notification_count(*, user: User) -> int:
    return StaffNotification.objects.filter(recipient=user, read_at__isnull=True).count()


def municipality_portal_host(*, municipality: Municipality) -> str | None:
    """The host name of an active municipality's own portal: its first registered one."""
    if not municipality.is_active:
        return None
    domain = MunicipalityDomain.objects.filter(municipality=municipality).order_by("pk").first()
    return domain.host if domain is not None else None


def verified_emails_of(*, user: User) -> list[str]:
    """The e-mail addresses the account proved it reads (allauth's confirmation link or
    the identity provider), in lower case: another app may trust them without a new
    confirmation message."""
    from allauth.account.models import EmailAddress

    return sorted(
        {
            address.lower()
            for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
                "email", flat=True
            )
        }
    )
