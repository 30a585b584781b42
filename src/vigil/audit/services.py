"""Writing audit entries. Every service writes its entries inside its own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, transaction
from django.utils import timezone

from vigil.access import acting_user, require
from vigil.audit.models import AuditEntry
from vigil.audit.selectors import audit_chain_verify
from vigil.bulk import as_json, insert_rows
from vigil.core import audit as chain

#: Key of the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK = 0x76696769  # "vigi"


@dataclass(frozen=True, slots=True)
class AuditEvent:
    action: str
    object_type: str = ""
    object_id: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


def actor_label(actor: AbstractBaseUser | AnonymousUser | None) -> str:
    if actor is None:
        return "system"
    if not actor.is_authenticated:
        return "anonymous"
    return str(actor.get_username())


def _lock_chain() -> None:
    # Two transactions appending at once would both link to the same head. SQLite serialises
    # writers already (IMMEDIATE transactions); PostgreSQL needs a lock held to commit.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])


def audit_record_many(*, actor: AbstractBaseUser | AnonymousUser | None, events: Sequence[AuditEvent]) -> list[AuditEntry]:
    """Append ``events`` to the chain, in order. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit entries are written inside the service's transaction")
    if not events:
        return []
    _lock_chain()
    head = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first() or chain.GENESIS
    now = timezone.now()
    user = acting_user(actor)
    label = actor_label(actor)
    entries = [
        AuditEntry(
            at=now, actor=user, actor_label=label, action=e.action, object_type=e.object_type,
            object_id=str(e.object_id), detail=e.detail,
        )
        for e in events
    ]
    # The hash must be computed on the content as it will be read back from the database.
    prev = head
    for entry in entries:
        entry.prev_hash = prev
        entry.hash = chain.entry_hash(prev_hash=prev, content=entry.chain_content())
        prev = entry.hash
    if len(entries) < 50:
        return AuditEntry.objects.bulk_create(entries)
    # Imports append hundreds of thousands of entries: plain INSERTs (or COPY), not model instances.
    at = connection.ops.adapt_datetimefield_value(now)
    insert_rows(
        AuditEntry,
        ["at", "actor_id", "actor_label", "action", "object_type", "object_id", "detail", "prev_hash", "hash"],
        [(at, e.actor_id, e.actor_label, e.action, e.object_type, e.object_id, as_json(e.detail), e.prev_hash, e.hash) for e in entries],
    )
    return entries


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain (inside the caller's transaction)."""
    event = AuditEvent(action=action, object_type=object_type, object_id=str(object_id), detail=detail or {})
    return audit_record_many(actor=actor, events=[event])[0]


def audit_seal(*, actor: AbstractBaseUser | AnonymousUser | None) -> chain.Seal:
    """Seal the chain: record an ``audit.seal`` entry and return the seal whose head is that entry.

    The seal is to be kept outside the system (``vigil audit seal --out FILE``). A chain that does not
    verify is not sealed: ValueError names the first broken entry.
    """
    require(actor, "audit.seal")
    with transaction.atomic():
        report = audit_chain_verify()
        if not report.ok:
            raise ValueError(f"the audit chain is broken at entry #{report.broken_at} ({report.reason}): not sealed")
        entry = audit_record(actor=actor, action="audit.seal", detail={"previous_head": report.head or chain.GENESIS, "entries_before": report.checked})
        count = report.checked + 1
    return chain.Seal(
        entry_id=entry.pk, count=count, head_hash=entry.hash, sealed_at=entry.at.isoformat(),
        statement=chain.seal_statement(entry_id=entry.pk, count=count, head_hash=entry.hash),
    )
