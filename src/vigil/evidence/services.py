"""Writes of evidence: storing uploaded files under their SHA-256, write-once."""

from __future__ import annotations

import hashlib
import mimetypes
import tempfile
from pathlib import Path
from typing import IO

from django.db import transaction

from vigil.access import Actor, require
from vigil.audit.services import audit_record
from vigil.evidence.models import EvidenceFile
from vigil.evidence.storage import store_original


def _kind(media_type: str) -> str:
    major = media_type.split("/", 1)[0]
    if major == "image":
        return EvidenceFile.Kind.PHOTO
    if major in ("video", "audio"):
        return major
    if media_type == "application/pdf":
        return EvidenceFile.Kind.SCAN
    return EvidenceFile.Kind.OTHER


def evidence_file_store(*, actor: Actor, stream: IO[bytes], original_name: str, media_type: str = "") -> EvidenceFile:
    """Store a file as evidence (once per content: the same bytes give the same record), with an audit entry."""
    require(actor, "evidence.add")
    media_type = media_type or mimetypes.guess_type(original_name)[0] or "application/octet-stream"
    h = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(delete=False) as tmp:
        for block in iter(lambda: stream.read(1 << 20), b""):
            h.update(block)
            tmp.write(block)
            size += len(block)
    path = Path(tmp.name)
    try:
        sha256 = h.hexdigest()
        with transaction.atomic():
            existing = EvidenceFile.objects.filter(sha256=sha256).first()
            if existing is not None:
                return existing
            stored = store_original(path, sha256=sha256, area="files")
            record = EvidenceFile.objects.create(
                sha256=sha256, kind=_kind(media_type), media_type=media_type[:100], size=size,
                original_name=Path(original_name).name[:300], stored_path=stored,
            )
            audit_record(actor=actor, action="evidence.store", object_type="evidence", object_id=record.pk, detail={"sha256": sha256, "size": size, "kind": record.kind})
            return record
    finally:
        path.unlink(missing_ok=True)
