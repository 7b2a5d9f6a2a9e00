"""The audit log: append-only, hash-chained, verified by `manage.py audit_verify`."""

from __future__ import annotations

from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, InternalError, OperationalError, connection, transaction

from machi.core.audit_actions import AuditAction
from machi.core.audit_triggers import create_triggers, drop_triggers
from machi.core.models import AuditEntry, Municipality, User
from machi.core.services.audit import GENESIS_HASH, audit_chain_verify, audit_record

# Any registered action does for the chain; this is the most frequent one in real logs.
EVENT = AuditAction.RESIDENT_VIEWED


def _tamper(sql: str, params: list[object]) -> None:
    """Change a row behind the application's back, as a database superuser could."""
    drop_triggers(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        create_triggers(connection)


def test_entries_link_to_their_predecessor(city: Municipality, resident: User) -> None:
    entries = list(AuditEntry.objects.order_by("sequence"))
    assert entries[0].prev_hash == GENESIS_HASH
    for before, after in pairwise(entries):
        assert after.prev_hash == before.entry_hash
        assert after.sequence == before.sequence + 1


def test_registering_a_resident_is_audited(resident: User) -> None:
    entry = AuditEntry.objects.get(action="resident.registered")
    assert entry.target_id == str(resident.pk)
    assert entry.municipality_id == resident.municipality_id


def test_audit_verify_reports_an_intact_chain(city: Municipality, capsys) -> None:
    for n in range(5):
        audit_record(action=EVENT, municipality=city, data={"n": n, "名前": "亀山"})
    call_command("audit_verify")
    assert "chain intact" in capsys.readouterr().out


def test_audit_verify_names_the_first_altered_entry(city: Municipality) -> None:
    entries = [audit_record(action=EVENT, data={"n": n}) for n in range(5)]
    altered = entries[2]
    _tamper("UPDATE core_auditentry SET data = %s WHERE id = %s", ['{"n": 99}', altered.pk])
    with pytest.raises(CommandError, match=f"entry #{altered.sequence}: content"):
        call_command("audit_verify")


def test_audit_verify_notices_a_removed_entry(city: Municipality) -> None:
    entries = [audit_record(action=EVENT, data={"n": n}) for n in range(5)]
    removed = entries[1]
    _tamper("DELETE FROM core_auditentry WHERE id = %s", [removed.pk])
    report = audit_chain_verify()
    assert report.first_broken_sequence == removed.sequence
    assert report.reason == "missing entry"


def test_audit_verify_notices_a_cut_off_tail(city: Municipality) -> None:
    entries = [audit_record(action=EVENT, data={"n": n}) for n in range(3)]
    _tamper("DELETE FROM core_auditentry WHERE id = %s", [entries[-1].pk])
    report = audit_chain_verify()
    assert report.first_broken_sequence == entries[-1].sequence


def test_the_database_refuses_updates_and_deletes(city: Municipality) -> None:
    entry = audit_record(action=EVENT)
    for statement in (
        "UPDATE core_auditentry SET action = 'x' WHERE id = %s",
        "DELETE FROM core_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises((IntegrityError, InternalError, OperationalError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk, action=EVENT).exists()


def test_the_model_refuses_changes(city: Municipality) -> None:
    entry = audit_record(action=EVENT)
    entry.action = "changed"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
