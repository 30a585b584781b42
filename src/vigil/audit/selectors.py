"""Reading and checking the audit chain."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from vigil.audit.models import AuditEntry
from vigil.core import audit as chain


@dataclass(frozen=True, slots=True)
class ChainReport:
    checked: int
    head: str | None
    broken_at: int | None
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def _entries(*, up_to: int | None = None) -> Iterator[chain.ChainEntry]:
    rows = AuditEntry.objects.order_by("id")
    if up_to is not None:
        rows = rows.filter(id__lte=up_to)
    for entry in rows.iterator(chunk_size=5000):
        yield chain.ChainEntry(id=entry.pk, prev_hash=entry.prev_hash, hash=entry.hash, content=entry.chain_content())


def audit_chain_verify() -> ChainReport:
    """Check every entry's hash and its link to the entry before it; name the first broken one."""
    checked, broken = chain.verify_chain(_entries())
    head = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
    if broken is None:
        return ChainReport(checked, head, None, None)
    return ChainReport(checked, head, broken.entry_id, broken.reason)


@dataclass(frozen=True, slots=True)
class SealReport:
    """The chain checked against a seal kept outside the system."""

    seal: chain.Seal
    ok: bool
    reason: str
    checked: int


def audit_seal_verify(seal: chain.Seal) -> SealReport:
    """Whether the entries up to the sealed one, recomputed from their content, still hash to the sealed head."""
    result = chain.check_seal(_entries(up_to=seal.entry_id), seal)
    return SealReport(seal, result.ok, result.reason, result.checked)


def audit_entries_for(*, object_type: str, object_id: str | int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("id"))
