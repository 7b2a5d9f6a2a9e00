"""Audit action names are one registry (``machi.core.audit_actions.AuditAction``): only
registered names are written, every call site names a member (no names built from strings),
old rows written under retired names still verify, and the log viewer shows the labels."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

from machi.core.audit_actions import RETIRED_ACTIONS, AuditAction, UnknownAuditAction, action_label
from machi.core.models import AuditChainHead, AuditEntry, Municipality, Role
from machi.core.services.audit import GENESIS_HASH, audit_chain_verify, audit_record, entry_hash_of
from machi.testing.fixtures import make_staff

SRC = Path(__file__).resolve().parents[2]


def test_an_unregistered_action_is_refused_and_nothing_is_written(city: Municipality) -> None:
    before = AuditEntry.objects.count()
    for name in ("case.rejectd", "case.Rejected", "", "made.up"):
        with pytest.raises(UnknownAuditAction) as problem:
            audit_record(action=name, municipality=city)  # type: ignore[arg-type]
        assert "machi/core/audit_actions.py" in str(problem.value)
    assert AuditEntry.objects.count() == before
    assert audit_chain_verify().ok


def test_a_registered_action_is_written_under_its_name(city: Municipality) -> None:
    entry = audit_record(action=AuditAction.CASE_REJECTED, municipality=city)
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.action == "case.rejected"
    assert type(stored.action) is str
    assert entry_hash_of(stored) == stored.entry_hash


def _audit_record_calls() -> list[tuple[Path, int, ast.expr | None]]:
    calls = []
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else ""
                name = node.func.attr if isinstance(node.func, ast.Attribute) else name
                if name == "audit_record":
                    action = next((k.value for k in node.keywords if k.arg == "action"), None)
                    calls.append((path, node.lineno, action))
    return calls


def test_every_call_site_names_a_registered_member() -> None:
    """No action is built from strings (``f"case.{decision}d"`` wrote ``case.rejectd``)."""
    calls = _audit_record_calls()
    assert len(calls) > 40
    for path, line, action in calls:
        where = f"{path.relative_to(SRC)}:{line}"
        assert action is not None, f"{where}: pass action= as a keyword"
        for node in ast.walk(action):
            written = isinstance(node, ast.JoinedStr | ast.Constant | ast.BinOp)
            assert not written, f"{where}: name an AuditAction member instead of writing the text"
            named = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            if named and node.value.id == "AuditAction":  # type: ignore[attr-defined]
                assert node.attr in AuditAction.__members__, where  # type: ignore[attr-defined]


def test_names_are_dotted_lower_case_and_fit_the_column() -> None:
    column = AuditEntry._meta.get_field("action").max_length
    for member in AuditAction:
        assert re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", member.value), member
        assert len(member.value) <= column
    assert not set(RETIRED_ACTIONS) & set(AuditAction.values)


def test_every_label_says_it_in_english_and_japanese() -> None:
    cjk = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    with translation.override("en"):
        labels = [str(member.label) for member in AuditAction]
    assert len(set(labels)) == len(labels), "two actions share a label"
    for member, label in zip(AuditAction, labels, strict=True):
        assert re.search(r"[A-Za-z]", label) and cjk.search(label), member
    with translation.override("ja"):
        assert action_label("case.rejected") == "案件の却下"


def _write_as_before_the_registry(action: str, municipality: Municipality) -> AuditEntry:
    """An entry as the old ``audit_record`` wrote it (any text was taken as the action)."""
    head, _created = AuditChainHead.objects.get_or_create(
        id=1, defaults={"sequence": 0, "entry_hash": GENESIS_HASH}
    )
    entry = AuditEntry(
        sequence=head.sequence + 1,
        occurred_at=timezone.now(),
        municipality_id=municipality.pk,
        actor_label="system",
        action=action,
        data={"reference": "A1B2C3D4"},
        prev_hash=head.entry_hash,
    )
    entry.entry_hash = entry_hash_of(entry)
    entry.save()
    head.sequence, head.entry_hash = entry.sequence, entry.entry_hash
    head.save()
    return entry


def test_old_rows_with_the_misspelt_rejection_still_verify_and_read_well(
    city: Municipality, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _write_as_before_the_registry("case.rejectd", city)
    audit_record(action=AuditAction.CASE_REJECTED, municipality=city)
    assert AuditEntry.objects.get(pk=old.pk).action == "case.rejectd"  # never rewritten
    assert audit_chain_verify().ok
    call_command("audit_verify")
    assert "chain intact" in capsys.readouterr().out
    with translation.override("en"):
        assert action_label("case.rejectd") == action_label("case.rejected")
        assert action_label("no.such_action") == "no.such_action"


def test_the_admin_log_shows_labels_and_filters_by_them(city: Municipality) -> None:
    admin = make_staff(city, "admin@kameyama.example.jp", role=Role.PLATFORM_ADMIN)
    _write_as_before_the_registry("case.rejectd", city)
    audit_record(action=AuditAction.CASE_APPROVED, municipality=city)
    client = Client()
    client.force_login(admin)
    page = client.get("/admin/core/auditentry/").content.decode()
    assert "案件の承認" in page and "案件の却下" in page
    assert "case.approved" in page  # the stored name stays visible next to its label
    filtered = client.get("/admin/core/auditentry/?action=case.approved")
    assert [e.action for e in filtered.context["cl"].result_list] == ["case.approved"]
    retired = client.get("/admin/core/auditentry/?action=case.rejectd")
    assert [e.action for e in retired.context["cl"].result_list] == ["case.rejectd"]
    entry = AuditEntry.objects.get(action="case.approved")
    detail = client.get(f"/admin/core/auditentry/{entry.pk}/change/").content.decode()
    assert "案件の承認" in detail
