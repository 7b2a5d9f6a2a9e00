"""Celery tasks of the core app."""

from __future__ import annotations

from celery import shared_task

from machi.core.services.audit import audit_chain_verify


@shared_task(name="core.audit_chain_verify")
def audit_chain_verify_task() -> dict[str, object]:
    """Verify the audit chain in a worker (scheduled nightly in production)."""
    report = audit_chain_verify()
    return {
        "ok": report.ok,
        "checked": report.checked,
        "first_broken_sequence": report.first_broken_sequence,
        "reason": report.reason,
    }
