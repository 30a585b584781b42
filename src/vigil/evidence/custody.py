"""Custody of evidence: exporting an original with its custody record, and re-hashing every stored file.

See docs/custody.md for what an outside party receives and how they check it.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from vigil.access import Actor, require
from vigil.audit.models import AuditEntry
from vigil.audit.services import actor_label, audit_record
from vigil.evidence.models import Document, EvidenceFile, WorkingCopy
from vigil.evidence.storage import StoredFileChanged, StoredFileUnreadable, copy_out, hash_blob, stored_files

CUSTODY_STATEMENT = (
    "This file was exported from vigil. 'evidence.sha256' is the SHA-256 of the original as it was "
    "received; the exported file has the same hash. 'audit_entries' are every entry of vigil's "
    "hash-chained audit log about this evidence: each entry's 'hash' is SHA-256 of its 'prev_hash', a "
    "newline, and the canonical JSON (sorted keys, no spaces, UTF-8) of at, actor, action, object_type, "
    "object_id and detail. 'chain' is the head of the log when the export was made."
)


# ---------------------------------------------------------------------------------------------------
# Export


@dataclass(frozen=True, slots=True)
class EvidenceExport:
    file: Path
    custody_record: Path
    sha256: str


def _extension(evidence: EvidenceFile) -> str:
    suffix = Path(evidence.original_name).suffix.lower()
    if suffix and len(suffix) <= 8 and suffix[1:].isalnum():
        return suffix
    return mimetypes.guess_extension(evidence.media_type or "") or ""


def _entry_json(entry: AuditEntry) -> dict[str, Any]:
    return {"id": entry.pk, **entry.chain_content(), "prev_hash": entry.prev_hash, "hash": entry.hash}


def evidence_export(*, actor: Actor, evidence: EvidenceFile, folder: Path) -> EvidenceExport:
    """Copy an original out to ``folder`` with a custody record beside it (``<sha256>.custody.json``).

    The copy is hashed as it is written; if it does not match the recorded SHA-256 nothing is exported
    and the failure is itself an audit entry. The export is an audit entry, included in the record.
    """
    require(actor, "evidence.export")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{evidence.sha256}{_extension(evidence)}"
    record_path = folder / f"{evidence.sha256}.custody.json"
    for path in (target, record_path):
        if path.exists():
            raise FileExistsError(f"{path} exists: export into an empty folder")
    try:
        actual = copy_out(evidence.stored_path, target).sha256
    except StoredFileUnreadable as exc:  # an encrypted original that no longer authenticates
        actual = f"unreadable: {exc.reason}"
    if actual != evidence.sha256:
        target.unlink(missing_ok=True)
        with transaction.atomic():
            audit_record(
                actor=actor, action="evidence.integrity_failure", object_type="evidence", object_id=evidence.pk,
                detail={"expected": evidence.sha256, "actual": actual, "during": "export"},
            )
        raise StoredFileChanged(f"the original of evidence #{evidence.pk} hashes to {actual}, not {evidence.sha256}: nothing exported")
    with transaction.atomic():
        audit_record(
            actor=actor, action="evidence.export", object_type="evidence", object_id=evidence.pk,
            detail={"sha256": evidence.sha256, "file": target.name},
        )
        entries = list(AuditEntry.objects.filter(object_type="evidence", object_id=str(evidence.pk)).order_by("id"))
        head = AuditEntry.objects.order_by("-id").first()
        copies = list(evidence.working_copies.order_by("id"))
    assert head is not None  # the export entry, at least
    record = {
        "statement": CUSTODY_STATEMENT,
        "exported_at": timezone.now().isoformat(),
        "exported_by": actor_label(actor),
        "file": target.name,
        "evidence": {
            "sha256": evidence.sha256, "size": evidence.size, "media_type": evidence.media_type, "kind": evidence.kind,
            "stored_at": evidence.created_at.isoformat(),
        },
        "working_copies": [
            {"kind": c.kind, "recipe": c.recipe, "sha256": c.sha256, "size": c.size, "media_type": c.media_type,
             "method": c.method, "made_at": c.created_at.isoformat()}
            for c in copies
        ],
        "audit_entries": [_entry_json(e) for e in entries],
        "chain": {"head_entry": head.pk, "head_hash": head.hash},
    }
    with record_path.open("x", encoding="utf-8") as fh:
        json.dump(record, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    return EvidenceExport(target, record_path, evidence.sha256)


# ---------------------------------------------------------------------------------------------------
# Verification


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A stored file as its record knows it."""

    label: str  # "evidence #3", "document #2", "working copy #7 (thumbnail of evidence #3)"
    stored_path: str
    sha256: str


@dataclass(frozen=True, slots=True)
class FileProblem:
    label: str
    stored_path: str
    expected: str
    actual: str | None  # None: the file is missing
    reason: str = ""  # why an encrypted file could not be hashed (it does not authenticate)

    def __str__(self) -> str:
        if self.actual is None:
            return f"{self.label}: {self.stored_path} is missing (expected sha256 {self.expected})"
        if self.reason:
            return f"{self.label}: {self.stored_path} changed: expected sha256 {self.expected}, but it is encrypted and {self.reason}"
        return f"{self.label}: {self.stored_path} changed: expected sha256 {self.expected}, found {self.actual}"


@dataclass(slots=True)
class EvidenceCheck:
    checked: int = 0
    changed: list[FileProblem] = field(default_factory=list)
    missing: list[FileProblem] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # files in the media folder that no record knows

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.unknown)


def stored_records() -> Iterator[StoredRecord]:
    """Every original and working copy the database knows, in a stable order."""
    for pk, path, sha in EvidenceFile.objects.order_by("id").values_list("id", "stored_path", "sha256").iterator():
        yield StoredRecord(f"evidence #{pk}", path, sha)
    for pk, path, sha in Document.objects.exclude(stored_path="").order_by("id").values_list("id", "stored_path", "sha256").iterator():
        yield StoredRecord(f"document #{pk}", path, sha)
    rows = WorkingCopy.objects.order_by("id").values_list("id", "kind", "evidence_id", "stored_path", "sha256").iterator()
    for pk, kind, evidence_id, path, sha in rows:
        yield StoredRecord(f"working copy #{pk} ({kind} of evidence #{evidence_id})", path, sha)


def stored_record_count() -> int:
    return EvidenceFile.objects.count() + Document.objects.exclude(stored_path="").count() + WorkingCopy.objects.count()


def evidence_verify(*, actor: Actor, progress: Callable[[StoredRecord], None] | None = None) -> EvidenceCheck:
    """Re-hash every original and working copy; report each that changed or is missing, and files no record knows.

    ``progress`` is called once per file checked. The check and its result are an audit entry.
    """
    require(actor, "evidence.verify")
    check = EvidenceCheck()
    known: set[str] = set()
    for record in stored_records():
        known.add(record.stored_path)
        try:
            actual = hash_blob(record.stored_path).sha256
        except FileNotFoundError:
            check.missing.append(FileProblem(record.label, record.stored_path, record.sha256, None))
        except StoredFileUnreadable as exc:
            check.changed.append(FileProblem(record.label, record.stored_path, record.sha256, "", exc.reason))
        else:
            if actual != record.sha256:
                check.changed.append(FileProblem(record.label, record.stored_path, record.sha256, actual))
        check.checked += 1
        if progress is not None:
            progress(record)
    check.unknown = [path for path in stored_files() if path not in known]
    with transaction.atomic():
        audit_record(
            actor=actor, action="evidence.verify", object_type="evidence", object_id="",
            detail={
                "checked": check.checked,
                "changed": [p.stored_path for p in check.changed][:100],
                "missing": [p.stored_path for p in check.missing][:100],
                "unknown": check.unknown[:100],
                "ok": check.ok,
            },
        )
    return check
