"""Writes to the hash-chained audit log (監査ログ)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from machi.core.audit_actions import AuditAction, audit_action
from machi.core.models import AuditChainHead, AuditEntry, Municipality, User

GENESIS_HASH = "0" * 64


def _canonical(entry: AuditEntry) -> bytes:
    occurred = entry.occurred_at.astimezone(UTC).isoformat(timespec="microseconds")
    payload = {
        "sequence": entry.sequence,
        "occurred_at": occurred,
        "municipality_id": str(entry.municipality_id) if entry.municipality_id else None,
        "actor_id": str(entry.actor_id) if entry.actor_id else None,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "data": entry.data,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash_of(entry: AuditEntry) -> str:
    """The SHA-256 an entry must carry, given its content and its predecessor's hash."""
    return hashlib.sha256(_canonical(entry)).hexdigest()


@transaction.atomic
def audit_record(
    *,
    action: AuditAction,
    actor: User | None = None,
    municipality: Municipality | None = None,
    target: Any = None,
    target_type: str = "",
    target_id: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. Call from inside the service that does the audited work.

    ``action`` is a member of the registry (``machi.core.audit_actions``). Any other name
    raises ``UnknownAuditAction`` before anything is written, in production too: the
    service's transaction then rolls back, so no audited change is saved under a name
    the log viewer, its filters and the people searching it do not know.

    The chain head row is locked so concurrent writers append one after another.
    """
    name = audit_action(action).value
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(
        id=1, defaults={"sequence": 0, "entry_hash": GENESIS_HASH}
    )
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
    # Round-trip through JSON so the stored value hashes the same when read back.
    clean_data = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    entry = AuditEntry(
        sequence=head.sequence + 1,
        occurred_at=timezone.now(),
        municipality_id=municipality.pk if municipality else None,
        actor_id=actor.pk if actor else None,
        actor_label=actor.email if actor else "system",
        action=name,
        target_type=target_type,
        target_id=target_id,
        data=clean_data,
        prev_hash=head.entry_hash,
    )
    entry.entry_hash = entry_hash_of(entry)
    entry.save()
    head.sequence = entry.sequence
    head.entry_hash = entry.entry_hash
    head.save(update_fields=["sequence", "entry_hash"])
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_sequence: int | None
    reason: str

    @property
    def ok(self) -> bool:
        return self.first_broken_sequence is None


def audit_chain_verify(*, progress: Any = None) -> ChainReport:
    """Recompute every link; report the first entry whose hash or link does not hold."""
    expected_prev = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        if entry.sequence != expected_sequence:
            return ChainReport(checked, expected_sequence, "missing entry")
        if entry.prev_hash != expected_prev:
            return ChainReport(checked, entry.sequence, "previous hash does not match")
        if entry_hash_of(entry) != entry.entry_hash:
            return ChainReport(checked, entry.sequence, "content does not match its hash")
        expected_prev = entry.entry_hash
        expected_sequence += 1
        checked += 1
        if progress is not None:
            progress(checked)
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and head.sequence != checked:
        return ChainReport(checked, checked + 1, "entries after this point were removed")
    return ChainReport(checked, None, "")
