"""Reading evidence files: every access to an original, and every thumbnail served, is an audit entry."""

from __future__ import annotations

from typing import IO

from django.db import transaction

from vigil.access import Actor, require
from vigil.audit.models import AuditEntry
from vigil.audit.services import audit_record
from vigil.evidence.models import EvidenceFile
from vigil.evidence.services import evidence_thumbnail_copy, working_copy_read
from vigil.evidence.storage import open_blob


def evidence_original_open(*, actor: Actor, evidence: EvidenceFile) -> IO[bytes]:
    """The write-once original, opened for reading, after checking permission and writing the access to the audit log."""
    require(actor, "evidence.view")
    stream = open_blob(evidence.stored_path)
    try:
        with transaction.atomic():
            audit_record(actor=actor, action="evidence.access", object_type="evidence", object_id=evidence.pk, detail={"sha256": evidence.sha256})
    except BaseException:
        stream.close()
        raise
    return stream


def evidence_thumbnail(*, actor: Actor, evidence: EvidenceFile) -> bytes | None:
    """A JPEG thumbnail of an image (a recorded working copy, never the original); None for other media or a lost file.

    Raises StoredFileChanged if the thumbnail's bytes no longer match its record.
    """
    copy = evidence_thumbnail_copy(actor=actor, evidence=evidence)
    if copy is None:
        return None
    try:
        data = working_copy_read(copy)
    except FileNotFoundError:
        return None  # `vigil evidence verify` names it
    with transaction.atomic():
        audit_record(
            actor=actor, action="evidence.thumbnail", object_type="evidence", object_id=evidence.pk,
            detail={"copy": copy.pk, "sha256": copy.sha256},
        )
    return data


def evidence_custody(*, actor: Actor, evidence: EvidenceFile) -> list[AuditEntry]:
    """Every audit entry about ``evidence``, oldest first: stored, accessed, copied, redacted, exported."""
    require(actor, "evidence.view")
    return list(AuditEntry.objects.filter(object_type="evidence", object_id=str(evidence.pk)).order_by("id"))
